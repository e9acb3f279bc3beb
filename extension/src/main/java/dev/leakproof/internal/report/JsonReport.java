package dev.leakproof.internal.report;

import dev.leakproof.internal.check.DrivenRunGrowth;
import dev.leakproof.internal.check.RetainedSizeCheck;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.StepLoad;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.List;
import java.util.Map;

/**
 * A {@link ClassReport} as JSON, for tools: the class's verdict and totals (what the run's index
 * reads), the settings, each test's verdict (with the test's unique id) and its leak trace,
 * the class-level findings and notes, and the measurements (retained size, step load, growth).
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
            t.evidence(LeakTraces.Result.class).ifPresent(trace -> leakTrace(j, trace));
            // Growth checkpoints run inside the test's driven runs: their cost is the run's, not the verdict's.
            List<DrivenRunGrowth.Cost> costs = t.findings().stream().map(f -> f.evidence(DrivenRunGrowth.Cost.class))
                    .flatMap(java.util.Optional::stream).toList();
            j.field("growthCheckpoints").open('{');
            j.field("points").value(costs.stream().mapToInt(DrivenRunGrowth.Cost::points).sum());
            j.field("millis").value(Math.round(costs.stream().mapToDouble(DrivenRunGrowth.Cost::millis).sum() * 10) / 10.0);
            j.close('}');
            j.close('}');
        }
        j.close(']');
        j.field("classFindings").open('[');
        r.classLeaks().forEach(f -> j.element().string(f));
        j.close(']');
        j.field("notes").open('[');
        r.notes().forEach(n -> j.element().string(n));
        j.close(']');
        r.classEvidence(RetainedSize.class).ifPresentOrElse(s -> retainedSize(j, s),
                () -> r.classEvidence(RetainedSizeCheck.Skipped.class)
                        .ifPresent(s -> j.field("retainedSizeSkipped").string(s.reason())));
        r.classEvidence(StepLoad.Result.class).ifPresent(load -> stepLoad(j, load));
        growth(j, r.growthResults());
        j.close('}');
        return j.toString();
    }

    private static void leakTrace(JsonWriter j, LeakTraces.Result trace) {
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

    private static void retainedSize(JsonWriter j, RetainedSize s) {
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

    private static void stepLoad(JsonWriter j, StepLoad.Result load) {
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

    /** Every judged growth: where, the steps, every resource's counts at each point, the growing classes. */
    private static void growth(JsonWriter j, List<Map.Entry<String, GrowthJudge.Result>> results) {
        j.field("growth").open('[');
        for (Map.Entry<String, GrowthJudge.Result> e : results) {
            GrowthJudge.Result g = e.getValue();
            j.element().open('{');
            j.field("judged").string(e.getKey());
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
        j.close(']');
    }

    private static void counts(JsonWriter j, long[] counts) {
        j.open('[');
        for (long c : counts) {
            j.element().value(c);
        }
        j.close(']');
    }
}
