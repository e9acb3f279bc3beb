package dev.leakproof.internal.check;

import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.RunObserver;
import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.GrowthPlan;
import dev.leakproof.internal.growth.ResourceMeter;
import dev.leakproof.internal.growth.ResourcePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Judges every run of a driver the extension made (the automatic cycles, a test's injected
 * {@code ConnectionDriver}, cycles at a {@code @TargetServer}) by growth per connection, with the
 * same judge and words as {@code ResourceGrowth}: the run pauses at the points of a
 * {@link GrowthPlan} (every cycle before the point closed), every resource is measured there, and a
 * resource that grows at the same rate per connection in every step is a leak, with the path to the
 * growing instances. This is what catches a shared structure that gains an entry per connection
 * without holding any per-connection object: a cache keyed by each client's server name, a map of
 * paths, a registry of past clients.
 *
 * <pre>{@code
 * ConnectionDriver driver = builder.runObserver(new DrivenRunGrowth(session)).build();
 * driver.run(1000); // measured at 0, 100, 280, 640 (and 1000 to confirm); a leak is recorded for the verdict
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class DrivenRunGrowth implements RunObserver {

    private final ClassSession session;
    private final Consumer<Finding> record;
    private final GrowthPlan fixedPlan;
    // One run at a time per driver: a driver's runs are sequential, and these belong to the current one.
    private GrowthPlan plan;
    private ResourceMeter meter;
    private final List<ResourcePoint> points = new ArrayList<>();
    private int shortRun = -1;
    private long checkpointNanos;

    /** Judges every run of at least {@link GrowthPlan#MIN_CYCLES} cycles; findings go to the test's verdict. */
    public DrivenRunGrowth(ClassSession session) {
        this(session, session::record, null);
    }

    /**
     * @param record where the findings go
     * @param fixedPlan the plan of a run of exactly its {@link GrowthPlan#confirmingPoint()} cycles (other runs
     *     are planned from their length), or {@code null}
     */
    public DrivenRunGrowth(ClassSession session, Consumer<Finding> record, GrowthPlan fixedPlan) {
        this.session = session;
        this.record = record;
        this.fixedPlan = fixedPlan;
    }

    @Override
    public synchronized int[] pausePoints(int cycles) {
        plan = null;
        points.clear();
        shortRun = -1;
        checkpointNanos = 0;
        LeakSettings settings = session.settings();
        if (!settings.get(Settings.JUDGE_GROWTH) || session.insideGrowthCheck() || cycles == 0) {
            return new int[0]; // inside ResourceGrowth, runs are its repetitions, judged by it
        }
        Optional<GrowthPlan> planned = fixedPlan != null && fixedPlan.confirmingPoint() == cycles ? Optional.of(fixedPlan)
                : GrowthPlan.forRun(cycles);
        if (planned.isEmpty()) {
            shortRun = cycles;
            return new int[0];
        }
        plan = planned.get();
        meter = new ResourceMeter(session.server(), session.tracker(), settings.get(Settings.THREAD_ALLOWLIST),
                settings.get(Settings.GRACE_PERIOD), ResourceMeter.QUIET_IN_DRIVEN_RUN);
        return plan.pausePoints();
    }

    @Override
    public synchronized void checkpoint(int cyclesDone) {
        if (plan == null) {
            return;
        }
        // The confirming point costs a measurement only when the first four show a candidate.
        if (cyclesDone == plan.confirmingPoint() && !GrowthJudge.candidate(points, plan.step(), session.testClass(),
                session.settings().get(Settings.GROWTH_ALLOWLIST), GrowthJudge.RATE_TOLERANCE_PER_CONNECTION)) {
            return;
        }
        long start = System.nanoTime();
        points.add(meter.measure(cyclesDone));
        checkpointNanos += System.nanoTime() - start;
    }

    @Override
    public synchronized void runEnded(DriverStats stats) {
        if (shortRun > 0) {
            record.accept(Finding.note(Finding.Kind.RESOURCE_GROWTH, shortRunNote(shortRun)));
            return;
        }
        if (plan == null || points.size() < 4) {
            return;
        }
        GrowthJudge.Result result = GrowthJudge.judge(points, plan.step(), session.testClass(),
                session.settings().get(Settings.GROWTH_ALLOWLIST), GrowthJudge.RATE_TOLERANCE_PER_CONNECTION);
        List<ResourcePoint> measured = List.copyOf(points);
        points.clear(); // their histograms are large: not kept past the run
        record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, new Cost(measured.size(), checkpointNanos / 1e6)));
        if (GrowthVerdict.grows(result, "tracked objects") || GrowthVerdict.grows(result, "open connections")) {
            // Per-connection objects that stay, or connections left open: the verdict's heap, TLS and
            // open-connection checks name them, each connection and the path; growth would say it
            // twice. Should none of them find it, the verdict fails with this growth (settle).
            record.accept(new Finding(Finding.Kind.RESOURCE_GROWTH, Finding.Outcome.NOTE, GrowthMessages.message(result,
                    null, session.testClass(), List.of(), GrowthMessages.Unit.CONNECTION), 0, Map.of(),
                    new Deferred(result)));
            return;
        }
        GrowthVerdict.conclude(session, measured, result, GrowthMessages.Unit.CONNECTION, record)
                .ifPresent(leak -> record.accept(Finding.leak(Finding.Kind.RESOURCE_GROWTH, leak.message(),
                        leak.openConnections(), leak.byClass()).withEvidence(result)));
    }

    /**
     * What judging one run cost: the points measured and the time they took (settling, a full GC, a
     * class histogram each), which the run's own time includes and the verdict's does not.
     */
    public record Cost(int points, double millis) implements Evidence {

        @Override
        public void json(JsonWriter json) {
            json.field("growthCheckpoints").open('{');
            json.field("points").value(points);
            json.field("millis").value(Math.round(millis * 10) / 10.0);
            json.close('}');
        }

        /** A test's driven runs each cost their checkpoints: the report shows their sum. */
        @Override
        public Evidence join(Evidence later) {
            return later instanceof Cost c ? new Cost(points + c.points, millis + c.millis) : this;
        }
    }

    /** A growth the verdict's own checks should explain (objects per connection that stay, open connections). */
    public record Deferred(GrowthJudge.Result result) implements Evidence {

        /**
         * Whether the tracked objects the run added are still alive after the verdict's GCs: released
         * since (a clean-up task due within the grace period), they were not a leak.
         */
        boolean stillAlive(long trackedAliveNow) {
            return result.resources().stream().filter(t -> t.resource().equals("tracked objects") && t.grows())
                    .anyMatch(t -> 2 * trackedAliveNow >= t.counts()[t.counts().length - 1] - t.counts()[1]);
        }
    }

    /**
     * Settles a verdict's findings, in place: a deferred growth that no open-connection, heap or TLS
     * finding explained fails the test itself (a server whose engines end in a state no other check
     * judges must not pass because growth deferred to them); and a test whose connections no growth
     * judged gets a note saying how to have them judged.
     */
    public static void settle(Window window, List<Finding> findings) {
        boolean explained = findings.stream().anyMatch(f -> f.isLeak() && (f.kind() == Finding.Kind.OPEN_CONNECTIONS
                || f.kind() == Finding.Kind.HEAP || f.kind() == Finding.Kind.CLIENT_OBJECTS));
        long alive = window.session().tracker().liveReferences();
        findings.replaceAll(f -> explained || f.evidence(Deferred.class).filter(d -> d.stillAlive(alive)).isEmpty() ? f
                : new Finding(f.kind(), Finding.Outcome.LEAK, f.message(), 0, f.countsByClass(),
                        f.evidence(Deferred.class).get().result()));
        findings.addAll(unjudged(window, findings));
    }

    /**
     * A note for a test whose connections no growth judged: it made them with its own client code
     * (the fixture and a target server see each one), not through a driver of the extension's, and
     * did not hand them to {@code ResourceGrowth}. Growth over a test's own loop has no checkpoints
     * inside it, and before/after counts over one window cannot tell a leak from what the first use
     * of a client starts, so the note says how to have it judged.
     */
    private static List<Finding> unjudged(Window window, List<Finding> findings) {
        if (window.connections() < GrowthPlan.MIN_CYCLES || !window.session().settings().get(Settings.JUDGE_GROWTH)
                || findings.stream().anyMatch(f -> f.kind() == Finding.Kind.RESOURCE_GROWTH)) {
            return List.of();
        }
        return List.of(Finding.note(Finding.Kind.RESOURCE_GROWTH, "The test's own " + window.connections()
                + " connections were not judged by growth per connection: they were made by the test's own client code, "
                + "not by a ConnectionDriver of the extension's. To judge them, wrap one repetition of the loop in "
                + "ResourceGrowth: growth.assertDoesNotGrow(() -> { ... one call ... })"));
    }

    static String shortRunNote(int cycles) {
        return "Growth per connection was not judged for a run of " + cycles + (cycles == 1 ? " cycle" : " cycles")
                + ": judging it inside a run takes at least " + GrowthPlan.MIN_CYCLES + " (a warm-up of "
                + GrowthPlan.MIN_WARM_UP + ", then steps of " + GrowthPlan.MIN_STEP + ", " + 2 * GrowthPlan.MIN_STEP
                + " and " + 2 * GrowthPlan.MIN_STEP + "). Run more cycles, or judge the action with ResourceGrowth: "
                + "growth.assertDoesNotGrowInBatches(n -> driver.run(n))";
    }
}
