package dev.leakproof.internal.session;

import dev.leakproof.internal.report.TestVerdict;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A verdict where people look. JUnit report entries reach IDEs, JUnit's console launcher and Open
 * Test Reporting, but Maven Surefire 3.x drops them (its JUnit Platform listener does not handle
 * {@code reportingEntryPublished}: checked in 3.6.1). So each verdict is also one line on standard
 * output, which Surefire prints to the console and keeps in the test's {@code <system-out>} in
 * {@code target/surefire-reports/TEST-*.xml} (or in {@code *-output.txt} with
 * {@code redirectTestOutputToFile}), with no configuration.
 *
 * <pre>{@code
 * PublishedVerdict.publish(context, verdict.outcome(), verdict, session.report().htmlPath());
 * // Leakproof: pass, 2000 connections judged, 0 leaked, verdict in 312 ms, report /…/ChatTests.html
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
final class PublishedVerdict {

    /** The start of every verdict line: what a CI log search or a grep of the XML looks for. */
    static final String LINE_PREFIX = "Leakproof: ";

    // Keys of the report entries each verdict publishes.
    static final String VERDICT_ENTRY = "leakproof.verdict";
    static final String CONNECTIONS_ENTRY = "leakproof.connections";
    static final String LEAKED_CONNECTIONS_ENTRY = "leakproof.leakedConnections";
    static final String VERDICT_MILLIS_ENTRY = "leakproof.verdictMillis";
    static final String REPORT_ENTRY = "leakproof.report";

    private PublishedVerdict() {
    }

    /**
     * A test's verdict (with its counts), or the class's ({@code verdict} null): report entries and
     * the line on standard output.
     */
    static void publish(ExtensionContext context, String outcome, TestVerdict verdict, Path report) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(VERDICT_ENTRY, outcome);
        if (verdict != null) {
            entries.put(CONNECTIONS_ENTRY, Long.toString(verdict.connections()));
            entries.put(LEAKED_CONNECTIONS_ENTRY, Long.toString(verdict.leakedConnections()));
            entries.put(VERDICT_MILLIS_ENTRY, Long.toString(verdict.verdictMillis()));
        }
        String reportPath = report.toAbsolutePath().toString();
        entries.put(REPORT_ENTRY, reportPath);
        context.publishReportEntry(entries);
        PrintStream out = System.out;
        out.println(line(context.getDisplayName(), outcome, verdict, reportPath));
        out.flush();
    }

    /** {@code Leakproof: echo(): pass, 10 connections judged, 0 leaked, verdict in 12 ms, report /…/X.html}. */
    static String line(String name, String outcome, TestVerdict verdict, String report) {
        StringBuilder line = new StringBuilder(LINE_PREFIX).append(name).append(": ").append(outcome);
        if (verdict != null) {
            line.append(", ").append(verdict.connections()).append(verdict.connections() == 1 ? " connection" : " connections")
                    .append(" judged, ").append(verdict.leakedConnections()).append(" leaked, verdict in ")
                    .append(verdict.verdictMillis()).append(" ms");
        } else {
            line.append(" (the class)");
        }
        return line.append(", report ").append(report).toString();
    }
}
