package dev.leakproof.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.fixture.internal.json.JsonReader;
import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.check.DrivenRunGrowth;
import dev.leakproof.internal.check.RetainedSizeCheck;
import dev.leakproof.internal.config.ConfigSource;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.StepLoad;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The report renders what findings say: each kind of evidence shows itself where it was found (a
 * test's in that test, the class's at the class's level, growth in one table of the class), and
 * evidence of a kind the renderers never heard of shows itself just the same.
 */
class EvidenceRenderingTests {

    static final TestId LEAKY = new TestId("echoes 100 lines", "[engine:junit-jupiter]/[class:com.example.EchoTests]"
            + "/[method:echoes()]", "com.example.EchoTests", "echoes");

    @Test
    void eachKindOfEvidenceShowsItselfWhereItWasFound() {
        ClassReport report = everyKindOfEvidence();

        Map<?, ?> json = (Map<?, ?>) JsonReader.read(JsonReport.render(report));
        Map<?, ?> test = (Map<?, ?>) ((List<?>) json.get("tests")).get(0);
        Map<?, ?> trace = (Map<?, ?>) test.get("leakTrace");
        assertThat(trace.get("leakingObjects")).isEqualTo(300L);
        Map<?, ?> signature = (Map<?, ?>) ((List<?>) trace.get("signatures")).get(0);
        assertThat(signature.get("path")).isEqualTo("static Registry.SESSIONS -> HashMap.table[] -> Session");
        assertThat(((Map<?, ?>) signature.get("collection")).get("entryClass")).isEqualTo("com.example.Session");
        // Two driven runs' checkpoints, added up: 4 + 4 points, 12.34 + 12.34 ms.
        assertThat(test.get("growthCheckpoints")).isEqualTo(Map.of("points", 8L, "millis", 24.7));
        assertThat(((Map<?, ?>) json.get("retainedSize")).get("connections")).isEqualTo(100L);
        assertThat((List<?>) ((Map<?, ?>) json.get("stepLoad")).get("steps")).hasSize(2);
        List<?> growth = (List<?>) json.get("growth");
        assertThat(growth.stream().map(g -> (Object) ((Map<?, ?>) g).get("judged")).toList())
                .containsExactly("echoes 100 lines", "class-level checks");
        assertThat(((Map<?, ?>) growth.get(0)).get("resources")).isEqualTo(Map.of("threads", List.of(10L, 10L, 10L, 10L)));

        String html = HtmlReport.render(report);
        assertThat(html).contains("<h2>Reference paths of echoes 100 lines (EchoTests#echoes)</h2>")
                .contains("<h3>Growing collection: <code>Registry.SESSIONS</code></h3>")
                .contains("aria-label=\"Session instances, counted at each point\"")
                .contains("Budget: " + Bytes.format(16 * 1024) + ".")
                .contains("<h2>Step load</h2>");
        assertThat(html.split("<h2>Growth</h2>", -1)).as("one growth table for the class").hasSize(2);
        assertThat(html.indexOf("<h2>Reference paths of")).as("a test's evidence before its failure")
                .isLessThan(html.indexOf("<h2>Failure of"));
        assertThat(html.indexOf("<td>class-level checks</td>")).as("the class's growth row after the tests'")
                .isGreaterThan(html.indexOf("<td>echoes 100 lines</td>"));
    }

    @Test
    void aSkippedMeasurementSaysWhy() {
        ClassReport report = new ClassReport("com.example.EchoTests", settings(), "JDK");
        report.addClassFindings(List.of(Finding.measured(Finding.Kind.RETAINED_SIZE,
                new RetainedSizeCheck.Skipped("JOL cannot read private fields"))));

        assertThat(JsonReport.render(report)).contains("\"retainedSizeSkipped\": \"JOL cannot read private fields\"");
        assertThat(HtmlReport.render(report)).contains("<p>Skipped: JOL cannot read private fields</p>");
    }

    /** A check of tomorrow: its evidence, and rows of a table of its own, need no renderer edited. */
    @Test
    void evidenceTheRenderersNeverHeardOfShowsItself() {
        record Sockets(int open) implements Evidence {
            @Override
            public void json(JsonWriter json) {
                json.field("sockets").value(open);
            }

            @Override
            public void html(StringBuilder html, Place place) {
                html.append("<h2>Sockets of ").append(Place.esc(place.heading())).append("</h2>");
            }
        }
        record Probe(String what) implements Evidence.Row {
            @Override
            public String table() {
                return "probes";
            }

            @Override
            public void jsonRow(JsonWriter json, Place place) {
                json.element().string(place.name() + ": " + what);
            }

            @Override
            public String htmlHead() {
                return "<h2>Probes</h2><table>";
            }

            @Override
            public void htmlRow(StringBuilder html, Place place) {
                html.append("<tr><td>").append(Place.esc(place.name() + ": " + what)).append("</td></tr>");
            }
        }
        ClassReport report = new ClassReport("com.example.EchoTests", settings(), "JDK");
        report.add(new TestVerdict(LEAKY, TestVerdict.PASS, 10, 0, Map.of(), "", 5,
                List.of(Finding.measured(Finding.Kind.SESSION, new Sockets(3)), Finding.measured(Finding.Kind.SESSION,
                        new Probe("a <b>")), Finding.measured(Finding.Kind.SESSION, new Sockets(99))), Map.of()));
        report.addClassFindings(List.of(Finding.measured(Finding.Kind.SESSION, new Probe("c"))));

        Map<?, ?> json = (Map<?, ?>) JsonReader.read(JsonReport.render(report));
        assertThat(((Map<?, ?>) ((List<?>) json.get("tests")).get(0)).get("sockets")).as("the first of one kind")
                .isEqualTo(3L);
        assertThat(json.get("probes")).isEqualTo(List.of("echoes 100 lines: a <b>", "class-level checks: c"));
        assertThat(HtmlReport.render(report)).contains("<h2>Sockets of echoes 100 lines (EchoTests#echoes)</h2>")
                .contains("<h2>Probes</h2><table><tr><td>echoes 100 lines: a &lt;b&gt;</td></tr>"
                        + "<tr><td>class-level checks: c</td></tr></table>");
    }

    static ClassReport everyKindOfEvidence() {
        GrowingCollection sessions = new GrowingCollection("static Registry.SESSIONS", "java.util.HashMap",
                "com.example.Registry", "SESSIONS", true, "", 300, 300, "com.example.Session",
                Map.of("com.example.Session", 300), List.of("alice"), 1, 300, List.of("worker-1"), 0, 0,
                "static com.example.Registry#SESSIONS");
        LeakTraces.Result trace = new LeakTraces.Result(List.of(new LeakTraces.Signature(300,
                "static Registry.SESSIONS -> HashMap.table[] -> Session", "static field", false, "com.example.Registry",
                "static com.example.Registry#SESSIONS", sessions)), 300, null, null, 120, 1900);
        GrowthJudge.Result testGrowth = growth(100, new long[] {0, 100, 300, 700});
        DrivenRunGrowth.Cost cost = new DrivenRunGrowth.Cost(4, 12.34);
        ClassReport report = new ClassReport("com.example.EchoTests", settings(), "JDK");
        report.add(new TestVerdict(LEAKY, "leak found", 500, 300, Map.of("com.example.Session", 300L),
                "300 sessions left behind", 42, List.of(Finding.leak(Finding.Kind.HEAP, "300 sessions left behind", 300,
                        Map.of("com.example.Session", 300L)).withEvidence(trace),
                        Finding.measured(Finding.Kind.RESOURCE_GROWTH, testGrowth),
                        Finding.measured(Finding.Kind.RESOURCE_GROWTH, cost),
                        Finding.measured(Finding.Kind.RESOURCE_GROWTH, cost)), Map.of("heap", 12.0)));
        RetainedSize size = new RetainedSize(100, 7300, 9100, 10, List.of(new RetainedSize.ClassShare("[B", 2048, 3.0)),
                List.of(new RetainedSize.Point(0, 1_000_000, 0), new RetainedSize.Point(100, 1_900_000, 730_000)), 800)
                .withBudget(16 * 1024);
        StepLoad.Result load = new StepLoad.Result(step(0, 1_000_000), List.of(step(20, 1_200_000), step(100, 2_000_000)),
                step(0, 1_010_000), Duration.ofSeconds(2), List.of());
        report.addClassFindings(List.of(Finding.measured(Finding.Kind.RETAINED_SIZE, size),
                Finding.measured(Finding.Kind.STEP_LOAD, load),
                Finding.measured(Finding.Kind.CLASS_GROWTH, growth(50, new long[] {5, 5, 5, 5}))));
        return report;
    }

    private static GrowthJudge.Result growth(int warmUp, long[] sessions) {
        return new GrowthJudge.Result(warmUp, 200, warmUp + 600,
                List.of(new GrowthJudge.Trend("com.example.Session", sessions, true, 2.0, GrowthJudge.Origin.USER)),
                List.of(new GrowthJudge.Trend("threads", new long[] {10, 10, 10, 10}, false, 0, null)), null);
    }

    private static StepLoad.Step step(int open, long heap) {
        return new StepLoad.Step(open, heap, -1, 40 + open, 12, 3 * open, open == 0 ? -1 : 96);
    }

    private static LeakSettings settings() {
        return LeakSettings.resolve(new ConfigSource(key -> key.equals(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME)
                ? Optional.of(Path.of("target/leak-reports-unused").toString()) : Optional.empty()));
    }
}
