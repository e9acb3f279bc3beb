package dev.leakproof.internal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
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

/**
 * This benchmark's figures as a result file for bench/run, which gathers every benchmark's file of a
 * run into {@code bench/results/<date>-<jdk>.json} and {@code .md}: ratios measured side by side
 * (with their goal), figures as median/min/max, texts and details. Written only when system property
 * {@code bench.result} names the file (bench/run sets it); the Markdown report is written either way.
 * The same shape as {@code dev.leakproof.bench.BenchResult} in bench/, copied because test sources
 * of one module cannot see another's.
 *
 * <pre>{@code
 * ResultFile result = ResultFile.start("handshakes", "Handshakes: fixtures vs raw Netty", settings);
 * result.ratio("fixtures / raw, JDK, concurrency 1", 0.98, ">=", 0.90, "raw 369/s, fixtures 375/s", rounds);
 * result.write();
 * }</pre>
 */
final class ResultFile {

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Object> ratios = new ArrayList<>();
    private final List<Object> figures = new ArrayList<>();
    private final List<Object> texts = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private final String loadAtStart = loadAverage();

    private ResultFile(String id, String title, String settings) {
        root.put("benchmark", id);
        root.put("title", title);
        root.put("started", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("settings", settings);
    }

    static ResultFile start(String id, String title, String settings) {
        return new ResultFile(id, title, settings);
    }

    /** A ratio measured side by side; {@code operator} is ">=" or "<=", or null for no goal. */
    ResultFile ratio(String measure, double ratio, String operator, double bound, String sides, List<Double> runs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("measure", measure);
        r.put("ratio", ratio);
        r.put("goal", operator == null ? null : operator + " " + String.format(Locale.ROOT, "%.2f", bound));
        r.put("met", operator == null || !Double.isFinite(ratio) ? null
                : ">=".equals(operator) ? ratio >= bound : ratio <= bound);
        r.put("sides", sides);
        r.put("runs", runs);
        ratios.add(r);
        return this;
    }

    ResultFile figure(String measure, List<Double> values, String unit, String note) {
        List<Double> sorted = values.stream().sorted().toList();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("measure", measure);
        f.put("unit", unit);
        f.put("n", values.size());
        f.put("median", sorted.isEmpty() ? null : sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2);
        f.put("min", sorted.isEmpty() ? null : sorted.get(0));
        f.put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
        f.put("values", values);
        f.put("note", note);
        figures.add(f);
        return this;
    }

    ResultFile text(String title, String text) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("title", title);
        t.put("text", text);
        texts.add(t);
        return this;
    }

    ResultFile detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    /** Writes the file named by {@code bench.result}; does nothing without it. */
    void write() {
        String target = System.getProperty("bench.result");
        if (target == null || target.isBlank()) {
            return;
        }
        root.put("wallSeconds", (System.nanoTime() - startNanos) / 1e9);
        root.put("loadAverage", Map.of("start", loadAtStart, "end", loadAverage()));
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")");
        root.put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        root.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        root.put("ratios", ratios);
        root.put("figures", figures);
        root.put("texts", texts);
        root.put("details", details);
        StringBuilder json = new StringBuilder();
        render(root, json, 0);
        Path file = Path.of(target);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, json.append('\n').toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        System.out.println("Result file: " + file.toAbsolutePath().normalize());
    }

    private static void render(Object value, StringBuilder out, int depth) {
        String pad = "  ".repeat(depth + 1);
        if (value == null) {
            out.append("null");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d)
                    ? new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString() : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(i++ == 0 ? "\n" : ",\n").append(pad);
                quote(String.valueOf(e.getKey()), out);
                out.append(": ");
                render(e.getValue(), out, depth + 1);
            }
            out.append(map.isEmpty() ? "}" : "\n" + "  ".repeat(depth) + "}");
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                render(list.get(i), out, depth + 1);
            }
            out.append(']');
        } else {
            quote(String.valueOf(value), out);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
