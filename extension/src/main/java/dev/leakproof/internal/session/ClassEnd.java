package dev.leakproof.internal.session;

import dev.leakproof.internal.check.DrivenRunGrowth;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.report.ClassReport;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.StepLoad;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of a test class, after its {@code @AfterAll} methods, in this order: a verdict of what
 * happened outside tests (and of tracked objects idle in a pool at their test's end, which the
 * pool's close there lets be judged), the class-level checks ({@link Verdicts#PER_CLASS}), a verdict
 * of the connections those checks drove, and the class's threads ({@link Verdicts#CLASS_END}). Every
 * leak is a {@code ConnectionLeakError}, as a test's is; the first failure is returned with the
 * others suppressed in it, and the report is written whatever happens.
 *
 * <pre>{@code
 * Optional<AssertionError> failure = new ClassEnd(session, report).finish(classFailed);
 * }</pre>
 */
final class ClassEnd {

    private final LeakSession session;
    private final ClassReport report;

    ClassEnd(LeakSession session, ClassReport report) {
        this.session = session;
        this.report = report;
    }

    Optional<AssertionError> finish(boolean classFailed) {
        try {
            List<AssertionError> failures = new ArrayList<>();
            if (session.hasUnjudgedActivity()) {
                session.verdict("outside tests (@BeforeAll, @AfterAll)", classFailed).ifPresent(failures::add);
            }
            int classChecksFailure = failures.size();
            List<Finding> classChecks = Verdicts.run(Verdicts.PER_CLASS, session.classWindow("class-level checks"));
            // The class-level checks drive connections of their own: judge them too.
            if (session.hasUnjudgedActivity()) {
                session.verdict("class-level checks", classFailed).ifPresent(failures::add);
            }
            List<Finding> classThreads = Verdicts.run(Verdicts.CLASS_END, session.classWindow("class end"));
            // The class's growth run and its threads at the end can name the same threads: once, in one failure.
            List<Finding> merged = SameFindings.merge(concat(classChecks, classThreads), classFailed);
            classChecks = merged.subList(0, classChecks.size());
            classThreads = merged.subList(classChecks.size(), merged.size());
            report.addClassFindings(classChecks);
            report.workDone().classCheckConnections(connectionsDriven(classChecks));
            report.addClassFindings(classThreads);
            stillOpen().ifPresent(note -> report.addClassFindings(List.of(note)));
            Verdicts.failure(classChecks, connectionsDriven(classChecks), session.reportLine())
                    .ifPresent(f -> failures.add(classChecksFailure, f));
            Verdicts.failure(classThreads, session.server().counts().accepted(), session.reportLine())
                    .ifPresent(failures::add);
            if (failures.isEmpty()) {
                return Optional.empty();
            }
            AssertionError first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            return Optional.of(first);
        } finally {
            writeReport();
        }
    }

    /**
     * Connections the class-level checks drove, as each measured them: the connections held open for
     * the retained size, the last step of the step load, the class's growth run. The class checks'
     * leaks are counted over these (a check that drove none counts 0).
     */
    static long connectionsDriven(List<Finding> findings) {
        long connections = 0;
        for (Finding f : findings) {
            connections += f.evidence(RetainedSize.class).map(RetainedSize::connections).orElse(0);
            connections += f.evidence(StepLoad.Result.class)
                    .map(r -> r.steps().stream().mapToInt(StepLoad.Step::open).max().orElse(0)).orElse(0);
            connections += f.evidence(GrowthJudge.Result.class).map(GrowthJudge.Result::repetitions).orElse(0);
            connections += f.evidence(DrivenRunGrowth.Deferred.class).map(d -> d.result().repetitions()).orElse(0);
        }
        return connections;
    }

    /**
     * Objects the test registered whose connection was still open at every verdict, and still is
     * after {@code @AfterAll}: never judged, which the report says (closing the pool there judges them).
     */
    private Optional<Finding> stillOpen() {
        long open = session.tracker().stillOpen().size();
        return open == 0 ? Optional.empty() : Optional.of(Finding.note(Finding.Kind.HEAP, open
                + (open == 1 ? " tracked object was" : " tracked objects were") + " still open at the class's end "
                + "(idle in a pool), so never judged: close the pool in @AfterAll to have them judged when they close"));
    }

    private static List<Finding> concat(List<Finding> a, List<Finding> b) {
        List<Finding> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A report that cannot be written is noted, never a test failure. */
    private void writeReport() {
        try {
            report.write();
        } catch (IOException e) {
            System.err.println("Leakproof could not write its report to " + report.htmlPath() + ": " + e);
        }
    }
}
