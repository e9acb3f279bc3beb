package dev.leakproof.internal.session;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.internal.check.Finding;
import dev.leakproof.internal.report.ClassReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The end of a test class, after its {@code @AfterAll} methods, in this order: a verdict of what
 * happened outside tests, the class-level checks ({@link Verdicts#PER_CLASS}), a verdict of the
 * connections those checks drove, and the class's threads ({@link Verdicts#CLASS_END}). The first
 * failure is returned with the others suppressed in it, and the report is written whatever happens.
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
            classChecks().ifPresent(failures::add);
            // The class-level checks drive connections of their own: judge them too.
            if (session.hasUnjudgedActivity()) {
                session.verdict("class-level checks", classFailed).ifPresent(failures::add);
            }
            classThreads().ifPresent(failures::add);
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

    /** Retained size per open connection against its budget, class-histogram growth and the step load. */
    private Optional<AssertionError> classChecks() {
        List<Finding> findings = Verdicts.run(Verdicts.PER_CLASS, session.classWindow("class-level checks"));
        report.addClassFindings(findings);
        List<Finding> leaks = Verdicts.leaksInReadingOrder(findings);
        return leaks.isEmpty() ? Optional.empty()
                : Optional.of(new AssertionError(Verdicts.message(leaks) + session.reportLine()));
    }

    /** Every thread the class started, judged by growth (or, strictly, all of them). */
    private Optional<AssertionError> classThreads() {
        List<Finding> findings = Verdicts.run(Verdicts.CLASS_END, session.classWindow("class end"));
        report.addClassFindings(findings);
        List<Finding> leaks = Verdicts.leaksInReadingOrder(findings);
        if (leaks.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> counts = leaks.get(0).countsByClass();
        return Optional.of(new ConnectionLeakError(Verdicts.message(leaks) + session.reportLine(), 0,
                session.server().counts().accepted(), counts));
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
