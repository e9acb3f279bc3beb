package dev.leakproof.internal.report;

import dev.leakproof.fixture.internal.json.JsonWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * What a class really ran, for the report's first lines: the configured {@code cycles} say what an
 * automatic or injected driver run would do, not what happened. A class may drive cycles (the
 * injected driver or the automatic run), open connections with its own client code (against the
 * fixture or a {@code @TargetServer}), hand an action to {@code ResourceGrowth}, or run class-level
 * checks (a growth run, retained size, step load) that drive connections of their own; any mix.
 *
 * <pre>{@code
 * report.workDone().drivenCycles(2000);
 * report.workDone().sentence(report.tests(), 8); // "2000 driven cycles at concurrency 8; 2000 connections judged in all"
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WorkDone {

    private final AtomicLong drivenCycles = new AtomicLong();
    private final AtomicLong growthRepetitions = new AtomicLong();
    private final AtomicLong classCheckConnections = new AtomicLong();

    /** Cycles an extension's driver completed for a test (injected, or the automatic run of an empty test). */
    public void drivenCycles(long cycles) {
        drivenCycles.addAndGet(cycles);
    }

    /** Repetitions of an action a test handed to {@code ResourceGrowth}. */
    public void growthRepetitions(long repetitions) {
        growthRepetitions.addAndGet(repetitions);
    }

    /** Connections the class-level checks drove, after the tests. */
    public void classCheckConnections(long connections) {
        classCheckConnections.addAndGet(connections);
    }

    /** Connections the tests' verdicts judged (every test, not the class's own windows). */
    static long judgedInTests(List<TestVerdict> tests) {
        return tests.stream().filter(t -> t.test().methodName() != null).mapToLong(TestVerdict::connections).sum();
    }

    /**
     * Connections the tests opened with their own code: judged in tests but not driven by the
     * extension (a {@code ResourceGrowth} action's connections, when it opens any, are among them).
     */
    long ownConnections(List<TestVerdict> tests) {
        return Math.max(0, judgedInTests(tests) - drivenCycles.get());
    }

    /** {@code 2000 driven cycles at concurrency 8; 120 connections the tests opened themselves; ...}. */
    String sentence(List<TestVerdict> tests, int concurrency) {
        StringBuilder s = new StringBuilder();
        if (drivenCycles.get() > 0) {
            s.append(count(drivenCycles.get(), "driven cycle")).append(" at concurrency ").append(concurrency);
        }
        long own = ownConnections(tests);
        if (own > 0) {
            s.append(s.isEmpty() ? "" : "; ").append(count(own, "connection")).append(" the tests opened themselves");
        }
        if (growthRepetitions.get() > 0) {
            s.append(s.isEmpty() ? "" : "; ").append(count(growthRepetitions.get(), "repetition"))
                    .append(" of actions judged by ResourceGrowth");
        }
        if (classCheckConnections.get() > 0) {
            s.append(s.isEmpty() ? "" : "; ").append(count(classCheckConnections.get(), "connection"))
                    .append(" driven by the class-level checks");
        }
        return s.isEmpty() ? "no connection driven or opened" : s.toString();
    }

    void json(JsonWriter j, List<TestVerdict> tests) {
        j.field("ran").open('{');
        j.field("drivenCycles").value(drivenCycles.get());
        j.field("ownConnections").value(ownConnections(tests));
        j.field("growthRepetitions").value(growthRepetitions.get());
        j.field("classCheckConnections").value(classCheckConnections.get());
        j.close('}');
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
