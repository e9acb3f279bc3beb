package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Verdicts where people look: report entries on each test (Surefire's XML and console show them)
 * and the run's index of every class report, worst first, linking to each class's page.
 */
class ResultsWherePeopleLookTests {

    @TempDir
    Path reports;

    static final List<Object> KEPT = new CopyOnWriteArrayList<>();

    /** Keeps every connection's handler in a static list: the leak this class is about. */
    static final class KeepingHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            KEPT.add(this);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, leakTrace = false)
    static class LeakyTestCase {
        @ServerPipeline
        static KeepingHandler handler() {
            return new KeepingHandler();
        }

        @Test
        void keepsEveryHandler(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    static class CleanTestCase {
        @Test
        void echo() {
        }
    }

    @Test
    void eachVerdictIsPublishedAsReportEntries() {
        KEPT.clear();
        EngineExecutionResults leaky = TestKit.run(LeakyTestCase.class, reportDirectory());
        EngineExecutionResults clean = TestKit.run(CleanTestCase.class, reportDirectory());
        KEPT.clear();

        Map<String, String> leak = entriesOf(leaky, "keepsEveryHandler(ConnectionDriver)");
        assertThat(leak).containsEntry("leakproof.verdict", "leak found").containsEntry("leakproof.connections", "20")
                .containsEntry("leakproof.leakedConnections", "20")
                .containsEntry("leakproof.report", reports.resolve(LeakyTestCase.class.getName() + ".html")
                        .toAbsolutePath().toString());
        assertThat(leak.get("leakproof.verdictMillis")).matches("\\d+");
        Map<String, String> pass = entriesOf(clean, "echo()");
        assertThat(pass).containsEntry("leakproof.verdict", "pass").containsEntry("leakproof.connections", "10")
                .containsEntry("leakproof.leakedConnections", "0");
        // The class's own entry: its verdict and its report.
        assertThat(entriesOf(leaky, LeakyTestCase.class.getSimpleName())).containsEntry("leakproof.verdict", "leak found")
                .containsKey("leakproof.report");
        assertThat(entriesOf(clean, CleanTestCase.class.getSimpleName())).containsEntry("leakproof.verdict", "pass");
    }

    @Test
    void theRunsIndexListsEveryClassWorstFirstWithLinksThatResolve() throws IOException {
        KEPT.clear();
        TestKit.run(CleanTestCase.class, reportDirectory());
        // Another fork's report, read while it was half written (reports are written whole; a file a
        // tool left half written must not break the index).
        Files.writeString(reports.resolve("half-written.json"), "{\"testClass\": \"com.example.Half");
        TestKit.run(LeakyTestCase.class, reportDirectory());
        KEPT.clear();

        String json = Files.readString(reports.resolve("index.json"));
        assertThat(json).contains("\"classes\": 3").contains("\"leaking\": 1");
        // Worst first: the leak, then the unreadable report, then the pass.
        assertThat(json.indexOf(LeakyTestCase.class.getName())).isLessThan(json.indexOf("half-written"));
        assertThat(json.indexOf("half-written")).isLessThan(json.indexOf(CleanTestCase.class.getName()));
        assertThat(json).contains("\"leakedConnections\": 20").contains("\"verdict\": \"leak found\"");

        String html = Files.readString(reports.resolve("index.html"));
        assertThat(html).contains("3 test classes: 1 with a leak, 1 with failed tests or an unreadable report, 1 passing.");
        Matcher links = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        int count = 0;
        while (links.find()) {
            count++;
            assertThat(reports.resolve(links.group(1).replace("%24", "$"))).as("target of link %s", links.group(1)).isRegularFile();
        }
        assertThat(count).isEqualTo(2);
        assertThat(Files.readString(reports.resolve(CleanTestCase.class.getName() + ".html"))).contains("href=\"index.html\"");
        try (var files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("temporary files left").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void eachVerdictIsOneLineOnStandardOutputForSurefiresXmlAndConsole() {
        // Surefire drops JUnit's report entries; what a test prints it keeps in its XML and console.
        KEPT.clear();
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            TestKit.run(LeakyTestCase.class, reportDirectory());
        } finally {
            System.setOut(stdout);
            KEPT.clear();
        }
        String html = reports.resolve(LeakyTestCase.class.getName() + ".html").toAbsolutePath().toString();
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("Leakproof: keepsEveryHandler(ConnectionDriver): "
                + "leak found, 20 connections judged, 20 leaked, verdict in ").contains(" ms, report " + html + "\n")
                .contains("Leakproof: " + LeakyTestCase.class.getName().substring(LeakyTestCase.class.getPackageName().length() + 1)
                        + ": leak found (the class), report " + html);
    }

    @Test
    void reportsAreReadableByEveryoneAndTheIndexMarksEarlierRunsReports() throws IOException {
        // A report an earlier run left: written before this run (the Maven invocation) began.
        Path earlier = reports.resolve("com.example.EarlierTests.json");
        Files.writeString(earlier, "{\"testClass\": \"com.example.EarlierTests\", \"passed\": false, \"verdict\": \"leak found\"}");
        Files.setLastModifiedTime(earlier, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
        TestKit.run(CleanTestCase.class, reportDirectory());

        String json = Files.readString(reports.resolve("index.json"));
        assertThat(json).contains("\"classes\": 1").contains("\"leaking\": 0").contains("\"earlierRunClasses\": 1");
        assertThat(json.indexOf(CleanTestCase.class.getName())).isLessThan(json.indexOf("com.example.EarlierTests"));
        String html = Files.readString(reports.resolve("index.html"));
        assertThat(html).contains("1 test classes: 0 with a leak, 0 with failed tests or an unreadable report, 1 passing.")
                .contains("From an earlier run: 1 class reports written before this run began, not counted above")
                .contains("<tr class=\"earlier\"><td><a href=\"com.example.EarlierTests.html\">");

        for (String file : List.of("index.json", "index.html", CleanTestCase.class.getName() + ".json",
                CleanTestCase.class.getName() + ".html")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(reports.resolve(file))))
                    .as("permissions of %s", file).isEqualTo("rw-r--r--");
        }
    }

    private Map<String, String> reportDirectory() {
        return Map.of(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME, reports.toString());
    }

    /** The report entries published on the test (or container) with this display name, merged. */
    private static Map<String, String> entriesOf(EngineExecutionResults results, String displayName) {
        Map<String, String> entries = new java.util.HashMap<>();
        results.allEvents().reportingEntryPublished().stream()
                // A static nested class displays as Outer$Inner.
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName)
                        || e.getTestDescriptor().getDisplayName().endsWith("$" + displayName))
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .forEach(entry -> entries.putAll(entry.getKeyValuePairs()));
        assertThat(entries).as("report entries of %s", displayName).isNotEmpty();
        return entries;
    }

}
