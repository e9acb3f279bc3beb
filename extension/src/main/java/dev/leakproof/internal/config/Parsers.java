package dev.leakproof.internal.config;

import dev.leakproof.fixture.LineScript;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How setting values are read and checked. Each throws {@link IllegalArgumentException} with a
 * message that says what is expected; {@link Setting} adds the key, the value and its origin.
 */
final class Parsers {

    private Parsers() {
    }

    static int wholeNumber(String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    static int atLeast(int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
        return value;
    }

    static int between(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be from " + min + " to " + max);
        }
        return value;
    }

    static boolean bool(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** Sizes such as {@code 8192}, {@code 8KB}, {@code 16 KiB}, {@code 1MB} (KB = 1024 bytes); -1 for none. */
    static long byteSize(String raw) {
        String v = raw.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (v.equals("-1")) {
            return -1L;
        }
        long multiplier = 1;
        for (String[] unit : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"KB", "1024"},
                {"MB", "1048576"}, {"K", "1024"}, {"M", "1048576"}, {"B", "1"}}) {
            if (v.endsWith(unit[0])) {
                multiplier = Long.parseLong(unit[1]);
                v = v.substring(0, v.length() - unit[0].length());
                break;
            }
        }
        try {
            // multiplyExact: "99999999999999MB" must be refused, not wrap round to some other size.
            long value = Math.multiplyExact(Long.parseLong(v), multiplier);
            if (value <= 0) {
                throw new IllegalArgumentException("must be positive (or -1 for no budget)");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: use e.g. 8192, 8KB or 1MB");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large: a budget per connection is a few KB or MB");
        }
    }

    /** Durations such as {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 {@code PT5S}; must be positive. */
    static Duration positiveDuration(String raw) {
        Duration d = duration(raw.trim());
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be positive");
        }
        return d;
    }

    static Duration duration(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("pt") || lower.startsWith("-pt")) {
                return Duration.parse(v);
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).trim()));
            }
            if (lower.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(lower.substring(0, lower.length() - 1).trim()) * 1000));
            }
            if (lower.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1).trim()) * 60);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a duration: use e.g. 500ms, 5s, 2m or PT5S");
    }

    static Path directory(String raw) {
        if (raw.isBlank()) {
            throw new IllegalArgumentException("must name a directory");
        }
        return Path.of(raw);
    }

    /** One configuration value split into its elements: {@code "> LOGIN a | < OK"}. */
    static List<String> split(String raw) {
        return Arrays.stream(raw.split(Pattern.quote(Setting.LIST_SEPARATOR))).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    static List<Pattern> patterns(List<String> regexes) {
        return regexes.stream().map(Parsers::pattern).toList();
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }

    /** The steps of an exchange; empty for the hosted service's own default. */
    static Optional<LineScript> exchange(List<String> steps) {
        return steps.isEmpty() ? Optional.empty() : Optional.of(LineScript.of(steps.stream()
                .filter(s -> !s.isBlank()).map(Parsers::normalizeStep).toList()));
    }

    /** {@code ">LOGIN"} and {@code ">  LOGIN"} mean {@code "> LOGIN"}: a configuration value is typed by hand. */
    private static String normalizeStep(String step) {
        String s = step.strip();
        return s.startsWith(">") || s.startsWith("<") ? s.charAt(0) + " " + s.substring(1).strip() : s;
    }

    /** Comma-separated whole numbers, e.g. load steps {@code 100, 500, 1000}. */
    static List<Integer> numbers(String raw) {
        if (raw.isBlank()) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                numbers.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a connection count: use e.g. 100, 500, 1000");
            }
        }
        return numbers;
    }

    static List<Integer> risingSteps(List<Integer> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) < 1 || (i > 0 && steps.get(i) <= steps.get(i - 1))) {
                throw new IllegalArgumentException("load steps must be positive and rising, e.g. 100, 500, 1000");
            }
        }
        return List.copyOf(steps);
    }

    /** References held by design: {@code static com.example.Registry#CACHE} or {@code com.example.Session#listener}. */
    static List<ReferenceSpec> references(List<String> specs) {
        return specs.stream().map(p -> {
            boolean isStatic = p.startsWith("static ");
            String spec = isStatic ? p.substring("static ".length()).strip() : p.strip();
            int hash = spec.indexOf('#');
            if (hash <= 0 || hash == spec.length() - 1) {
                throw new IllegalArgumentException("'" + p + "' is not a reference: use com.example.Owner#field or "
                        + "static com.example.Owner#FIELD");
            }
            return new ReferenceSpec(spec.substring(0, hash), spec.substring(hash + 1), isStatic);
        }).toList();
    }

    /** A host name for SNI, with an optional {@code {cycle}}: letters, digits, dots and hyphens. */
    static String serverName(String raw) {
        String name = raw.strip();
        if (!name.replace("{cycle}", "0").matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("'" + raw + "' is not a host name: use letters, digits, dots and "
                    + "hyphens, with {cycle} for the connection number, e.g. c{cycle}.leakproof.test or localhost");
        }
        return name;
    }

    /** An HTTP request target: an absolute path, with optional {@code {cycle}} and {@code {request}}. */
    static String requestPath(String raw) {
        String path = raw.strip();
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("'" + raw + "' is not a request path: it must start with / and hold "
                    + "no spaces, e.g. /leakproof/{cycle}?c={cycle}");
        }
        return path;
    }

    /** Request headers as {@code Name: value}; empty for the default one. */
    static List<java.util.Map.Entry<String, String>> headers(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).map(line -> {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || line.contains("\r") || line.contains("\n")) {
                throw new IllegalArgumentException("'" + line + "' is not a header: use Name: value, e.g. "
                        + "X-Tenant: t{cycle}");
            }
            return java.util.Map.entry(name, line.substring(colon + 1).strip());
        }).toList();
    }
}
