package dev.leakproof.internal.report;

import dev.leakproof.fixture.Durations;
import dev.leakproof.internal.check.RetainedSizeCheck;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.StepLoad;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ClassReport} as one self-contained HTML page for people: the verdicts, the survivors
 * and their reference paths, the failures in full, and the measurements with their plots.
 *
 * <pre>{@code
 * String html = HtmlReport.render(report);
 * }</pre>
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(ClassReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Leakproof: ")
                .append(esc(ClassNames.simple(r.testClass()))).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}")
                .append("h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".pass{color:#176b2c;font-weight:bold}.fail{color:#a4161a;font-weight:bold}")
                .append("pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}")
                .append("</style></head><body>\n");
        h.append("<h1>Leakproof report: ").append(esc(r.testClass())).append("</h1>\n<p class=\"")
                .append(r.passed() ? "pass\">PASS: no connection left anything behind"
                        : r.verdict().equals("leak found") ? "fail\">LEAK FOUND" : "fail\">TEST FAILED (no leak found)")
                .append("</p>\n<p>Started ").append(esc(r.started().toString())).append("; ")
                .append(r.settings().get(Settings.CYCLES)).append(" cycles at concurrency ")
                .append(r.settings().get(Settings.CONCURRENCY)).append(", provider ").append(esc(r.provider()))
                .append(", close style ").append(esc(r.settings().get(Settings.CLOSE_STYLE).name()))
                .append("; each driven connection sends the server name ").append(esc(r.settings().get(Settings.SERVER_NAME)))
                .append(r.settings().get(Settings.JUDGE_GROWTH) ? "; growth judged on every driven run" : "")
                .append(".</p>\n");
        verdicts(h, r);
        for (String finding : r.classLeaks()) {
            h.append("<h2>Class-level finding</h2>\n<pre>").append(esc(finding)).append("</pre>\n");
        }
        r.classEvidence(RetainedSize.class).ifPresentOrElse(s -> retainedSize(h, s, r),
                () -> r.classEvidence(RetainedSizeCheck.Skipped.class).ifPresent(s -> h
                        .append("<h2>Memory per open connection</h2>\n<p>Skipped: ").append(esc(s.reason())).append("</p>\n")));
        r.classEvidence(StepLoad.Result.class).ifPresent(load -> stepLoad(h, load));
        growth(h, r.growthResults());
        for (String note : r.notes()) {
            h.append("<p><i>").append(esc(note)).append("</i></p>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void verdicts(StringBuilder h, ClassReport r) {
        h.append("<p><a href=\"index.html\">All classes of the run</a></p>\n");
        h.append("<h2>Verdicts</h2>\n<table><tr><th>test</th><th>method</th><th>verdict</th><th>connections</th>")
                .append("<th>leaked</th><th>verdict time</th></tr>\n");
        for (TestVerdict t : r.tests()) {
            // The method and class tell apart tests that display alike ("[1] 10", "repetition 1 of 3");
            // the unique id is there on hover.
            h.append("<tr title=\"").append(esc(t.test().uniqueId() == null ? "" : t.test().uniqueId())).append("\"><td>")
                    .append(esc(t.name())).append("</td><td><code>").append(esc(t.test().methodLabel()))
                    .append("</code></td><td class=\"")
                    .append(t.passing() ? "pass" : "fail").append("\">").append(esc(t.outcome()))
                    .append("</td><td class=\"n\">").append(t.connections()).append("</td><td class=\"n\">")
                    .append(t.leakedConnections()).append("</td><td class=\"n\">")
                    .append(Durations.format(Duration.ofMillis(t.verdictMillis()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (TestVerdict t : r.tests()) {
            if (!t.survivorsByClass().isEmpty()) {
                h.append("<h2>Survivors of ").append(esc(label(t))).append("</h2>\n<table><tr><th>class</th>")
                        .append("<th>instances alive after a full GC</th></tr>\n");
                t.survivorsByClass().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">")
                        .append(v).append("</td></tr>\n"));
                h.append("</table>\n");
            }
            t.evidence(LeakTraces.Result.class).filter(trace -> !trace.signatures().isEmpty()).ifPresent(trace -> {
                h.append("<h2>Reference paths of ").append(esc(label(t))).append("</h2>\n<table><tr><th>leaked objects</th>")
                        .append("<th>path from a GC root</th><th>GC root</th></tr>\n");
                for (LeakTraces.Signature sig : trace.signatures()) {
                    h.append("<tr><td class=\"n\">").append(sig.count()).append("</td><td><code>").append(esc(sig.path()))
                            .append("</code></td><td>").append(esc(sig.gcRoot())).append("</td></tr>\n");
                }
                h.append("</table>\n");
                trace.collections().forEach(c -> growingCollection(h, t, c));
            });
            if (!t.message().isEmpty() && !t.outcome().equals(TestVerdict.SKIPPED)) {
                h.append("<h2>Failure of ").append(esc(label(t))).append("</h2>\n<pre>").append(esc(t.message()))
                        .append("</pre>\n");
            }
        }
    }

    private static void retainedSize(StringBuilder h, RetainedSize s, ClassReport r) {
        long budget = r.settings().get(Settings.MAX_RETAINED_PER_CONNECTION);
        h.append("<h2>Memory per open connection</h2>\n<p>JOL: <b>").append(Bytes.format(s.jolBytesPerConnection()))
                .append("</b> per connection; heap slope: <b>").append(Bytes.format(s.heapSlopeBytesPerConnection()))
                .append("</b> (they differ by ").append(String.format(Locale.ROOT, "%.1f", s.disagreement() * 100))
                .append(" %); after all ").append(s.connections()).append(" closed: ")
                .append(Bytes.format(s.residualBytesPerConnection())).append(" per connection still used. Budget: ")
                .append(budget < 0 ? "none" : Bytes.format(budget))
                .append(".</p>\n").append(SvgPlot.plot(s.points(), true));
        h.append("\n<table><tr><th>class</th><th>bytes per connection</th><th>instances per connection</th></tr>\n");
        for (RetainedSize.ClassShare c : s.topClasses()) {
            h.append("<tr><td>").append(esc(ClassNames.fromJvmName(c.className()))).append("</td><td class=\"n\">")
                    .append(Bytes.format(c.bytesPerConnection())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.1f", c.instancesPerConnection())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void stepLoad(StringBuilder h, StepLoad.Result load) {
        h.append("<h2>Step load</h2>\n<p>Each step held for ").append(Durations.format(load.hold()))
                .append("; allocation per write is the event loops' allocation during the hold divided by the "
                        + "buffers they wrote (heartbeats, when the connections idle).</p>\n")
                .append("<table><tr><th>open connections</th><th>heap after GC</th><th>RSS</th><th>fds</th>")
                .append("<th>threads</th><th>writes during hold</th><th>allocated per write</th></tr>\n");
        List<StepLoad.Step> rows = new ArrayList<>();
        rows.add(load.baseline());
        rows.addAll(load.steps());
        rows.add(load.afterClose());
        for (int i = 0; i < rows.size(); i++) {
            StepLoad.Step st = rows.get(i);
            String label = i == 0 ? "0 (before)" : i == rows.size() - 1 ? "0 (after close)" : Integer.toString(st.open());
            h.append("<tr><td class=\"n\">").append(label).append("</td><td class=\"n\">").append(Bytes.format(st.heapBytes()))
                    .append("</td><td class=\"n\">").append(st.rssBytes() < 0 ? "n/a" : Bytes.format(st.rssBytes()))
                    .append("</td><td class=\"n\">").append(st.fileDescriptors()).append("</td><td class=\"n\">")
                    .append(st.threads()).append("</td><td class=\"n\">").append(st.writesDuringHold())
                    .append("</td><td class=\"n\">").append(st.allocatedPerWrite() < 0 ? "" : Bytes.format(st.allocatedPerWrite()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<RetainedSize.Point> heapPoints = new ArrayList<>();
        heapPoints.add(new RetainedSize.Point(0, load.baseline().heapBytes(), 0));
        load.steps().forEach(st -> heapPoints.add(new RetainedSize.Point(st.open(), st.heapBytes(), 0)));
        h.append(SvgPlot.plot(heapPoints, false)).append('\n');
    }

    /**
     * One section for every growth judged: each driven run, each ResourceGrowth check, the class's own
     * growth run; every resource counted at each point, and the classes that grew.
     */
    private static void growth(StringBuilder h, List<Map.Entry<String, GrowthJudge.Result>> results) {
        if (results.isEmpty()) {
            return;
        }
        h.append("<h2>Growth</h2>\n<table><tr><th>judged in</th><th>warm-up, steps</th><th>resource</th>")
                .append("<th>counted at each point</th><th>per repetition</th></tr>\n");
        for (Map.Entry<String, GrowthJudge.Result> e : results) {
            GrowthJudge.Result g = e.getValue();
            String where = "<td>" + esc(e.getKey()) + "</td><td>" + g.warmUp() + ", " + g.step() + ", " + 2 * g.step()
                    + (g.confirmed() ? ", " + 2 * g.step() : "") + "</td>";
            List<GrowthJudge.Trend> rows = new ArrayList<>(g.resources());
            rows.addAll(g.classes());
            for (GrowthJudge.Trend t : rows) {
                h.append("<tr").append(t.grows() || t.origin() != null ? " class=\"fail\"" : "").append('>').append(where)
                        .append("<td>").append(esc(t.resource())).append("</td><td class=\"n\">")
                        .append(java.util.Arrays.stream(t.counts()).mapToObj(Long::toString)
                                .collect(java.util.stream.Collectors.joining(", ")))
                        .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.2f", t.perRepetition()))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    /**
     * The growing collection a failure leads with: its field, what it holds, and, when growth was
     * judged, its entries' class counted at each point, as a plot against the repetitions.
     */
    private static void growingCollection(StringBuilder h, TestVerdict t, GrowingCollection c) {
        h.append("<h3>Growing collection: <code>").append(esc(c.fieldName().isEmpty() ? c.way() : c.fieldName()))
                .append("</code></h3>\n<p>").append(esc(ClassNames.readable(c.collectionClass()))).append(", ")
                .append(c.entries() >= 0 ? c.entries() + " entries in the heap dump" : "at least " + c.entriesSeen() + " entries")
                .append("; each entry ").append(esc(ClassNames.readable(c.entryClass()))).append("; reached by <code>")
                .append(esc(c.way())).append("</code>").append(c.threads().isEmpty() ? "" : "; thread '"
                        + esc(c.threads().get(0)) + "'").append(".</p>\n");
        t.evidence(GrowthJudge.Result.class).ifPresent(g -> g.classes().stream()
                .filter(k -> k.resource().equals(c.entryClass())).findFirst()
                .ifPresent(k -> h.append(SvgPlot.counts(repetitionsAtPoints(g), k.counts(),
                        ClassNames.readable(c.entryClass()) + " instances, counted at each point")).append('\n')));
    }

    /** The repetitions done at each point of a growth run: 0, the warm-up, then each step. */
    private static long[] repetitionsAtPoints(GrowthJudge.Result g) {
        long[] xs = new long[g.confirmed() ? 5 : 4];
        xs[1] = g.warmUp();
        for (int i = 2; i < xs.length; i++) {
            xs[i] = xs[i - 1] + (i == 2 ? g.step() : 2L * g.step());
        }
        return xs;
    }

    /** A test's heading: its display name, and its method where the name alone could be another test's. */
    private static String label(TestVerdict t) {
        return t.test().methodName() == null ? t.name() : t.name() + " (" + t.test().methodLabel() + ")";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
