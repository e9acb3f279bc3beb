package dev.leakproof.internal.trace;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.text.ClassNames;

/**
 * How a leak trace shows itself in the report: the JSON {@code leakTrace} object of its test (every
 * signature with its growing collection), and the HTML table of reference paths with each growing
 * collection under it, next to the figure of its entries another piece of evidence drew; and what
 * else a collection's entries hold, under its path in the failure's words.
 *
 * <pre>{@code
 * LeakTraceReport.json(trace, json);
 * LeakTraceReport.html(trace, html, place);
 * }</pre>
 */
final class LeakTraceReport {

    private LeakTraceReport() {
    }

    static void json(LeakTraces.Result trace, JsonWriter j) {
        j.field("leakTrace").open('{');
        j.field("skipped").string(trace.skipped());
        j.field("leakingObjects").value(trace.leakingObjects());
        j.field("dumpMillis").value(trace.dumpMillis());
        j.field("analysisMillis").value(trace.analysisMillis());
        j.field("heapDump").string(trace.keptDump() == null ? null : trace.keptDump().toString());
        j.field("signatures").open('[');
        for (LeakTraces.Signature sig : trace.signatures()) {
            j.element().open('{');
            j.field("count").value(sig.count());
            j.field("path").string(sig.path());
            j.field("gcRoot").string(sig.gcRoot());
            if (sig.collection() != null) {
                collection(j, sig.collection());
            }
            j.close('}');
        }
        j.close(']');
        j.close('}');
    }

    private static void collection(JsonWriter j, GrowingCollection c) {
        j.field("collection").open('{');
        j.field("field").string(c.fieldName());
        j.field("ownerClass").string(c.ownerClass());
        j.field("collectionClass").string(c.collectionClass());
        j.field("way").string(c.way());
        j.field("entries").value(c.entries());
        j.field("entriesSeen").value(c.entriesSeen());
        j.field("entryClass").string(c.entryClass());
        j.field("keysSeen").value(c.keyCount());
        j.field("threads").open('[');
        c.threads().forEach(name -> j.element().string(name));
        j.close(']');
        j.field("held").open('{');
        c.held().forEach((k, v) -> j.field(k).value(v));
        j.close('}');
        j.close('}');
    }

    static void html(LeakTraces.Result trace, StringBuilder h, Place place) {
        if (trace.signatures().isEmpty()) {
            return;
        }
        h.append("<h2>Reference paths of ").append(Place.esc(place.heading())).append("</h2>\n<table><tr><th>leaked objects</th>")
                .append("<th>path from a GC root</th><th>GC root</th></tr>\n");
        for (LeakTraces.Signature sig : trace.signatures()) {
            h.append("<tr><td class=\"n\">").append(sig.count()).append("</td><td><code>").append(Place.esc(sig.path()))
                    .append("</code></td><td>").append(Place.esc(sig.gcRoot())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        trace.collections().forEach(c -> growingCollection(h, place, c));
    }

    /**
     * The growing collection a failure leads with: its field, what it holds, and, when growth was
     * judged, its entries' class counted at each point, as a plot against the repetitions.
     */
    private static void growingCollection(StringBuilder h, Place place, GrowingCollection c) {
        h.append("<h3>Growing collection: <code>").append(Place.esc(c.fieldName().isEmpty() ? c.way() : c.fieldName()))
                .append("</code></h3>\n<p>").append(Place.esc(ClassNames.readable(c.collectionClass()))).append(", ")
                .append(c.entries() >= 0 ? c.entries() + " entries in the heap dump" : "at least " + c.entriesSeen() + " entries")
                .append("; each entry ").append(Place.esc(ClassNames.readable(c.entryClass()))).append("; reached by <code>")
                .append(Place.esc(c.way())).append("</code>").append(c.threads().isEmpty() ? "" : "; thread '"
                        + Place.esc(c.threads().get(0)) + "'").append(".</p>\n");
        String figure = place.figureOf(c.entryClass());
        if (!figure.isEmpty()) {
            h.append(figure).append('\n');
        }
    }

    /**
     * What else hangs off the entries of a signature's growing collection, besides what its path
     * shows: summarised under it, not listed as separate causes.
     */
    static String alsoHeld(LeakTraces.Signature s) {
        if (s.collection() == null) {
            return "";
        }
        String shown = s.path().substring(s.path().lastIndexOf(" -> ") < 0 ? 0 : s.path().lastIndexOf(" -> ") + 4);
        String others = s.collection().held().entrySet().stream()
                .filter(e -> !ClassNames.readable(e.getKey()).equals(shown))
                .map(e -> e.getValue() + " x " + ClassNames.readable(e.getKey())).collect(java.util.stream.Collectors.joining(", "));
        return others.isEmpty() ? "" : "\n      through the same entries: " + others;
    }
}
