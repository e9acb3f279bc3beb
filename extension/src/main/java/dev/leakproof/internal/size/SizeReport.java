package dev.leakproof.internal.size;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.finding.SvgPlot;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.text.ClassNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the class's memory measurements show themselves in the report: the retained size per open
 * connection (JSON {@code retainedSize}, and an HTML section with its plot and top classes) and the
 * step load (JSON {@code stepLoad}, and an HTML table with the heap plotted against the steps).
 *
 * <pre>{@code
 * SizeReport.json(size, json);
 * SizeReport.html(load, html);
 * }</pre>
 */
final class SizeReport {

    private SizeReport() {
    }

    static void json(RetainedSize s, JsonWriter j) {
        j.field("retainedSize").open('{');
        j.field("connections").value(s.connections());
        j.field("jolBytesPerConnection").value(Math.round(s.jolBytesPerConnection()));
        j.field("heapSlopeBytesPerConnection").value(Math.round(s.heapSlopeBytesPerConnection()));
        j.field("disagreement").value(Math.round(s.disagreement() * 1000) / 1000.0);
        j.field("residualBytesPerConnectionAfterClose").value(Math.round(s.residualBytesPerConnection()));
        j.field("millis").value(s.millis());
        j.field("points").open('[');
        for (RetainedSize.Point p : s.points()) {
            j.element().open('{');
            j.field("open").value(p.open());
            j.field("usedHeapBytes").value(p.usedHeapBytes());
            j.field("jolConnectionBytes").value(p.jolConnectionBytes());
            j.close('}');
        }
        j.close(']');
        j.field("topClasses").open('[');
        for (RetainedSize.ClassShare c : s.topClasses()) {
            j.element().open('{');
            j.field("class").string(ClassNames.fromJvmName(c.className()));
            j.field("bytesPerConnection").value(Math.round(c.bytesPerConnection()));
            j.field("instancesPerConnection").value(Math.round(c.instancesPerConnection() * 100) / 100.0);
            j.close('}');
        }
        j.close(']');
        j.close('}');
    }

    static void html(RetainedSize s, StringBuilder h) {
        h.append("<h2>Memory per open connection</h2>\n<p>JOL: <b>").append(Bytes.format(s.jolBytesPerConnection()))
                .append("</b> per connection; heap slope: <b>").append(Bytes.format(s.heapSlopeBytesPerConnection()))
                .append("</b> (they differ by ").append(String.format(Locale.ROOT, "%.1f", s.disagreement() * 100))
                .append(" %); after all ").append(s.connections()).append(" closed: ")
                .append(Bytes.format(s.residualBytesPerConnection())).append(" per connection still used. Budget: ")
                .append(s.budgetBytes() < 0 ? "none" : Bytes.format(s.budgetBytes())).append(".</p>\n");
        List<RetainedSize.Point> points = s.points();
        h.append(SvgPlot.plot(points.stream().mapToInt(RetainedSize.Point::open).toArray(),
                points.stream().mapToLong(RetainedSize.Point::usedHeapBytes).toArray(),
                points.stream().mapToLong(RetainedSize.Point::jolConnectionBytes).toArray(), true));
        h.append("\n<table><tr><th>class</th><th>bytes per connection</th><th>instances per connection</th></tr>\n");
        for (RetainedSize.ClassShare c : s.topClasses()) {
            h.append("<tr><td>").append(Place.esc(ClassNames.fromJvmName(c.className()))).append("</td><td class=\"n\">")
                    .append(Bytes.format(c.bytesPerConnection())).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.1f", c.instancesPerConnection())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    static void json(StepLoad.Result load, JsonWriter j) {
        j.field("stepLoad").open('{');
        j.field("holdMillis").value(load.hold().toMillis());
        j.field("baseline").open('{');
        step(j, load.baseline());
        j.close('}');
        j.field("steps").open('[');
        for (StepLoad.Step st : load.steps()) {
            j.element().open('{');
            step(j, st);
            j.close('}');
        }
        j.close(']');
        j.field("afterClose").open('{');
        step(j, load.afterClose());
        j.close('}');
        j.close('}');
    }

    private static void step(JsonWriter j, StepLoad.Step st) {
        j.field("open").value(st.open());
        j.field("heapBytes").value(st.heapBytes());
        j.field("rssBytes").value(st.rssBytes());
        j.field("fileDescriptors").value(st.fileDescriptors());
        j.field("threads").value(st.threads());
        j.field("writesDuringHold").value(st.writesDuringHold());
        j.field("allocatedBytesPerWrite").value(Math.round(st.allocatedPerWrite()));
    }

    static void html(StepLoad.Result load, StringBuilder h) {
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
        // The heap before and at each step (the baseline at 0 connections); the point after the close is in the table.
        int[] open = new int[load.steps().size() + 1];
        long[] heap = new long[open.length];
        heap[0] = load.baseline().heapBytes();
        for (int i = 1; i < open.length; i++) {
            open[i] = load.steps().get(i - 1).open();
            heap[i] = load.steps().get(i - 1).heapBytes();
        }
        h.append(SvgPlot.plot(open, heap, new long[open.length], false)).append('\n');
    }
}
