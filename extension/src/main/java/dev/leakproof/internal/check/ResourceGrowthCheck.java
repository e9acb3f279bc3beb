package dev.leakproof.internal.check;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.ResourceMeter;
import dev.leakproof.internal.growth.ResourcePoint;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The repeated-action growth check behind {@link ResourceGrowth}: runs the action at a warm-up and
 * two (or three) steps, measures every resource after each, and fails when something grows in
 * proportion to the repetitions, with the path that holds the growing instances.
 *
 * <pre>{@code
 * new ResourceGrowthCheck(session, 25, 50).assertDoesNotGrow(() -> client.get("/small"));
 * }</pre>
 */
public final class ResourceGrowthCheck implements ResourceGrowth {

    /** Instances of one class traced at most: the path of a few hundred tells as much as of all. */
    private static final int MAX_TRACED_PER_CLASS = 300;
    private static final int MAX_TRACED_CLASSES = 3;

    private final ClassSession session;
    private final int warmUp;
    private final int step;

    public ResourceGrowthCheck(ClassSession session, int warmUp, int step) {
        this.session = session;
        this.warmUp = warmUp;
        this.step = step;
    }

    @Override
    public ResourceGrowth withRepetitions(int warmUp, int step) {
        if (warmUp < 1 || step < 10) {
            throw new IllegalArgumentException("need warmUp >= 1 and step >= 10, were " + warmUp + " and " + step);
        }
        return new ResourceGrowthCheck(session, warmUp, step);
    }

    @Override
    public void assertDoesNotGrowWithRequests(int fewerRequests, int moreRequests, IntConsumer sendRequests) {
        new OpenConnectionGrowthCheck(session.server(), session.settings().get(Settings.GRACE_PERIOD),
                session.settings().get(Settings.MAX_OPEN_CONNECTIONS))
                .assertDoesNotGrowWithRequests(fewerRequests, moreRequests, sendRequests);
    }

    @Override
    public void assertDoesNotGrow(Runnable action) {
        assertDoesNotGrowInBatches(repetitions -> {
            for (int i = 0; i < repetitions; i++) {
                action.run();
            }
        });
    }

    @Override
    public void assertDoesNotGrowInBatches(IntConsumer repetitions) {
        LeakSettings settings = session.settings();
        ResourceMeter meter = new ResourceMeter(session.server(), session.tracker(),
                settings.get(Settings.THREAD_ALLOWLIST), settings.get(Settings.GRACE_PERIOD));
        List<ResourcePoint> points = new ArrayList<>();
        points.add(meter.measure(0));
        int done = 0;
        for (int batch : new int[] {warmUp, step, 2 * step}) {
            repetitions.accept(batch);
            done += batch;
            points.add(meter.measure(done));
        }
        if (GrowthJudge.candidate(points, step, session.testClass(), settings.get(Settings.GROWTH_ALLOWLIST))) {
            repetitions.accept(2 * step); // a candidate: the same rate once more, or it was noise
            done += 2 * step;
            points.add(meter.measure(done));
        }
        GrowthJudge.Result result = GrowthJudge.judge(points, step, session.testClass(),
                settings.get(Settings.GROWTH_ALLOWLIST));
        List<Finding> notes = GrowthMessages.constants(result, points);
        notes.forEach(session::record);
        if (!result.grows()) {
            session.record(Finding.measured(Finding.Kind.RESOURCE_GROWTH, result));
            return;
        }
        boolean connectionsGrow = result.resources().stream()
                .anyMatch(t -> t.grows() && t.resource().equals("open connections"));
        // Connections left open explain themselves (what state they are in); the path to an open
        // channel only leads to the selector it is registered with.
        List<OpenConnection> open = connectionsGrow ? session.server().openConnections() : List.of();
        LeakTraces.Result traces = connectionsGrow ? null : trace(result);
        if (onlyReclaimable(result, traces)) {
            session.record(Finding.note(Finding.Kind.RESOURCE_GROWTH, GrowthMessages.reclaimable(result)));
            session.record(Finding.measured(Finding.Kind.RESOURCE_GROWTH, result));
            return;
        }
        String message = GrowthMessages.message(result, traces, session.testClass(), open);
        session.record(Finding.thrown(Finding.Kind.RESOURCE_GROWTH, message, result));
        if (traces != null) {
            session.record(Finding.measured(Finding.Kind.RESOURCE_GROWTH, traces));
        }
        message += session.reportLine();
        Map<String, Long> byClass = new LinkedHashMap<>();
        result.classes().forEach(c -> byClass.put(c.resource(), c.counts()[c.counts().length - 1] - c.counts()[1]));
        long connections = result.resources().stream().filter(r -> r.resource().equals("open connections") && r.grows())
                .mapToLong(r -> r.counts()[r.counts().length - 1] - r.counts()[1]).sum();
        throw new ConnectionLeakError(message, connections, result.repetitions(), byClass);
    }

    /**
     * Whether the growth is held only through soft or weak references: only classes grow (no thread,
     * descriptor, connection or task), and Shark, given the instances of the traced classes (every one
     * of the JDK's, the first few hundred of others), found no strong path from a GC root to any. A full GC keeps softly reachable objects (a cache the JVM
     * clears only when memory runs short), so a class histogram counts them; the JVM clears them
     * before it throws an {@code OutOfMemoryError}, so they cannot leak.
     */
    private static boolean onlyReclaimable(GrowthJudge.Result result, LeakTraces.Result traces) {
        return traces != null && traces.skipped() == null && traces.signatures().isEmpty()
                && !result.classes().isEmpty() && result.resources().stream().noneMatch(GrowthJudge.Trend::grows);
    }

    /** The paths holding the growing classes' instances: the user's and libraries' classes first. */
    private LeakTraces.Result trace(GrowthJudge.Result result) {
        LeakSettings settings = session.settings();
        if (!settings.get(Settings.LEAK_TRACE) || result.classes().isEmpty()) {
            return null;
        }
        List<GrowthJudge.Trend> traced = result.classes().stream().filter(c -> c.origin() != GrowthJudge.Origin.JDK)
                .limit(MAX_TRACED_CLASSES).toList();
        if (traced.isEmpty()) {
            if (result.resources().stream().anyMatch(GrowthJudge.Trend::grows)) {
                return null; // the JDK's objects of a growing thread or connection: the resource says more than their paths
            }
            traced = result.classes().stream().limit(MAX_TRACED_CLASSES).toList();
        }
        // A dump tells no instance's age: the paths of a class are the growth's only when every
        // instance is traced. Among the JDK's tens of thousands of strings, any few hundred lead to
        // the JVM's own tables and would point at the wrong holder.
        GrowthJudge.Trend crowded = traced.stream().filter(t -> t.origin() == GrowthJudge.Origin.JDK
                        && t.counts()[t.counts().length - 1] > MAX_TRACED_PER_CLASS)
                .findFirst().orElse(null);
        if (crowded != null) {
            return LeakTraces.Result.skipped("only the JDK's own classes grow, and a heap dump cannot tell the "
                    + String.format(java.util.Locale.ROOT, "%,d", crowded.counts()[crowded.counts().length - 1])
                    + " instances of " + ClassNames.readable(crowded.resource()) + " the action added from the JVM's own;"
                    + " look for a collection the action adds to (a static list, map or cache)");
        }
        return LeakTraces.findInstances(traced.stream().map(GrowthJudge.Trend::resource).toList(), MAX_TRACED_PER_CLASS,
                session.testClass(), new LeakTraces.Options(settings.get(Settings.LEAK_TRACE_IGNORE),
                        settings.get(Settings.ACCEPTED_LEAKS), settings.get(Settings.LEAK_TRACE_TIMEOUT),
                        settings.get(Settings.KEEP_HEAP_DUMP)));
    }
}
