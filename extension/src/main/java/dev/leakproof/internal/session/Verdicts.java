package dev.leakproof.internal.session;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.internal.check.Check;
import dev.leakproof.internal.check.ClassGrowthCheck;
import dev.leakproof.internal.check.ClassThreadsCheck;
import dev.leakproof.internal.check.FileDescriptorsCheck;
import dev.leakproof.internal.check.HeapSurvivorsCheck;
import dev.leakproof.internal.check.NettyBuffersCheck;
import dev.leakproof.internal.check.OpenConnectionsCheck;
import dev.leakproof.internal.check.RetainedSizeCheck;
import dev.leakproof.internal.check.ScheduledTasksCheck;
import dev.leakproof.internal.check.StepLoadCheck;
import dev.leakproof.internal.check.TargetConnectionsCheck;
import dev.leakproof.internal.check.ThreadsCheck;
import dev.leakproof.internal.check.TlsPeersCheck;
import dev.leakproof.internal.check.Window;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.report.TestId;
import dev.leakproof.internal.report.TestVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order of the checks, and how their findings become one verdict. The message, the JSON and
 * the HTML all come from the same findings: the message joins the leaks in the order of their
 * kinds, which is not always the order they run in.
 *
 * <pre>{@code
 * TestVerdict verdict = Verdicts.verdict(window, test, Verdicts.run(Verdicts.PER_TEST, window), state, reportLine);
 * }</pre>
 */
final class Verdicts {

    /**
     * After each test, in this order: open connections first, at the fixture and at a server the test
     * started (they wait for closes in flight, and the later checks judge the state they waited for);
     * descriptors before any GC (a GC closes unreachable streams and would hide a descriptor leak);
     * then the heap (forced GCs until collected or proven to stay, leak traces); scheduled tasks after
     * the heap's settling, so that their count is stable; the TLS objects of clients (and of servers
     * the test started) heard through the fixture's TLS material; threads; Netty's buffer leaks last
     * (they need a GC: the heap check's serves).
     */
    static final List<Check> PER_TEST = List.of(new OpenConnectionsCheck(), new TargetConnectionsCheck(),
            new FileDescriptorsCheck(), new HeapSurvivorsCheck(), new ScheduledTasksCheck(), new TlsPeersCheck(),
            new ThreadsCheck(), new NettyBuffersCheck());

    /** Once per class, after its tests, when their settings ask for them; they drive connections of their own. */
    static final List<Check> PER_CLASS = List.of(new RetainedSizeCheck(), new ClassGrowthCheck(), new StepLoadCheck());

    /** Last of all, after the class's {@code @AfterAll} methods. */
    static final List<Check> CLASS_END = List.of(new ClassThreadsCheck());

    private Verdicts() {
    }

    /** Runs {@code checks} in order over {@code window}, timing each into {@code stepMillis} (by check). */
    static List<Finding> run(List<Check> checks, Window window, Map<String, Double> stepMillis) {
        List<Finding> findings = new ArrayList<>();
        for (Check check : checks) {
            long start = System.nanoTime();
            findings.addAll(check.run(window));
            stepMillis.put(check.getClass().getSimpleName(), (System.nanoTime() - start) / 1e6);
        }
        return findings;
    }

    /** Runs {@code checks} in order over {@code window}. */
    static List<Finding> run(List<Check> checks, Window window) {
        return run(checks, window, new LinkedHashMap<>());
    }

    /**
     * One test's verdict from its findings. Its message, in the report, holds the leaks this verdict
     * found and the ones a check called by the test already failed it with.
     */
    static TestVerdict verdict(Window window, TestId test, List<Finding> findings, Map<String, Double> stepMillis,
            TestVerdict.TestState state,
            String reportLine) {
        List<Finding> leaks = leaksInReadingOrder(findings);
        List<Finding> reported = findings.stream().filter(f -> f.isLeak() || f.outcome() == Finding.Outcome.THROWN)
                .sorted(Comparator.comparing(Finding::kind)).toList();
        String message = reported.isEmpty() ? "" : message(reported) + reportLine;
        return new TestVerdict(test, TestVerdict.outcome(!reported.isEmpty(), state), window.connections(),
                leaked(leaks), byClass(leaks), message, (System.nanoTime() - window.startNanos()) / 1_000_000, findings,
                stepMillis);
    }

    /** The failure a verdict throws: its own leaks (not those already thrown), or empty when it found none. */
    static Optional<ConnectionLeakError> failure(TestVerdict verdict, String reportLine) {
        List<Finding> leaks = leaksInReadingOrder(verdict.findings());
        return leaks.isEmpty() ? Optional.empty() : Optional.of(new ConnectionLeakError(message(leaks) + reportLine,
                verdict.leakedConnections(), verdict.connections(), verdict.survivorsByClass()));
    }

    /**
     * The failure of a verdict over the class (its class-level checks, its threads at the end): the
     * same shape as a test's, its leaks in reading order, over the {@code connections} the checks judged.
     */
    static Optional<ConnectionLeakError> failure(List<Finding> findings, long connections, String reportLine) {
        List<Finding> leaks = leaksInReadingOrder(findings);
        return leaks.isEmpty() ? Optional.empty() : Optional.of(new ConnectionLeakError(message(leaks) + reportLine,
                leaked(leaks), connections, byClass(leaks)));
    }

    /** Connections the leaks count as leaked: the most any one of them counts (they count the same connections). */
    private static long leaked(List<Finding> leaks) {
        return leaks.stream().mapToLong(Finding::leakedConnections).max().orElse(0);
    }

    /** What the leaks left, by class name or kind, summed. */
    private static Map<String, Long> byClass(List<Finding> leaks) {
        Map<String, Long> byClass = new LinkedHashMap<>();
        leaks.forEach(f -> f.countsByClass().forEach((k, v) -> byClass.merge(k, v, Long::sum)));
        return byClass;
    }

    /** The leaks' messages, in reading order, one paragraph each. */
    static String message(List<Finding> leaks) {
        return String.join("\n\n", leaks.stream().map(Finding::message).toList());
    }

    static List<Finding> leaksInReadingOrder(List<Finding> findings) {
        return findings.stream().filter(Finding::isLeak).sorted(Comparator.comparing(Finding::kind)).toList();
    }
}
