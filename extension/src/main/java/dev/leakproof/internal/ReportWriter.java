package dev.leakproof.internal;

import dev.leakproof.fixture.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;


/**
 * Writes a {@link ClassReport} as JSON (for tools) and as one self-contained HTML page with an SVG
 * plot (for people). Reports hold counts, sizes, class names and messages: never key material.
 */
final class ReportWriter {

    private ReportWriter() {
    }

    static void write(ClassReport report) throws IOException {
        Files.createDirectories(report.settings.reportDirectory());
        Files.writeString(report.jsonPath(), json(report), StandardCharsets.UTF_8);
        Files.writeString(report.htmlPath(), html(report), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- JSON

    static String json(ClassReport r) {
        Json j = new Json();
        j.open('{');
        j.field("testClass").string(r.testClass);
        j.field("started").string(r.started.toString());
        j.field("passed").value(r.passed());
        j.field("settings").open('{');
        j.field("cycles").value(r.settings.cycles());
        j.field("concurrency").value(r.settings.concurrency());
        j.field("provider").string(r.provider);
        j.field("closeStyle").string(r.settings.closeStyle().name());
        j.field("gracePeriodMillis").value(r.settings.gracePeriod().toMillis());
        j.field("maxRetainedPerConnection").value(r.settings.maxRetainedPerConnection());
        j.field("growthCycles").value(r.settings.growthCycles());
        j.close('}');
        j.field("tests").open('[');
        for (ClassReport.TestVerdict t : r.tests) {
            j.element().open('{');
            j.field("name").string(t.name());
            j.field("outcome").string(t.outcome());
            j.field("connections").value(t.connections());
            j.field("leakedConnections").value(t.leakedConnections());
            j.field("verdictMillis").value(t.verdictMillis());
            j.field("survivorsByClass").open('{');
            t.survivorsByClass().forEach((k, v) -> j.field(k).value(v));
            j.close('}');
            j.field("message").string(t.message());
            LeakTraces.Result trace = r.leakTraces.get(t.name());
            if (trace != null) {
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
                    j.close('}');
                }
                j.close(']');
                j.close('}');
            }
            j.close('}');
        }
        j.close(']');
        j.field("classFindings").open('[');
        r.classFindings.forEach(f -> j.element().string(f));
        j.close(']');
        j.field("notes").open('[');
        r.notes.forEach(n -> j.element().string(n));
        j.close(']');
        if (r.retainedSize != null) {
            RetainedSize s = r.retainedSize;
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
                j.field("class").string(ClassHistogram.readable(c.className()));
                j.field("bytesPerConnection").value(Math.round(c.bytesPerConnection()));
                j.field("instancesPerConnection").value(Math.round(c.instancesPerConnection() * 100) / 100.0);
                j.close('}');
            }
            j.close(']');
            j.close('}');
        } else if (r.retainedSizeSkipped != null) {
            j.field("retainedSizeSkipped").string(r.retainedSizeSkipped);
        }
        if (r.stepLoad != null) {
            j.field("stepLoad").open('{');
            j.field("holdMillis").value(r.stepLoad.hold().toMillis());
            j.field("baseline").open('{');
            step(j, r.stepLoad.baseline());
            j.close('}');
            j.field("steps").open('[');
            for (StepLoad.Step st : r.stepLoad.steps()) {
                j.element().open('{');
                step(j, st);
                j.close('}');
            }
            j.close(']');
            j.field("afterClose").open('{');
            step(j, r.stepLoad.afterClose());
            j.close('}');
            j.close('}');
        }
        if (r.growth != null) {
            j.field("growth").open('{');
            j.field("cyclesPerStep").value(r.growthCycles);
            j.field("growingClasses").open('[');
            for (GrowthCheck.Growth g : r.growth) {
                j.element().open('{');
                j.field("class").string(g.className());
                j.field("firstStep").value(g.firstStep());
                j.field("secondStep").value(g.secondStep());
                j.field("perCycle").value(Math.round(g.perCycle() * 1000) / 1000.0);
                j.close('}');
            }
            j.close(']');
            j.close('}');
        }
        j.close('}');
        return j.toString();
    }

    private static void step(Json j, StepLoad.Step st) {
        j.field("open").value(st.open());
        j.field("heapBytes").value(st.heapBytes());
        j.field("rssBytes").value(st.rssBytes());
        j.field("fileDescriptors").value(st.fileDescriptors());
        j.field("threads").value(st.threads());
        j.field("writesDuringHold").value(st.writesDuringHold());
        j.field("allocatedBytesPerWrite").value(Math.round(st.allocatedPerWrite()));
    }

    /** A small JSON writer: the report needs no JSON library on the user's test classpath. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder();
        private boolean first = true;
        private int depth;

        Json open(char c) {
            out.append(c);
            depth++;
            first = true;
            return this;
        }

        Json close(char c) {
            depth--;
            newline();
            out.append(c);
            first = false;
            return this;
        }

        Json field(String name) {
            separator();
            quote(name);
            out.append(": ");
            return this;
        }

        Json element() {
            separator();
            return this;
        }

        Json string(String value) {
            if (value == null) {
                out.append("null");
            } else {
                quote(value);
            }
            first = false;
            return this;
        }

        Json value(Object value) {
            out.append(value);
            first = false;
            return this;
        }

        private void separator() {
            if (!first) {
                out.append(',');
            }
            newline();
            first = true;
        }

        private void newline() {
            out.append('\n').append("  ".repeat(Math.max(0, depth)));
        }

        private void quote(String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        @Override
        public String toString() {
            return out.toString() + "\n";
        }
    }

    // ---------------------------------------------------------------- HTML

    static String html(ClassReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Leakproof: ")
                .append(esc(simple(r.testClass))).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}")
                .append("h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".pass{color:#176b2c;font-weight:bold}.fail{color:#a4161a;font-weight:bold}")
                .append("pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}")
                .append("</style></head><body>\n");
        h.append("<h1>Leakproof report: ").append(esc(r.testClass)).append("</h1>\n<p class=\"")
                .append(r.passed() ? "pass\">PASS: no connection left anything behind" : "fail\">LEAK FOUND")
                .append("</p>\n<p>Started ").append(esc(r.started.toString())).append("; ").append(r.settings.cycles())
                .append(" cycles at concurrency ").append(r.settings.concurrency()).append(", provider ")
                .append(esc(r.provider)).append(", close style ").append(esc(r.settings.closeStyle().name()))
                .append(".</p>\n");

        h.append("<h2>Verdicts</h2>\n<table><tr><th>test</th><th>verdict</th><th>connections</th><th>leaked</th>")
                .append("<th>verdict time</th></tr>\n");
        for (ClassReport.TestVerdict t : r.tests) {
            h.append("<tr><td>").append(esc(t.name())).append("</td><td class=\"")
                    .append(t.outcome().equals("pass") ? "pass" : "fail").append("\">").append(esc(t.outcome()))
                    .append("</td><td class=\"n\">").append(t.connections()).append("</td><td class=\"n\">")
                    .append(t.leakedConnections()).append("</td><td class=\"n\">")
                    .append(Durations.format(Duration.ofMillis(t.verdictMillis()))).append("</td></tr>\n");
        }
        h.append("</table>\n");

        for (ClassReport.TestVerdict t : r.tests) {
            if (!t.survivorsByClass().isEmpty()) {
                h.append("<h2>Survivors of ").append(esc(t.name())).append("</h2>\n<table><tr><th>class</th>")
                        .append("<th>instances alive after a full GC</th></tr>\n");
                t.survivorsByClass().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">")
                        .append(v).append("</td></tr>\n"));
                h.append("</table>\n");
            }
            LeakTraces.Result trace = r.leakTraces.get(t.name());
            if (trace != null && !trace.signatures().isEmpty()) {
                h.append("<h2>Reference paths of ").append(esc(t.name())).append("</h2>\n<table><tr><th>leaked objects</th>")
                        .append("<th>path from a GC root</th><th>GC root</th></tr>\n");
                for (LeakTraces.Signature sig : trace.signatures()) {
                    h.append("<tr><td class=\"n\">").append(sig.count()).append("</td><td><code>").append(esc(sig.path()))
                            .append("</code></td><td>").append(esc(sig.gcRoot())).append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (!t.message().isEmpty()) {
                h.append("<h2>Failure of ").append(esc(t.name())).append("</h2>\n<pre>").append(esc(t.message()))
                        .append("</pre>\n");
            }
        }
        for (String finding : r.classFindings) {
            h.append("<h2>Class-level finding</h2>\n<pre>").append(esc(finding)).append("</pre>\n");
        }

        if (r.retainedSize != null) {
            RetainedSize s = r.retainedSize;
            h.append("<h2>Memory per open connection</h2>\n<p>JOL: <b>").append(bytes(s.jolBytesPerConnection()))
                    .append("</b> per connection; heap slope: <b>").append(bytes(s.heapSlopeBytesPerConnection()))
                    .append("</b> (they differ by ").append(String.format(Locale.ROOT, "%.1f", s.disagreement() * 100))
                    .append(" %); after all ").append(s.connections()).append(" closed: ")
                    .append(bytes(s.residualBytesPerConnection())).append(" per connection still used. Budget: ")
                    .append(r.settings.maxRetainedPerConnection() < 0 ? "none" : bytes(r.settings.maxRetainedPerConnection()))
                    .append(".</p>\n").append(plot(s.points(), true));
            h.append("\n<table><tr><th>class</th><th>bytes per connection</th><th>instances per connection</th></tr>\n");
            for (RetainedSize.ClassShare c : s.topClasses()) {
                h.append("<tr><td>").append(esc(ClassHistogram.readable(c.className()))).append("</td><td class=\"n\">")
                        .append(bytes(c.bytesPerConnection())).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.1f", c.instancesPerConnection())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        } else if (r.retainedSizeSkipped != null) {
            h.append("<h2>Memory per open connection</h2>\n<p>Skipped: ").append(esc(r.retainedSizeSkipped)).append("</p>\n");
        }

        if (r.stepLoad != null) {
            StepLoad.Result load = r.stepLoad;
            h.append("<h2>Step load</h2>\n<p>Each step held for ").append(Durations.format(load.hold()))
                    .append("; allocation per write is the event loops' allocation during the hold divided by the "
                            + "buffers they wrote (heartbeats, when the connections idle).</p>\n")
                    .append("<table><tr><th>open connections</th><th>heap after GC</th><th>RSS</th><th>fds</th>")
                    .append("<th>threads</th><th>writes during hold</th><th>allocated per write</th></tr>\n");
            List<StepLoad.Step> rows = new java.util.ArrayList<>();
            rows.add(load.baseline());
            rows.addAll(load.steps());
            rows.add(load.afterClose());
            for (int i = 0; i < rows.size(); i++) {
                StepLoad.Step st = rows.get(i);
                String label = i == 0 ? "0 (before)" : i == rows.size() - 1 ? "0 (after close)" : Integer.toString(st.open());
                h.append("<tr><td class=\"n\">").append(label).append("</td><td class=\"n\">").append(bytes(st.heapBytes()))
                        .append("</td><td class=\"n\">").append(st.rssBytes() < 0 ? "n/a" : bytes(st.rssBytes()))
                        .append("</td><td class=\"n\">").append(st.fileDescriptors()).append("</td><td class=\"n\">")
                        .append(st.threads()).append("</td><td class=\"n\">").append(st.writesDuringHold())
                        .append("</td><td class=\"n\">").append(st.allocatedPerWrite() < 0 ? "" : bytes(st.allocatedPerWrite()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
            List<RetainedSize.Point> heapPoints = new java.util.ArrayList<>();
            heapPoints.add(new RetainedSize.Point(0, load.baseline().heapBytes(), 0));
            load.steps().forEach(st -> heapPoints.add(new RetainedSize.Point(st.open(), st.heapBytes(), 0)));
            h.append(plot(heapPoints, false)).append('\n');
        }
        if (r.growth != null) {
            h.append("<h2>Class histogram growth</h2>\n<p>Two steps of ").append(r.growthCycles)
                    .append(" cycles after a warm-up.</p>\n");
            if (r.growth.isEmpty()) {
                h.append("<p class=\"pass\">No class grew in proportion to the cycles.</p>\n");
            } else {
                h.append("<table><tr><th>class</th><th>first step</th><th>second step</th><th>per cycle</th></tr>\n");
                for (GrowthCheck.Growth g : r.growth) {
                    h.append("<tr><td>").append(esc(g.className())).append("</td><td class=\"n\">+").append(g.firstStep())
                            .append("</td><td class=\"n\">+").append(g.secondStep()).append("</td><td class=\"n\">")
                            .append(String.format(Locale.ROOT, "%.3f", g.perCycle())).append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
        }
        for (String note : r.notes) {
            h.append("<p><i>").append(esc(note)).append("</i></p>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Used heap and JOL connection bytes against open connections: seed 002's table as a picture. */
    static String plot(List<RetainedSize.Point> points, boolean withJol) {
        int width = 560;
        int height = 300;
        int left = 70;
        int bottom = 40;
        long minHeap = points.stream().mapToLong(RetainedSize.Point::usedHeapBytes).min().orElse(0);
        long maxY = 1;
        for (RetainedSize.Point p : points) {
            maxY = Math.max(maxY, Math.max(p.usedHeapBytes() - minHeap, p.jolConnectionBytes()));
        }
        int maxX = Math.max(1, points.stream().mapToInt(RetainedSize.Point::open).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"retained heap against open connections\">")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
                .append(line(left, height - bottom, width - 10, height - bottom, "#444"))
                .append(line(left, 10, left, height - bottom, "#444"))
                .append(text(width / 2 - 60, height - 8, "open connections"))
                .append(text(4, 20, bytes(maxY)))
                .append(text(4, height - bottom, "0"))
                .append(text(width - 40, height - bottom + 16, Integer.toString(maxX)));
        String[] series = {"#1f77b4", "#d62728"};
        for (int s = 0; s < (withJol ? 2 : 1); s++) {
            StringBuilder path = new StringBuilder();
            for (RetainedSize.Point p : points) {
                long y = s == 0 ? p.usedHeapBytes() - minHeap : p.jolConnectionBytes();
                double px = left + (width - 10 - left) * (double) p.open() / maxX;
                double py = height - bottom - (height - bottom - 10) * (double) y / maxY;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, series[s]));
            }
            svg.append("<path d=\"").append(path).append("\" stroke=\"").append(series[s])
                    .append("\" fill=\"none\" stroke-width=\"2\"/>");
        }
        svg.append(text(left + 10, 24, "used heap after full GC, above the 0-connection point"))
                .append("<rect x=\"").append(left + 2).append("\" y=\"16\" width=\"6\" height=\"6\" fill=\"#1f77b4\"/>")
                .append(withJol ? text(left + 10, 40, "JOL size of the connections' own objects")
                        + "<rect x=\"" + (left + 2) + "\" y=\"32\" width=\"6\" height=\"6\" fill=\"#d62728\"/>" : "")
                .append("</svg>");
        return svg.toString();
    }

    private static String line(int x1, int y1, int x2, int y2, String color) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + color + "\"/>";
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"12\">" + esc(s) + "</text>";
    }

    static String bytes(double b) {
        if (Math.abs(b) < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (Math.abs(b) < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024 * 1024));
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
