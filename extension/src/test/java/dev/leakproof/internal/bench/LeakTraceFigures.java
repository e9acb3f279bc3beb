package dev.leakproof.internal.bench;

import dev.leakproof.fixture.bench.ResultFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The leak-trace benchmark's figures, as tables (text and Markdown) and as bench/run's result file:
 * one row per heap size, one per run, and the production / Shark comparison.
 *
 * <pre>{@code
 * LeakTraceFigures figures = new LeakTraceFigures(sizes, 1000);
 * System.out.println(figures.text());
 * }</pre>
 */
final class LeakTraceFigures {

    private static final double MIB = 1024.0 * 1024.0;
    /** The goals: MiB of dump analysed per second, and Java heap at most this share of the dump. */
    static final double GOAL_MIB_PER_SECOND = 200;
    static final double GOAL_HEAP_SHARE = 0.25;

    /** One analysis: of which engine, whether the engine's first in this JVM, its dump, time, memory. */
    record Run(String engine, boolean firstInJvm, long dumpMillis, long dumpBytes, BenchmarkAccess.Analysis analysis,
            AnalysisMemory.Figures memory) {

        double mibPerSecond() {
            return dumpBytes / MIB / Math.max(0.001, analysis.millis() / 1000.0);
        }

        boolean oneSignature(int connections) {
            return analysis.skipped() == null && analysis.signatures().size() == 1
                    && analysis.leakingObjects() == connections;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s%s: dump %d ms (%.1f MiB), analysis %d ms (%.0f MiB/s), %d leaking,"
                    + " %d signature(s)%s; %s", engine, firstInJvm ? " (first in JVM)" : "", dumpMillis,
                    dumpBytes / MIB, analysis.millis(), mibPerSecond(), analysis.leakingObjects(),
                    analysis.signatures().size(), analysis.skipped() == null ? "" : ", SKIPPED: " + analysis.skipped(),
                    memory.describe()) + (analysis.stepMillis().isEmpty() ? "" : "; Shark steps ms: "
                    + analysis.stepMillis().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
    }

    /** One heap size: its repetitions of the production path, and the engines on one more dump. */
    record Size(int targetMib, String loadBefore, long usedBytes, long objects, List<Run> runs, List<Run> engines,
            List<Run> probes, String engineError, Instant from, Instant to) {

        long median(List<Run> of, ToLongFunction<Run> figure) {
            return BenchmarkSupport.median(of.stream().map(r -> figure.applyAsLong(r)).toList());
        }

        double medianMibPerSecond(List<Run> of) {
            List<Double> sorted = of.stream().map(Run::mibPerSecond).sorted().toList();
            int mid = sorted.size() / 2;
            return sorted.isEmpty() ? 0 : sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
        }

        long dumpBytes() {
            return runs.get(runs.size() - 1).dumpBytes();
        }

        long heapNeeded() {
            return runs.stream().mapToLong(r -> r.memory().needed()).max().orElse(0);
        }

        /** The live heap {@code engine}'s probed analysis held, or -1 when not probed. */
        long probedLive(String engine) {
            return probes.stream().filter(r -> r.engine().equals(engine)).mapToLong(r -> r.memory().liveProbed())
                    .max().orElse(-1);
        }

        /** For the memory goal: the probed live heap (garbage excluded) when measured, else the after-GC bound. */
        long heapForGoal() {
            long probed = probedLive(BenchmarkAccess.PRODUCTION);
            return probed >= 0 ? probed : heapNeeded();
        }

        List<Run> engine(String name) {
            return engines.stream().filter(r -> r.engine().equals(name)).toList();
        }

        /** Production / Shark time of each round (the two analyses of a round, whatever their order). */
        List<Double> roundRatios() {
            List<Run> production = engine(BenchmarkAccess.PRODUCTION);
            List<Run> shark = engine(BenchmarkAccess.SHARK);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(production.size(), shark.size()); i++) {
                ratios.add(production.get(i).analysis().millis() / (double) Math.max(1, shark.get(i).analysis().millis()));
            }
            return ratios;
        }

        /** Whether every analysis of the comparison found the same signatures (paths and counts). */
        boolean sameSignatures() {
            return !engines.isEmpty() && engines.stream().allMatch(r -> r.analysis().skipped() == null
                    && r.analysis().signatures().equals(engines.get(0).analysis().signatures()));
        }

        String firstAndLater() {
            Run first = runs.get(0);
            String later = runs.size() < 2 ? "-" : String.valueOf(median(runs.subList(1, runs.size()), r -> r.analysis().millis()));
            return first.analysis().millis() + (first.firstInJvm() ? " (JVM's first)" : "") + " / " + later;
        }
    }

    private final List<Size> sizes;
    private final int connections;

    LeakTraceFigures(List<Size> sizes, int connections) {
        this.sizes = sizes;
        this.connections = connections;
    }

    private static final String[] SIZE_HEADER = {
        "Live heap", "Used after GC", "Objects", "Load before", "Dump file", "Dump ms", "Analysis ms", "MiB/s",
        "First / later analysis ms", "Heap needed (max)", "Live held (probed)", "Allocated", "Leaking / signatures"};
    private static final String[] RUN_HEADER = {
        "Live heap", "Engine", "First in JVM", "Dump ms", "Dump MiB", "Analysis ms", "MiB/s", "Heap needed",
        "Heap peak", "GCs", "Allocated (analysis thread)", "RSS growth", "Leaking / signatures"};
    private static final String[] ENGINE_HEADER = {
        "Live heap", "Dump file", "Production ms (runs)", "Shark ms (runs)", "Production / Shark (rounds)",
        "Same signatures", "Heap needed, production / Shark", "Live held (probed), production / Shark"};

    private List<String[]> sizeCells() {
        List<String[]> cells = new ArrayList<>();
        for (Size size : sizes) {
            Run last = size.runs().get(size.runs().size() - 1);
            cells.add(new String[] {
                "~" + size.targetMib() + " MiB", mib(size.usedBytes()), String.format(Locale.ROOT, "%.1f M", size.objects() / 1e6),
                size.loadBefore(), mib(size.dumpBytes()), String.valueOf(size.median(size.runs(), Run::dumpMillis)),
                String.valueOf(size.median(size.runs(), r -> r.analysis().millis())),
                String.format(Locale.ROOT, "%.0f", size.medianMibPerSecond(size.runs())), size.firstAndLater(),
                mib(size.heapNeeded()), mib(size.probedLive(BenchmarkAccess.PRODUCTION)),
                mib(size.median(size.runs(), r -> r.memory().allocated())),
                last.analysis().skipped() != null ? "skipped" : last.analysis().leakingObjects() + " / "
                        + last.analysis().signatures().size()});
        }
        return cells;
    }

    private List<String[]> runCells() {
        List<String[]> cells = new ArrayList<>();
        for (Size size : sizes) {
            List<Run> all = new ArrayList<>(size.runs());
            all.addAll(size.engines());
            for (int i = 0; i < all.size(); i++) {
                Run run = all.get(i);
                AnalysisMemory.Figures memory = run.memory();
                cells.add(new String[] {
                    "~" + size.targetMib() + " MiB", run.engine() + (i < size.runs().size() ? "" : " (comparison)"),
                    run.firstInJvm() ? "first" : "later", String.valueOf(run.dumpMillis()), mib(run.dumpBytes()),
                    String.valueOf(run.analysis().millis()), String.format(Locale.ROOT, "%.0f", run.mibPerSecond()),
                    mib(memory.needed()) + (memory.liveAfterGcOverBefore() < 0 ? " (peak)" : ""),
                    mib(memory.peakOverBefore()), String.valueOf(memory.collections()),
                    mib(memory.allocated()) + " (" + mib(memory.allocatedByAnalysisThread()) + ")",
                    mib(memory.residentGrowth()),
                    run.analysis().skipped() != null ? "skipped" : run.analysis().leakingObjects() + " / "
                            + run.analysis().signatures().size()});
            }
        }
        return cells;
    }

    private List<String[]> engineCells() {
        List<String[]> cells = new ArrayList<>();
        for (Size size : sizes) {
            if (size.engineError() != null || size.engines().isEmpty()) {
                cells.add(new String[] {"~" + size.targetMib() + " MiB", "-", "-", "-",
                    size.engineError() == null ? "not run" : size.engineError(), "-", "-",
                    mib(size.probedLive(BenchmarkAccess.PRODUCTION)) + " / " + mib(size.probedLive(BenchmarkAccess.SHARK))});
                continue;
            }
            List<Run> production = size.engine(BenchmarkAccess.PRODUCTION);
            List<Run> shark = size.engine(BenchmarkAccess.SHARK);
            cells.add(new String[] {
                "~" + size.targetMib() + " MiB", mib(size.engines().get(0).dumpBytes()), millis(production), millis(shark),
                String.format(Locale.ROOT, "%.2f (%s)", median(size.roundRatios()), size.roundRatios().stream()
                        .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", "))),
                size.sameSignatures() ? "yes" : "NO",
                mib(production.stream().mapToLong(r -> r.memory().needed()).max().orElse(0)) + " / "
                        + mib(shark.stream().mapToLong(r -> r.memory().needed()).max().orElse(0)),
                mib(size.probedLive(BenchmarkAccess.PRODUCTION)) + " / " + mib(size.probedLive(BenchmarkAccess.SHARK))});
        }
        return cells;
    }

    private static String millis(List<Run> runs) {
        return runs.stream().map(r -> String.valueOf(r.analysis().millis())).collect(Collectors.joining(", "));
    }

    /** What is wrong with the figures: a run that did not find its 1000 leaks as one signature, engines that disagree. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Size size : sizes) {
            List<Run> all = new ArrayList<>(size.runs());
            all.addAll(size.engines());
            all.addAll(size.probes());
            for (Run run : all) {
                if (!run.oneSignature(connections)) {
                    problems.add("~" + size.targetMib() + " MiB, " + run.engine() + ": " + run.analysis().leakingObjects()
                            + " leaking objects in " + run.analysis().signatures().size() + " signature(s)"
                            + (run.analysis().skipped() == null ? "" : ", skipped: " + run.analysis().skipped())
                            + " (expected " + connections + " in 1)");
                }
            }
            if (!size.engines().isEmpty() && !size.sameSignatures()) {
                problems.add("~" + size.targetMib() + " MiB: production and Shark found different signatures");
            }
        }
        return problems;
    }

    String verdict() {
        StringBuilder text = new StringBuilder("Analysis speed, median (goal >= ")
                .append(String.format(Locale.ROOT, "%.0f", GOAL_MIB_PER_SECOND)).append(" MiB/s of dump; heap <= ")
                .append(String.format(Locale.ROOT, "%.0f", GOAL_HEAP_SHARE * 100)).append(" % of the dump): ");
        text.append(sizes.stream().map(size -> {
            double speed = size.medianMibPerSecond(size.runs());
            double share = size.heapForGoal() / (double) Math.max(1, size.dumpBytes());
            return String.format(Locale.ROOT, "~%d MiB %.0f MiB/s (%s), heap %.0f %% of the dump (%s, %s)",
                    size.targetMib(), speed, speed >= GOAL_MIB_PER_SECOND ? "met" : "MISSED", share * 100,
                    size.probedLive(BenchmarkAccess.PRODUCTION) >= 0 ? "live held, probed" : "after-GC bound",
                    share <= GOAL_HEAP_SHARE ? "met" : "MISSED");
        }).collect(Collectors.joining("; "))).append('.');
        List<String> problems = problems();
        text.append(problems.isEmpty() ? " Every run: " + connections + " leaks in 1 signature."
                : " PROBLEMS: " + String.join("; ", problems) + ".");
        return text.toString();
    }

    String text() {
        return BenchmarkSupport.textTable(SIZE_HEADER, sizeCells(), Set.of(8)) + "\n"
                + BenchmarkSupport.textTable(RUN_HEADER, runCells(), Set.of(1, 2, 10, 12)) + "\n"
                + BenchmarkSupport.textTable(ENGINE_HEADER, engineCells(), Set.of(2, 3, 4, 5, 6, 7)) + "\n" + verdict();
    }

    String markdown(String leakSetup) {
        StringBuilder md = new StringBuilder("# Leak trace benchmark: heap dump + analysis, production vs Shark\n\n");
        md.append(BenchmarkSupport.SHARED_MACHINE_NOTE).append("\n\n");
        md.append(BenchmarkSupport.markdownTable(SIZE_HEADER, sizeCells(), Set.of(3, 8))).append('\n');
        md.append(verdict()).append("\n\n");
        md.append("Leaked connections: ").append(leakSetup).append(".\n\n");
        md.append(LeakTraceMethod.TEXT).append("\n\n## Every run\n\n");
        md.append(BenchmarkSupport.markdownTable(RUN_HEADER, runCells(), Set.of(1, 2, 10, 12))).append('\n');
        md.append("## Production vs Shark on one dump per size\n\n");
        md.append(LeakTraceMethod.ENGINES).append("\n\n");
        md.append(BenchmarkSupport.markdownTable(ENGINE_HEADER, engineCells(), Set.of(2, 3, 4, 5, 6, 7))).append('\n');
        for (Size size : sizes) {
            size.engine(BenchmarkAccess.SHARK).stream().findFirst().ifPresent(run -> md.append("~").append(size.targetMib())
                    .append(" MiB, Shark's steps (ms): ").append(run.analysis().stepMillis()).append("\n\n"));
        }
        md.append("## Signatures printed\n\n");
        for (Size size : sizes) {
            md.append("~").append(size.targetMib()).append(" MiB heap:\n\n```\n")
                    .append(size.runs().get(size.runs().size() - 1).analysis().description()).append("\n```\n\n");
        }
        md.append("## JFR windows\n\nWith the benchmark JVM recording (`bench/run --jfr`), each size's analyses:\n\n");
        for (Size size : sizes) {
            md.append("- ~").append(size.targetMib()).append(" MiB: `--from ").append(size.from()).append(" --to ")
                    .append(size.to()).append("`\n");
        }
        return md.append('\n').toString();
    }

    /** The figures for bench/run, one set per heap size. */
    void write(ResultFile result, String leakSetup) {
        for (Size size : sizes) {
            String at = ", ~" + size.targetMib() + " MiB live heap";
            List<Run> runs = size.runs();
            result.figure("heap dump" + at, values(runs, Run::dumpMillis), "ms", String.format(Locale.ROOT,
                    "%.1f M objects, dump file %.0f MiB, load before %s", size.objects() / 1e6, size.dumpBytes() / MIB,
                    size.loadBefore()));
            result.figure("analysis (production path)" + at, values(runs, r -> r.analysis().millis()), "ms",
                    "first / later: " + size.firstAndLater() + " ms");
            result.figure("analysis speed" + at, runs.stream().map(Run::mibPerSecond).toList(), "MiB/s",
                    "dump MiB / analysis s; goal >= " + (int) GOAL_MIB_PER_SECOND);
            result.figure("analysis heap needed" + at, runs.stream().map(r -> r.memory().needed() / MIB).toList(), "MiB",
                    "heap in use after a GC during the analysis (or its peak, without a GC) minus before; goal <= "
                            + Math.round(size.dumpBytes() * GOAL_HEAP_SHARE / MIB) + " MiB (a quarter of the dump)");
            for (Run probe : size.probes()) {
                result.figure("analysis live heap held (probed), " + probe.engine() + at,
                        List.of(probe.memory().liveProbed() / MIB), "MiB", "largest heap in use after one of "
                                + probe.memory().probes() + " full GCs during one more analysis, minus before");
            }
            result.figure("analysis allocation" + at, runs.stream().map(r -> r.memory().allocated() / MIB).toList(),
                    "MiB", "allocated by every Java thread during the analysis");
            if (!size.engines().isEmpty()) {
                result.ratio("analysis time, production / Shark reference, same dump" + at, median(size.roundRatios()),
                        null, 0, "production " + millis(size.engine(BenchmarkAccess.PRODUCTION)) + " ms, Shark "
                                + millis(size.engine(BenchmarkAccess.SHARK)) + " ms; same signatures: "
                                + (size.sameSignatures() ? "yes" : "NO"), size.roundRatios());
            }
            result.text("Signatures" + at, runs.get(runs.size() - 1).analysis().description());
            result.detail("loadBefore" + size.targetMib() + "MiB", size.loadBefore());
            result.detail("jfrWindow" + size.targetMib() + "MiB", "--from " + size.from() + " --to " + size.to());
        }
        result.detail("leakedConnections", leakSetup);
        result.detail("verdict", verdict());
        if (!problems().isEmpty()) {
            result.detail("problems", problems());
        }
        result.write();
    }

    private static List<Double> values(List<Run> runs, ToLongFunction<Run> figure) {
        return runs.stream().map(r -> (double) figure.applyAsLong(r)).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.isEmpty() ? Double.NaN : sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", bytes / MIB);
    }
}
