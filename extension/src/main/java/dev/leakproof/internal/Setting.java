package dev.leakproof.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One configuration key: its name, its default and how to parse and check a raw value. A bad value
 * fails fast with an {@link ExtensionConfigurationException} that names the key, the value and
 * where it was set.
 */
public final class Setting<T> {

    private final String key;
    private final String defaultValue;
    private final Function<String, T> parser;

    private Setting(String key, String defaultValue, Function<String, T> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.parser = parser;
    }

    public static <T> Setting<T> of(String key, String defaultValue, Function<String, T> parser) {
        return new Setting<>(key, defaultValue, parser);
    }

    public String key() {
        return key;
    }

    /** Resolves this setting from {@code source}, falling back to the default. */
    public T resolve(ConfigSource source) {
        ConfigSource.Value value = source.lookup(key).orElse(null);
        String raw = value == null ? defaultValue : value.raw();
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            String origin = value == null ? "default" : value.origin();
            throw new ExtensionConfigurationException("Invalid Leakproof setting " + key + " = '" + raw + "' (from "
                    + origin + "): " + e.getMessage(), e);
        }
    }

    // --- parsers: they throw IllegalArgumentException with a message that says what is expected.

    public static Function<String, Integer> intAtLeast(int min) {
        return raw -> {
            int value;
            try {
                value = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (value < min) {
                throw new IllegalArgumentException("must be at least " + min);
            }
            return value;
        };
    }

    public static Function<String, Long> longAtLeast(long min) {
        return raw -> {
            long value;
            try {
                value = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (value < min) {
                throw new IllegalArgumentException("must be at least " + min);
            }
            return value;
        };
    }

    public static Function<String, Boolean> bool() {
        return raw -> switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** Sizes such as {@code 8192}, {@code 8KB}, {@code 16 KiB}, {@code 1MB} (KB = 1024 bytes); -1 for none. */
    public static Function<String, Long> byteSize() {
        return raw -> {
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
                long value = Long.parseLong(v) * multiplier;
                if (value <= 0) {
                    throw new IllegalArgumentException("must be positive (or -1 for no budget)");
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a size: use e.g. 8192, 8KB or 1MB");
            }
        };
    }

    /** Durations such as {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 {@code PT5S}; must be positive. */
    public static Function<String, Duration> positiveDuration() {
        return raw -> {
            Duration d = parseDuration(raw.trim());
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        };
    }

    static Duration parseDuration(String v) {
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
}
