package dev.leakproof.bench;

import java.util.List;
import java.util.Map;

/**
 * The Markdown page of one run: where and when, then one table of every ratio measured side by side,
 * one of every median, the messages as printed, and what each step did.
 *
 * <pre>{@code
 * String page = Markdown.render(run, benchmarks, steps);
 * }</pre>
 */
final class Markdown {

    private Markdown() {
    }

    static String render(Map<String, Object> run, List<Map<String, Object>> benchmarks, List<Map<String, Object>> steps) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> jdk = Json.object(run.get("jdk"));
        Map<String, Object> machine = Json.object(run.get("machine"));
        Map<String, Object> load = Json.object(run.get("loadAverage"));
        md.append("# Leakproof benchmarks: ").append(run.get("started")).append(", JDK ").append(jdk.get("version"))
                .append(" (").append(run.get("mode")).append(" mode)\n\n");
        if (run.get("note") != null) {
            md.append("> ").append(run.get("note")).append("\n\n");
        }
        if ("quick".equals(run.get("mode"))) {
            md.append("> Quick mode: tiny counts, to prove the machinery works. These figures are not the"
                    + " benchmark's results; see the full mode.\n\n");
        }
        md.append("- Machine: ").append(machine.get("cpu")).append(", ").append(machine.get("cores"))
                .append(" cores, ").append(machine.get("memoryGiB")).append(" GiB, ").append(machine.get("os"))
                .append('\n');
        md.append("- JDK: ").append(jdk.get("vm")).append(' ').append(jdk.get("version")).append(" (")
                .append(jdk.get("vendor")).append("), ").append(jdk.get("home")).append('\n');
        md.append("- Load average (1/5/15 min): ").append(load.get("start")).append(" at the start, ")
                .append(load.get("end")).append(" at the end\n");
        md.append("- Started ").append(run.get("started")).append(", finished ").append(run.get("finished"))
                .append('\n');
        md.append("- Command: `").append(run.get("command")).append("`\n");
        md.append("- JVM flags of every benchmark JVM: `").append(String.join(" ", commonFlags(benchmarks)))
                .append("` (each step's own in the Steps table)\n\n");
        md.append("Ratios are measured side by side in one JVM or in alternating JVMs of this run; absolute figures"
                + " depend on the machine and its load, the ratios much less.\n\n");

        md.append("## Ratios measured side by side\n\n");
        md.append("| Benchmark | Measure | Ratio | Goal | Met | Medians side by side | Per round |\n");
        md.append("|---|---|---:|---|---|---|---|\n");
        for (Map<String, Object> b : benchmarks) {
            for (Object r : Json.list(b.get("ratios"))) {
                Map<String, Object> ratio = Json.object(r);
                Object met = ratio.get("met");
                md.append("| ").append(b.get("benchmark")).append(" | ").append(ratio.get("measure")).append(" | ")
                        .append(number(ratio.get("ratio"))).append(" | ")
                        .append(ratio.get("goal") == null ? "-" : ratio.get("goal")).append(" | ")
                        .append(met == null ? "-" : Boolean.TRUE.equals(met) ? "yes" : "**no**").append(" | ")
                        .append(ratio.get("sides")).append(" | ").append(numbers(ratio.get("runs"))).append(" |\n");
            }
        }

        md.append("\n## Medians\n\n");
        md.append("| Benchmark | Measure | Median | Min | Max | n | Unit | Note |\n");
        md.append("|---|---|---:|---:|---:|---:|---|---|\n");
        for (Map<String, Object> b : benchmarks) {
            for (Object f : Json.list(b.get("figures"))) {
                Map<String, Object> figure = Json.object(f);
                md.append("| ").append(b.get("benchmark")).append(" | ").append(figure.get("measure")).append(" | ")
                        .append(number(figure.get("median"))).append(" | ").append(number(figure.get("min")))
                        .append(" | ").append(number(figure.get("max"))).append(" | ").append(figure.get("n"))
                        .append(" | ").append(figure.get("unit")).append(" | ")
                        .append(figure.get("note") == null ? "" : cell(String.valueOf(figure.get("note"))))
                        .append(" |\n");
            }
        }

        boolean anyText = benchmarks.stream().anyMatch(b -> !Json.list(b.get("texts")).isEmpty());
        if (anyText) {
            md.append("\n## Messages, as printed\n");
            for (Map<String, Object> b : benchmarks) {
                for (Object t : Json.list(b.get("texts"))) {
                    Map<String, Object> text = Json.object(t);
                    md.append("\n**").append(b.get("benchmark")).append(": ").append(text.get("title"))
                            .append("**\n\n```\n").append(text.get("text")).append("\n```\n");
                }
            }
        }

        md.append("\n## Steps\n\n");
        md.append("| Step | Status | Seconds | Load at start | Its own JVM flags | Settings |\n");
        md.append("|---|---|---:|---|---|---|\n");
        for (Map<String, Object> step : steps) {
            Map<String, Object> b = benchmarks.stream().filter(x -> String.valueOf(x.get("benchmark"))
                    .equals(step.get("result"))).findFirst().orElse(Map.of());
            md.append("| ").append(step.get("step")).append(" | ").append(step.get("status")).append(" | ")
                    .append(step.get("seconds")).append(" | ").append(step.get("loadAtStart")).append(" | ")
                    .append(ownFlags(b, benchmarks)).append(" | ")
                    .append(b.get("settings") == null ? "" : cell(String.valueOf(b.get("settings")))).append(" |\n");
        }
        md.append("\nEvery figure, with each run's values, is in the JSON file of the same name.\n");
        return md.toString();
    }

    /** Flags every benchmark JVM had, but the per-run paths (temporary directory, result and report files). */
    static List<String> commonFlags(List<Map<String, Object>> benchmarks) {
        List<String> common = null;
        for (Map<String, Object> b : benchmarks) {
            List<String> flags = flags(b);
            if (common == null) {
                common = new java.util.ArrayList<>(flags);
            } else {
                common.retainAll(flags);
            }
        }
        return common == null ? List.of() : common;
    }

    private static String ownFlags(Map<String, Object> benchmark, List<Map<String, Object>> benchmarks) {
        if (benchmark.isEmpty()) {
            return "";
        }
        List<String> own = new java.util.ArrayList<>(flags(benchmark));
        own.removeAll(commonFlags(benchmarks));
        return own.isEmpty() ? "-" : "`" + String.join(" ", own) + "`";
    }

    private static List<String> flags(Map<String, Object> benchmark) {
        Object flags = benchmark.get("jvmFlags");
        if (flags == null || String.valueOf(flags).isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(String.valueOf(flags).trim().split("\\s+"))
                .filter(f -> !f.startsWith("-Djava.io.tmpdir=") && !f.startsWith("-Dbench.result=")
                        && !f.startsWith("-Dbenchmark.output"))
                .toList();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String number(Object value) {
        return value instanceof Number n ? BenchResult.format(n.doubleValue()) : "-";
    }

    private static String numbers(Object values) {
        return Json.list(values).stream().map(Markdown::number).reduce((a, b) -> a + " " + b).orElse("-");
    }
}
