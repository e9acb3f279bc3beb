package dev.leakproof.internal.bench;


import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What the extension's benchmarks share: option parsing, the environment block, tables in text and
 * Markdown, the report file and the command that reproduces a run. Benchmarks are main classes run by
 * the {@code benchmark} profile of {@code extension/pom.xml}, never by {@code verify}:
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=LeakTraceBenchmark
 * </pre>
 */
final class BenchmarkSupport {

    static final String SHARED_MACHINE_NOTE = "Absolute figures are noisy: the machine has 2 cores and may be shared"
            + " with other builds. Ratios and shapes measured side by side in one run matter, not single numbers.";

    private static final String MAVEN_COMMAND = "./mvnw -q -pl extension -Pbenchmark -DskipTests verify";

    private BenchmarkSupport() {
    }

    /** Runs a benchmark's body and exits with its status: a lingering non-daemon thread must not hang Maven. */
    static void main(String name, Callable<Integer> body) {
        int status;
        try {
            status = body.call();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            status = 2;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Command line options: {@code --name value} or {@code --name=value}, names from {@code defaults}. */
    static final class Options {
        final String raw;
        private final Map<String, String> values;

        private Options(String raw, Map<String, String> values) {
            this.raw = raw;
            this.values = values;
        }

        static Options parse(String[] args, Map<String, String> defaults) {
            // Maven may hand the whole ${benchmark.args} over as one argument: split on whitespace.
            List<String> tokens = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                    .filter(s -> !s.isEmpty()).toList();
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
            return new Options(String.join(" ", tokens), values);
        }

        String get(String name) {
            return values.get(name);
        }

        int positive(String name) {
            String value = values.get(name);
            try {
                int n = Integer.parseInt(value.trim());
                if (n < 1) {
                    throw new IllegalArgumentException("--" + name + " must be >= 1, was " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " expects a number, got '" + value + "'");
            }
        }

        List<Integer> positives(String name) {
            List<Integer> list = new ArrayList<>();
            for (String part : values.get(name).split(",")) {
                if (!part.isBlank()) {
                    try {
                        int n = Integer.parseInt(part.trim());
                        if (n < 1) {
                            throw new IllegalArgumentException("--" + name + " values must be >= 1, was " + n);
                        }
                        list.add(n);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--" + name + " expects numbers, got '" + part + "'");
                    }
                }
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " needs at least one value");
            }
            return list;
        }

        String settings() {
            StringBuilder text = new StringBuilder();
            values.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            return text.toString();
        }
    }

    /** Date, JVM, flags, heap, OS, CPU, load, Netty and OpenSSL: the lines every report starts with. */
    static List<String> environment(Options options) {
        Runtime rt = Runtime.getRuntime();
        List<String> env = new ArrayList<>();
        env.add("Date: " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        env.add("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + "), java.home " + System.getProperty("java.home"));
        env.add("JVM flags: " + String.join(" ", jvmArguments()));
        env.add("GC: " + String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList()));
        env.add("Max heap: " + rt.maxMemory() / (1024 * 1024) + " MiB");
        env.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.add("CPU: " + cpuModel() + ", " + rt.availableProcessors() + " available to the JVM");
        env.add("Load average at start (1/5/15 min): " + loadAverage());
        Version netty = Version.identify().get("netty-handler");
        env.add("Netty: " + (netty == null ? "unknown" : netty.artifactVersion()));
        env.add("OpenSSL: " + (OpenSsl.isAvailable() ? OpenSsl.versionString() : "not available ("
                + OpenSsl.unavailabilityCause() + ")"));
        env.add("Settings: " + options.settings());
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The command that reproduces this run. */
    static String command(Class<?> benchmark, Options options) {
        if (!"maven".equals(System.getProperty("benchmark.launcher"))) {
            return jvmInvocation(benchmark, options);
        }
        StringBuilder command = new StringBuilder(MAVEN_COMMAND).append(" -Dbenchmark.class=")
                .append(benchmark.getSimpleName());
        if (!options.raw.isEmpty()) {
            command.append(" -Dbenchmark.args=\"").append(options.raw).append('"');
        }
        String extra = System.getProperty("benchmark.extraJvmFlags", "").trim();
        if (!extra.isEmpty()) {
            command.append(extra.contains(" ") ? " -Dleakproof.extraJvmFlags=\"" + extra + "\""
                    : " -Dleakproof.extraJvmFlags=" + extra);
        }
        return command.toString();
    }

    static String jvmInvocation(Class<?> benchmark, Options options) {
        List<String> parts = new ArrayList<>();
        parts.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        parts.addAll(jvmArguments());
        parts.add("-classpath");
        parts.add("<test classpath>");
        parts.add(benchmark.getName());
        if (!options.raw.isEmpty()) {
            parts.add(options.raw);
        }
        return String.join(" ", parts);
    }

    /** This JVM's arguments, quoted where they hold a space. */
    private static List<String> jvmArguments() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .map(a -> a.contains(" ") ? "\"" + a + "\"" : a).toList();
    }

    /** A fixed-width text table; columns in {@code leftAligned} are left-aligned, the others right. */
    static String textTable(String[] header, List<String[]> rows, Set<Integer> leftAligned) {
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.length];
        for (String[] line : all) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < all.size(); l++) {
            String[] line = all.get(l);
            for (int i = 0; i < line.length; i++) {
                String fmt = "%" + (leftAligned.contains(i) ? "-" : "") + widths[i] + "s";
                sb.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, fmt, line[i]));
            }
            sb.append('\n');
            if (l == 0) {
                sb.append("-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    static String markdownTable(String[] header, List<String[]> rows, Set<Integer> leftAligned) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.length; i++) {
            sb.append(leftAligned.contains(i) ? "---|" : "---:|");
        }
        sb.append('\n');
        for (String[] row : rows) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    /** Writes the Markdown report to {@code <benchmark.outputDirectory>/<name>.md} and returns its path. */
    static Path writeReport(String name, String markdown) {
        Path dir = Path.of(System.getProperty("benchmark.outputDirectory", "target/benchmarks"));
        Path output = dir.resolve(name + ".md");
        try {
            Files.createDirectories(dir);
            Files.writeString(output, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + output, e);
        }
        return output.toAbsolutePath().normalize();
    }

    /** The environment, the wall time and the command, in Markdown, for the end of a report. */
    static String markdownFooter(Class<?> benchmark, Options options, List<String> environment, long wallMillis) {
        StringBuilder md = new StringBuilder("## Environment\n\n");
        environment.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append(String.format(Locale.ROOT, "- Wall time: %.1f s%n", wallMillis / 1000.0));
        md.append("\n## Command\n\n```\n").append(command(benchmark, options)).append("\n```\n\n");
        md.append("JVM invocation (class path elided):\n\n```\n").append(jvmInvocation(benchmark, options))
                .append("\n```\n");
        return md.toString();
    }

    static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
    }

    /** Resident set size of this process (Linux {@code /proc/self/status}), or -1 where unknown. */
    static long residentBytes() {
        return BenchmarkAccess.residentSetBytes();
    }

    /** A live class histogram (it runs a full GC first): instances and bytes by class, and the total. */
    record Histogram(Map<String, long[]> byClass, long totalInstances, long totalBytes) {
        long instances(String className) {
            long[] entry = byClass.get(className);
            return entry == null ? 0 : entry[0];
        }
    }

    /** The growth check's own histogram, in the benchmarks' shape. */
    static Histogram histogram() {
        Map<String, long[]> byClass = BenchmarkAccess.classHistogram();
        long instances = byClass.values().stream().mapToLong(e -> e[0]).sum();
        long bytes = byClass.values().stream().mapToLong(e -> e[1]).sum();
        return new Histogram(byClass, instances, bytes);
    }
}
