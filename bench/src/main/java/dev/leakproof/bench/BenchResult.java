package dev.leakproof.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One benchmark's result file, the shape {@link Results} reads: ratios measured side by side (with
 * their goal), figures as median/min/max, texts (messages copied as printed) and free-form details.
 * Written to the path in system property {@code bench.result} (bench/run sets it), else to
 * {@code target/benchmarks/<id>.json}. The fixtures' and the extension's benchmarks write the same shape
 * with a copy of this class in their test sources.
 *
 * <pre>{@code
 * BenchResult result = BenchResult.start("verdict-time", "Verdict time", "cycles 200");
 * result.figure("clean verdict, 200 connections", List.of(120.0, 131.0), "ms", "");
 * result.write();
 * }</pre>
 */
public final class BenchResult {

    private final String id;
    private final String title;
    private final String settings;
    private final OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    private final long startNanos = System.nanoTime();
    private final String loadAtStart = loadAverage();
    private final List<Object> ratios = new ArrayList<>();
    private final List<Object> figures = new ArrayList<>();
    private final List<Object> texts = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    private BenchResult(String id, String title, String settings) {
        this.id = id;
        this.title = title;
        this.settings = settings;
    }

    public static BenchResult start(String id, String title, String settings) {
        return new BenchResult(id, title, settings);
    }

    /** A goal for a ratio: {@code >= 0.95} or {@code <= 1.5}. */
    public record Goal(String operator, double bound) {
        public static Goal atLeast(double bound) {
            return new Goal(">=", bound);
        }

        public static Goal atMost(double bound) {
            return new Goal("<=", bound);
        }

        boolean met(double value) {
            return ">=".equals(operator) ? value >= bound : value <= bound;
        }

        @Override
        public String toString() {
            return operator + " " + format(bound);
        }
    }

    /**
     * A ratio measured side by side: {@code sides} says what was divided by what (with the medians),
     * {@code runs} the per-round ratios. {@code goal} may be {@code null}.
     */
    public BenchResult ratio(String measure, double ratio, Goal goal, String sides, List<Double> runs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("measure", measure);
        r.put("ratio", round(ratio));
        r.put("goal", goal == null ? null : goal.toString());
        r.put("met", goal == null || !Double.isFinite(ratio) ? null : goal.met(ratio));
        r.put("sides", sides);
        r.put("runs", runs.stream().map(BenchResult::round).toList());
        ratios.add(r);
        return this;
    }

    /** A figure from repeated measurements: median, min, max and every value. */
    public BenchResult figure(String measure, List<Double> values, String unit, String note) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("measure", measure);
        f.put("unit", unit);
        f.put("n", values.size());
        f.put("median", values.isEmpty() ? null : round(median(values)));
        f.put("min", values.stream().mapToDouble(Double::doubleValue).min().stream().boxed().findFirst()
                .map(BenchResult::round).orElse(null));
        f.put("max", values.stream().mapToDouble(Double::doubleValue).max().stream().boxed().findFirst()
                .map(BenchResult::round).orElse(null));
        f.put("values", values.stream().map(BenchResult::round).toList());
        f.put("note", note == null || note.isEmpty() ? null : note);
        figures.add(f);
        return this;
    }

    /** Text copied as printed (a failure message, a leak trace). */
    public BenchResult text(String heading, String text) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("title", heading);
        t.put("text", text);
        texts.add(t);
        return this;
    }

    public BenchResult detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    /** Writes the file and returns its path. */
    public Path write() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", id);
        out.put("title", title);
        out.put("started", started.toString());
        out.put("wallSeconds", round((System.nanoTime() - startNanos) / 1e9));
        out.put("loadAverage", Map.of("start", loadAtStart, "end", loadAverage()));
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")");
        out.put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        out.put("settings", settings);
        out.put("ratios", ratios);
        out.put("figures", figures);
        out.put("texts", texts);
        out.put("details", details);
        Path file = Path.of(System.getProperty("bench.result", "target/benchmarks/" + id + ".json"));
        Json.write(file, out);
        return file.toAbsolutePath().normalize();
    }

    public static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : Double.NaN;
    }

    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        if (value == Math.rint(value) && Math.abs(value) >= 2) { // counts, milliseconds; a ratio of exactly 1 stays 1.00
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    public static String join(List<Double> values) {
        return values.stream().map(BenchResult::format).collect(Collectors.joining(", "));
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or the JVM's 1-minute figure. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
