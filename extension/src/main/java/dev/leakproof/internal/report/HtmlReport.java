package dev.leakproof.internal.report;

import dev.leakproof.fixture.Durations;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.text.ClassNames;
import java.time.Duration;

/**
 * A {@link ClassReport} as one self-contained HTML page for people: the verdicts, the survivors
 * and their reference paths, the failures in full, and the measurements with their plots: each
 * piece of evidence appends its own sections ({@link dev.leakproof.internal.finding.Evidence}),
 * placed by {@link PlacedEvidence}.
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
                .append("ran ").append(esc(r.workDone().sentence(r.tests(), r.settings().get(Settings.CONCURRENCY))))
                .append("; provider ").append(esc(r.provider()))
                .append(", close style ").append(esc(r.settings().get(Settings.CLOSE_STYLE).name()))
                .append("; each driven connection sends the server name ").append(esc(r.settings().get(Settings.SERVER_NAME)))
                .append(r.settings().get(Settings.JUDGE_GROWTH) ? "; growth judged on every driven run" : "")
                .append(".</p>\n");
        verdicts(h, r);
        for (String finding : r.classLeaks()) {
            h.append("<h2>Class-level finding</h2>\n<pre>").append(esc(finding)).append("</pre>\n");
        }
        PlacedEvidence placed = new PlacedEvidence(r);
        Place classPlace = placed.classPlace();
        PlacedEvidence.shown(classPlace).forEach(e -> e.html(h, classPlace));
        placed.tables().forEach((table, rows) -> {
            h.append(rows.get(0).row().htmlHead());
            rows.forEach(row -> row.row().htmlRow(h, row.place()));
            h.append("</table>\n");
        });
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
                h.append("<h2>Survivors of ").append(esc(PlacedEvidence.label(t))).append("</h2>\n<table><tr><th>class</th>")
                        .append("<th>instances alive after a full GC</th></tr>\n");
                t.survivorsByClass().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">")
                        .append(v).append("</td></tr>\n"));
                h.append("</table>\n");
            }
            Place place = PlacedEvidence.place(t);
            PlacedEvidence.shown(place).forEach(e -> e.html(h, place));
            if (!t.message().isEmpty() && !t.outcome().equals(TestVerdict.SKIPPED)) {
                h.append("<h2>Failure of ").append(esc(PlacedEvidence.label(t))).append("</h2>\n<pre>").append(esc(t.message()))
                        .append("</pre>\n");
            }
        }
    }

    static String esc(String s) {
        return Place.esc(s);
    }
}
