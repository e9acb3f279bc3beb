package dev.leakproof.internal.report;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.internal.json.JsonReader;
import dev.leakproof.fixture.internal.json.JsonWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The run's index: {@code index.html} and {@code index.json} in the report directory, listing every
 * class report there with its verdict, leaked connections, verdict time and a link to its page,
 * worst first. Rewritten at the end of each class from all the class reports present, so it covers
 * classes of every fork and Maven module that writes to the same directory. Reports written before
 * this run began ({@link RunStart}: a class report older than the Maven invocation) are left by an
 * earlier run: they are listed apart, marked, and counted in no headline of this run's. They are not
 * deleted, as another module's tests may still write next to them and {@code mvn clean} is the
 * user's to run.
 *
 * <p>Writers take a file lock on {@code .index.lock} (which also serializes test JVMs of other
 * forks), and every file is replaced whole ({@link AtomicFiles}): each class writes its own report
 * before it takes the lock, so the last index written lists every class that finished.
 *
 * <pre>{@code
 * RunIndex.rewrite(Path.of("target/leak-reports"));   // then open target/leak-reports/index.html
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RunIndex {

    static final String HTML = "index.html";
    static final String JSON = "index.json";

    /** One class report as the index lists it; {@code problem} is set when its JSON could not be read. */
    record Entry(String testClass, String verdict, long tests, long connections, long leakedConnections,
            long verdictMillis, String started, String html, String json, String problem, boolean earlierRun) {

        int severity() {
            return problem != null ? 1 : switch (verdict) {
                case "leak found" -> 0;
                case "test failed" -> 2;
                default -> 3;
            };
        }
    }

    /** Worst first: leaks, then unreadable reports, failed tests, passes; more leaked connections first, then slower. */
    static final Comparator<Entry> WORST_FIRST = Comparator.comparing(Entry::earlierRun)
            .thenComparingInt(Entry::severity)
            .thenComparing(Comparator.comparingLong(Entry::leakedConnections).reversed())
            .thenComparing(Comparator.comparingLong(Entry::verdictMillis).reversed())
            .thenComparing(Entry::testClass);

    private RunIndex() {
    }

    /** Rewrites the index of {@code directory} from the class reports in it. */
    @SuppressWarnings("try") // the lock is held for the body's duration, never referenced in it
    public static void rewrite(Path directory) throws IOException {
        // One writer per JVM at a time: a JVM cannot take an overlapping file lock twice.
        synchronized (RunIndex.class) {
            try (FileChannel channel = FileChannel.open(directory.resolve(".index.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                List<Entry> entries = read(directory, RunStart.instant());
                AtomicFiles.write(directory.resolve(JSON), IndexPage.json(entries));
                AtomicFiles.write(directory.resolve(HTML), IndexPage.html(entries));
            }
        }
    }

    /** Every class report of {@code directory}, this run's worst first, then those written before {@code runStarted}. */
    static List<Entry> read(Path directory, Instant runStarted) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.equals(JSON) && !name.startsWith(".")) {
                    entries.add(entry(file, Files.getLastModifiedTime(file).toInstant().isBefore(runStarted)));
                }
            }
        }
        entries.sort(WORST_FIRST);
        return entries;
    }

    private static Entry entry(Path file, boolean earlierRun) {
        String json = file.getFileName().toString();
        String fallbackClass = json.substring(0, json.length() - ".json".length());
        try {
            Object parsed = JsonReader.read(Files.readString(file, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> report) || !(report.get("testClass") instanceof String testClass)) {
                return unreadable(fallbackClass, json, "not a Leakproof class report", earlierRun);
            }
            List<?> tests = report.get("tests") instanceof List<?> list ? list : List.of();
            Map<?, ?> summary = report.get("summary") instanceof Map<?, ?> m ? m : Map.of();
            boolean passed = Boolean.TRUE.equals(report.get("passed"));
            String verdict = report.get("verdict") instanceof String v ? v : passed ? TestVerdict.PASS : "leak found";
            String html = report.get("htmlReport") instanceof String h ? h : fallbackClass + ".html";
            return new Entry(testClass, verdict, number(summary, "tests", tests.size()),
                    number(summary, "connections", sum(tests, "connections")),
                    number(summary, "leakedConnections", sum(tests, "leakedConnections")),
                    number(summary, "verdictMillis", sum(tests, "verdictMillis")),
                    report.get("started") instanceof String s ? s : "", html, json, null, earlierRun);
        } catch (IOException | RuntimeException e) {
            return unreadable(fallbackClass, json, e.getMessage(), earlierRun);
        }
    }

    private static Entry unreadable(String testClass, String json, String why, boolean earlierRun) {
        return new Entry(testClass, "unreadable", 0, 0, 0, 0, "", null, json, "could not read " + json + ": " + why,
                earlierRun);
    }

    private static long number(Map<?, ?> map, String key, long otherwise) {
        return map.get(key) instanceof Number n ? n.longValue() : otherwise;
    }

    private static long sum(List<?> tests, String key) {
        return tests.stream().mapToLong(t -> t instanceof Map<?, ?> m ? number(m, key, 0) : 0).sum();
    }

    /** The index as JSON and as HTML. */
    static final class IndexPage {

        private IndexPage() {
        }

        static String json(List<Entry> entries) {
            JsonWriter j = new JsonWriter();
            j.open('{');
            j.field("written").string(Instant.now().toString());
            List<Entry> thisRun = entries.stream().filter(e -> !e.earlierRun()).toList();
            j.field("classes").value(thisRun.size());
            j.field("leaking").value(thisRun.stream().filter(e -> e.severity() == 0).count());
            j.field("earlierRunClasses").value(entries.size() - thisRun.size());
            j.field("reports").open('[');
            for (Entry e : entries) {
                j.element().open('{');
                j.field("testClass").string(e.testClass());
                j.field("verdict").string(e.verdict());
                j.field("tests").value(e.tests());
                j.field("connections").value(e.connections());
                j.field("leakedConnections").value(e.leakedConnections());
                j.field("verdictMillis").value(e.verdictMillis());
                j.field("started").string(e.started());
                j.field("html").string(e.html());
                j.field("json").string(e.json());
                j.field("problem").string(e.problem());
                j.field("earlierRun").value(e.earlierRun());
                j.close('}');
            }
            j.close(']');
            j.close('}');
            return j.toString();
        }

        static String html(List<Entry> all) {
            List<Entry> entries = all.stream().filter(e -> !e.earlierRun()).toList();
            long leaking = entries.stream().filter(e -> e.severity() == 0).count();
            long failing = entries.stream().filter(e -> e.severity() > 0 && e.severity() < 3).count();
            StringBuilder h = new StringBuilder();
            h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Leakproof: ")
                    .append(entries.size()).append(" test classes</title>\n<style>")
                    .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}")
                    .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                    .append("td.n{text-align:right;font-variant-numeric:tabular-nums}td.v{white-space:nowrap}")
                    // Long nested class names wrap, so every column fits a laptop's window.
                    .append("td:first-child{overflow-wrap:anywhere}")
                    .append(".pass{color:#176b2c;font-weight:bold}.fail{color:#a4161a;font-weight:bold}")
                    .append("tr.earlier td{color:#777;font-weight:normal}th.earlier{background:#eee}")
                    .append("</style></head><body>\n<h1>Leakproof: every test class of the run</h1>\n<p class=\"")
                    .append(leaking + failing == 0 ? "pass" : "fail").append("\">").append(entries.size())
                    .append(" test classes: ").append(leaking).append(" with a leak, ").append(failing)
                    .append(" with failed tests or an unreadable report, ").append(entries.size() - leaking - failing)
                    .append(" passing.</p>\n<p>Worst first. Written ").append(HtmlReport.esc(Instant.now().toString()))
                    .append(" from the class reports this run wrote (it began ")
                    .append(HtmlReport.esc(RunStart.instant().toString())).append(", the start of ")
                    .append(RunStart.source()).append(").</p>\n")
                    .append("<table><tr><th>test class</th><th>verdict</th><th>tests</th><th>connections</th>")
                    .append("<th>leaked connections</th><th>verdict time</th><th>started (UTC)</th></tr>\n");
            boolean earlierHeading = false;
            for (Entry e : all) {
                if (e.earlierRun() && !earlierHeading) {
                    earlierHeading = true;
                    h.append("<tr><th class=\"earlier\" colspan=\"7\">From an earlier run: ").append(all.size() - entries.size())
                            .append(" class reports written before this run began, not counted above (a clean build")
                            .append(" removes them)</th></tr>\n");
                }
                h.append(e.earlierRun() ? "<tr class=\"earlier\"><td>" : "<tr><td>");
                if (e.html() != null) {
                    h.append("<a href=\"").append(HtmlReport.esc(href(e.html()))).append("\">")
                            .append(HtmlReport.esc(e.testClass())).append("</a>");
                } else {
                    h.append(HtmlReport.esc(e.testClass()));
                }
                h.append("</td><td class=\"v ").append(e.severity() == 3 ? "pass" : "fail").append("\">")
                        .append(HtmlReport.esc(e.problem() != null ? e.problem() : e.verdict()))
                        .append("</td><td class=\"n\">").append(e.tests()).append("</td><td class=\"n\">")
                        .append(e.connections()).append("</td><td class=\"n\">").append(e.leakedConnections())
                        .append("</td><td class=\"n\">").append(Durations.format(Duration.ofMillis(e.verdictMillis())))
                        .append("</td><td title=\"").append(HtmlReport.esc(e.started())).append("\">")
                        .append(HtmlReport.esc(timeOfDay(e.started()))).append("</td></tr>\n");
            }
            h.append("</table>\n</body></html>\n");
            return h.toString();
        }

        /** {@code 23:16:51} of {@code 2026-12-01T23:16:51.338Z}: the full instant is the cell's title. */
        static String timeOfDay(String instant) {
            int t = instant.indexOf('T');
            return t < 0 || instant.length() < t + 9 ? instant : instant.substring(t + 1, t + 9);
        }

        /** A file name as a relative link: only the characters a URL reads otherwise are escaped. */
        static String href(String fileName) {
            return fileName.replace("%", "%25").replace("#", "%23").replace("?", "%3F").replace(" ", "%20");
        }
    }
}
