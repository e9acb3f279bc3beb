package dev.leakproof.internal.report;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;

/**
 * A {@link ClassReport} as JSON, for tools: the class's verdict and totals (what the run's index
 * reads), the settings, each test's verdict (with the test's unique id) and its leak trace,
 * the class-level findings and notes, and the measurements (retained size, step load, growth): each
 * piece of evidence writes its own fields ({@link dev.leakproof.internal.finding.Evidence}), placed
 * by {@link PlacedEvidence}.
 *
 * <pre>{@code
 * String json = JsonReport.render(report);
 * }</pre>
 */
final class JsonReport {

    private JsonReport() {
    }

    static String render(ClassReport r) {
        LeakSettings settings = r.settings();
        JsonWriter j = new JsonWriter();
        j.open('{');
        j.field("testClass").string(r.testClass());
        j.field("started").string(r.started().toString());
        j.field("passed").value(r.passed());
        j.field("verdict").string(r.verdict());
        // The HTML page's file name: the run's index links to it, relative to this directory.
        j.field("htmlReport").string(r.htmlPath().getFileName().toString());
        j.field("summary").open('{');
        j.field("tests").value(r.tests().size());
        j.field("connections").value(r.tests().stream().mapToLong(TestVerdict::connections).sum());
        j.field("leakedConnections").value(r.tests().stream().mapToLong(TestVerdict::leakedConnections).sum());
        j.field("verdictMillis").value(r.tests().stream().mapToLong(TestVerdict::verdictMillis).sum());
        j.close('}');
        r.workDone().json(j, r.tests());
        j.field("settings").open('{');
        j.field("cycles").value(settings.get(Settings.CYCLES));
        j.field("concurrency").value(settings.get(Settings.CONCURRENCY));
        j.field("provider").string(r.provider());
        j.field("closeStyle").string(settings.get(Settings.CLOSE_STYLE).name());
        j.field("gracePeriodMillis").value(settings.get(Settings.GRACE_PERIOD).toMillis());
        j.field("maxRetainedPerConnection").value(settings.get(Settings.MAX_RETAINED_PER_CONNECTION));
        j.field("growthCycles").value(settings.get(Settings.GROWTH_CYCLES));
        j.field("judgeGrowth").value(settings.get(Settings.JUDGE_GROWTH));
        // What each driven connection sends that varies with it: what a server's caches are keyed on.
        j.field("serverName").string(settings.get(Settings.SERVER_NAME));
        j.field("protocol").string(settings.get(Settings.PROTOCOL).text());
        j.field("requestPath").string(settings.get(Settings.REQUEST_PATH));
        j.close('}');
        j.field("tests").open('[');
        for (TestVerdict t : r.tests()) {
            j.element().open('{');
            j.field("name").string(t.name());
            // The display name alone is ambiguous ("[1] 10" of two parameterized methods, "repetition 1 of 3").
            j.field("uniqueId").string(t.test().uniqueId());
            j.field("className").string(t.test().className());
            j.field("methodName").string(t.test().methodName());
            j.field("outcome").string(t.outcome());
            j.field("connections").value(t.connections());
            j.field("leakedConnections").value(t.leakedConnections());
            j.field("verdictMillis").value(t.verdictMillis());
            j.field("verdictSteps").open('{');
            t.stepMillis().forEach((step, ms) -> j.field(step).value(Math.round(ms * 10) / 10.0));
            j.close('}');
            j.field("survivorsByClass").open('{');
            t.survivorsByClass().forEach((k, v) -> j.field(k).value(v));
            j.close('}');
            j.field("message").string(t.message());
            PlacedEvidence.shown(PlacedEvidence.place(t)).forEach(e -> e.json(j));
            j.close('}');
        }
        j.close(']');
        j.field("classFindings").open('[');
        r.classLeaks().forEach(f -> j.element().string(f));
        j.close(']');
        j.field("notes").open('[');
        r.notes().forEach(n -> j.element().string(n));
        j.close(']');
        PlacedEvidence placed = new PlacedEvidence(r);
        PlacedEvidence.shown(placed.classPlace()).forEach(e -> e.json(j));
        placed.tables().forEach((table, rows) -> {
            j.field(table).open('[');
            rows.forEach(row -> row.row().jsonRow(j, row.place()));
            j.close(']');
        });
        j.close('}');
        return j.toString();
    }
}
