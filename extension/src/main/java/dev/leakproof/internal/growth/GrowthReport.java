package dev.leakproof.internal.growth;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.finding.SvgPlot;
import dev.leakproof.internal.text.ClassNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a judged growth shows itself in the report: one row of the class's growth table (JSON and
 * HTML), where it was judged, its steps, every resource counted at each point and the classes that
 * grew; and the figure of one class's counts against the repetitions, which a growing collection's
 * section shows.
 *
 * <pre>{@code
 * GrowthReport.jsonRow(result, json, place);
 * String svg = GrowthReport.figureOf(result, "com.example.Session");
 * }</pre>
 */
final class GrowthReport {

    static final String HTML_HEAD = "<h2>Growth</h2>\n<table><tr><th>judged in</th><th>warm-up, steps</th><th>resource</th>"
            + "<th>counted at each point</th><th>per repetition</th></tr>\n";

    private GrowthReport() {
    }

    static void jsonRow(GrowthJudge.Result g, JsonWriter j, Place place) {
        j.element().open('{');
        j.field("judged").string(place.name());
        j.field("warmUp").value(g.warmUp());
        j.field("step").value(g.step());
        j.field("repetitions").value(g.repetitions());
        j.field("grows").value(g.grows());
        j.field("resources").open('{');
        g.resources().forEach(t -> counts(j.field(t.resource()), t.counts()));
        j.close('}');
        j.field("growingClasses").open('[');
        for (GrowthJudge.Trend t : g.classes()) {
            j.element().open('{');
            j.field("class").string(t.resource());
            counts(j.field("counts"), t.counts());
            j.field("perRepetition").value(Math.round(t.perRepetition() * 1000) / 1000.0);
            j.close('}');
        }
        j.close(']');
        j.close('}');
    }

    private static void counts(JsonWriter j, long[] counts) {
        j.open('[');
        for (long c : counts) {
            j.element().value(c);
        }
        j.close(']');
    }

    static void htmlRow(GrowthJudge.Result g, StringBuilder h, Place place) {
        String where = "<td>" + Place.esc(place.name()) + "</td><td>" + g.warmUp() + ", " + g.step() + ", " + 2 * g.step()
                + (g.confirmed() ? ", " + 2 * g.step() : "") + "</td>";
        List<GrowthJudge.Trend> rows = new ArrayList<>(g.resources());
        rows.addAll(g.classes());
        for (GrowthJudge.Trend t : rows) {
            h.append("<tr").append(t.grows() || t.origin() != null ? " class=\"fail\"" : "").append('>').append(where)
                    .append("<td>").append(Place.esc(t.resource())).append("</td><td class=\"n\">")
                    .append(Arrays.stream(t.counts()).mapToObj(Long::toString).collect(Collectors.joining(", ")))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.2f", t.perRepetition()))
                    .append("</td></tr>\n");
        }
    }

    /** {@code className}'s instances counted at each point, against the repetitions; empty when it did not grow. */
    static String figureOf(GrowthJudge.Result g, String className) {
        return g.classes().stream().filter(k -> k.resource().equals(className)).findFirst()
                .map(k -> SvgPlot.counts(repetitionsAtPoints(g), k.counts(),
                        ClassNames.readable(className) + " instances, counted at each point"))
                .orElse("");
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
}
