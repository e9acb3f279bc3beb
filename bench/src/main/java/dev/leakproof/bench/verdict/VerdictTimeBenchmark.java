package dev.leakproof.bench.verdict;

import dev.leakproof.bench.BenchResult;
import dev.leakproof.bench.Options;
import dev.leakproof.bench.TempDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How long a verdict takes after the test's last close, for a clean and a leaky handler, at one
 * number of connections per JVM (bench/run starts one JVM for 200 and one for 2000). The test classes
 * ({@link LeakproofRuns}) run through the Jupiter engine, and the figures come from the extension's
 * own JSON report: each test's {@code verdictMillis}, and for the leak the leak trace's
 * {@code dumpMillis} and {@code analysisMillis}. Order in the JVM: one clean run (cold, reported apart),
 * {@code --clean} clean runs, then {@code --leaky} leaky runs, the first of which is reported apart
 * too: Shark's code is not yet compiled by the JIT then, as on a build's first leak.
 *
 * <p>Options: {@code --connections 200}, {@code --clean 20}, {@code --leaky 5}.
 */
public final class VerdictTimeBenchmark {

    private VerdictTimeBenchmark() {
    }

    public static void main(String[] args) {
        Options.main("VerdictTimeBenchmark", () -> run(args));
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("connections", "200");
        defaults.put("clean", "20");
        defaults.put("leaky", "5");
        Options options = Options.parse(args, defaults);
        int connections = options.positive("connections");
        int cleanRuns = options.positive("clean");
        int leakyRuns = options.positive("leaky");
        BenchResult result = BenchResult.start("verdict-time-" + connections,
                "Verdict time after the last close, " + connections + " connections", options.settings());
        try (TempDir reportDir = TempDir.create("leakproof-verdict-reports")) {
            Path reports = reportDir.path();
            System.out.printf(Locale.ROOT, "Verdict time, %d connections: 1 + %d clean runs, %d leaky runs%n",
                    connections, cleanRuns, leakyRuns);
            LeakproofRuns.Run coldClean = runOnce(LeakproofRuns.CleanTestCase.class, connections, reports, "clean (cold)");
            List<LeakproofRuns.Run> clean = new ArrayList<>();
            for (int i = 0; i < cleanRuns; i++) {
                clean.add(runOnce(LeakproofRuns.CleanTestCase.class, connections, reports, "clean " + (i + 1)));
            }
            List<LeakproofRuns.Run> leaky = new ArrayList<>();
            for (int i = 0; i < leakyRuns; i++) {
                leaky.add(runOnce(LeakproofRuns.LeakyTestCase.class, connections, reports, "leaky " + (i + 1)));
            }

            String at = ", " + connections + " connections";
            result.figure("clean verdict" + at, values(clean, LeakproofRuns.Run::verdictMillis), "ms",
                    "verdictMillis from the JSON report; first run in the JVM (cold) excluded: "
                            + coldClean.verdictMillis() + " ms");
            result.figure("clean, last close to test finished" + at,
                    values(clean, LeakproofRuns.Run::closeToFinishedMillis), "ms", "as the build sees it");
            result.figure("leaky verdict, first in the JVM" + at,
                    values(leaky.subList(0, 1), LeakproofRuns.Run::verdictMillis), "ms",
                    "the analysis code is cold (not yet JIT-compiled); dump " + leaky.get(0).dumpMillis() + " ms, analysis "
                            + leaky.get(0).analysisMillis() + " ms");
            List<LeakproofRuns.Run> warmLeaky = leaky.subList(1, leaky.size());
            if (!warmLeaky.isEmpty()) {
                result.figure("leaky verdict, later" + at, values(warmLeaky, LeakproofRuns.Run::verdictMillis), "ms",
                        "verdictMillis, including the leak trace");
                result.figure("leaky: heap dump" + at, values(warmLeaky, r -> r.dumpMillis()), "ms",
                        "leakTrace.dumpMillis");
                result.figure("leaky: leak-path analysis" + at, values(warmLeaky, r -> r.analysisMillis()), "ms",
                        "leakTrace.analysisMillis");
            }
            result.figure("leaky, last close to test finished" + at,
                    values(leaky, LeakproofRuns.Run::closeToFinishedMillis), "ms", "all leaky runs, first included");
            // Where a verdict's time goes, check by check (the JSON report's verdictSteps): the floor of a
            // clean verdict, and what a leak adds before its trace.
            for (String check : clean.get(0).stepMillis().keySet()) {
                result.figure("clean verdict step " + check + at, steps(clean, check),
                        "ms", "verdictSteps, median of the clean runs");
            }
            for (String check : leaky.get(0).stepMillis().keySet()) {
                result.figure("leaky verdict step " + check + at, steps(leaky, check),
                        "ms", "verdictSteps, all leaky runs (HeapSurvivorsCheck includes the leak trace)");
            }
            result.text("Leaky verdict message, first lines (" + connections + " connections)",
                    LeakproofRuns.firstLines(leaky.get(0).message(), 12));

            List<Object> runs = new ArrayList<>();
            runs.add(describe("clean (cold)", coldClean));
            for (int i = 0; i < clean.size(); i++) {
                runs.add(describe("clean " + (i + 1), clean.get(i)));
            }
            for (int i = 0; i < leaky.size(); i++) {
                runs.add(describe("leaky " + (i + 1), leaky.get(i)));
            }
            result.detail("runs", runs);
            String problems = problems(coldClean, clean, leaky, connections);
            result.detail("problems", problems);
            if (!problems.isEmpty()) {
                result.text("Problems", problems);
                System.out.println("PROBLEMS: " + problems);
            }
            System.out.println("Result: " + result.write());
            return problems.isEmpty() ? 0 : Options.PROBLEMS;
        }
    }

    private static LeakproofRuns.Run runOnce(Class<?> testCase, int connections, Path reports, String label) {
        LeakproofRuns.Run run = LeakproofRuns.run(testCase, connections, reports);
        System.out.printf(Locale.ROOT, "  %-14s %-11s verdict %5d ms, close->finished %5d ms, class %6d ms%s%n",
                label, run.outcome(), run.verdictMillis(), run.closeToFinishedMillis(), run.classMillis(),
                run.dumpMillis() == null ? "" : ", dump " + run.dumpMillis() + " ms, analysis " + run.analysisMillis()
                        + " ms, " + run.leakingObjects() + " leaking objects");
        return run;
    }

    /** A clean run that fails, or a leak that passes, is a wrong verdict: the figures would mean nothing. */
    private static String problems(LeakproofRuns.Run cold, List<LeakproofRuns.Run> clean, List<LeakproofRuns.Run> leaky,
            int connections) {
        List<String> problems = new ArrayList<>();
        List<LeakproofRuns.Run> allClean = new ArrayList<>(clean);
        allClean.add(cold);
        allClean.stream().filter(LeakproofRuns.Run::failed).findFirst()
                .ifPresent(r -> problems.add("a clean run failed: " + LeakproofRuns.firstLines(r.message(), 3)));
        leaky.stream().filter(r -> !r.failed()).findFirst().ifPresent(r -> problems.add("a leaky run passed"));
        leaky.stream().filter(r -> r.leakedConnections() != connections).findFirst().ifPresent(r -> problems.add(
                "a leaky run reported " + r.leakedConnections() + " of " + connections + " connections leaked"));
        allClean.stream().filter(r -> r.cycleFailures() > 0).findFirst()
                .ifPresent(r -> problems.add(r.cycleFailures() + " cycles failed in a clean run"));
        return String.join("; ", problems);
    }

    private static Map<String, Object> describe(String label, LeakproofRuns.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", label);
        m.put("outcome", run.outcome());
        m.put("connections", run.connections());
        m.put("leakedConnections", run.leakedConnections());
        m.put("verdictMillis", run.verdictMillis());
        m.put("closeToFinishedMillis", run.closeToFinishedMillis());
        m.put("classMillis", run.classMillis());
        m.put("dumpMillis", run.dumpMillis());
        m.put("analysisMillis", run.analysisMillis());
        m.put("leakingObjects", run.leakingObjects());
        m.put("cycleFailures", run.cycleFailures());
        return m;
    }

    private static List<Double> steps(List<LeakproofRuns.Run> runs, String check) {
        return runs.stream().map(r -> r.stepMillis().getOrDefault(check, 0.0)).toList();
    }

    private static List<Double> values(List<LeakproofRuns.Run> runs, Function<LeakproofRuns.Run, Long> value) {
        return runs.stream().map(value).filter(v -> v != null).map(Long::doubleValue).toList();
    }
}
