package dev.leakproof.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Command line options of a benchmark main: {@code --name value} or {@code --name=value}, names from
 * the defaults, anything else rejected with the list of names.
 *
 * <pre>{@code
 * Options options = Options.parse(args, Map.of("rounds", "3"));
 * int rounds = options.positive("rounds");
 * }</pre>
 */
public final class Options {

    /** Exit status of a benchmark that measured, but whose figures come with problems it names in its result. */
    public static final int PROBLEMS = 3;

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Runs a benchmark's body and exits with its status: a lingering non-daemon thread must not hang the run. */
    public static void main(String name, Callable<Integer> body) {
        int status;
        try {
            status = body.call();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            e.printStackTrace();
            status = 2;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    public static Options parse(String[] args, Map<String, String> defaults) {
        List<String> tokens = Arrays.asList(args); // one value per argument: values may hold spaces
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < tokens.size(); i++) {
            String option = tokens.get(i);
            String value;
            int eq = option.indexOf('=');
            if (eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            } else if (i + 1 < tokens.size()) {
                value = tokens.get(++i);
            } else {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String name = option.startsWith("--") ? option.substring(2) : option;
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + option + "; options: "
                        + String.join(", ", defaults.keySet().stream().map(k -> "--" + k).toList()));
            }
            values.put(name, value);
        }
        return new Options(values);
    }

    public String get(String name) {
        return values.get(name);
    }

    public int positive(String name) {
        return positive(name, values.get(name));
    }

    public List<Integer> positives(String name) {
        List<Integer> list = new ArrayList<>();
        for (String part : values.get(name).split(",")) {
            if (!part.isBlank()) {
                list.add(positive(name, part));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " needs at least one value");
        }
        return list;
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new IllegalArgumentException("--" + name + " must be >= 1, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a whole number, got '" + value + "'");
        }
    }

    /** "name value, name value": the settings line of a result. */
    public String settings() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return text.toString();
    }
}
