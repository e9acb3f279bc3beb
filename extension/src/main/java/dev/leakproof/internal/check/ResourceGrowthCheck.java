package dev.leakproof.internal.check;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.ResourceMeter;
import dev.leakproof.internal.growth.ResourcePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apiguardian.api.API;

/**
 * The repeated-action growth check behind {@link ResourceGrowth}: runs the action at a warm-up and
 * two (or three) steps, measures every resource after each, and fails when something grows in
 * proportion to the repetitions, with the path that holds the growing instances.
 *
 * <pre>{@code
 * new ResourceGrowthCheck(session, 25, 50).assertDoesNotGrow(() -> client.get("/small"));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ResourceGrowthCheck implements ResourceGrowth {

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
    public void assertOpenConnectionsDoNotGrowWithRequests(int fewerRequests, int moreRequests,
            IntConsumer sendRequests) {
        new OpenConnectionGrowthCheck(session).assertDoesNotGrowWithRequests(fewerRequests, moreRequests, sendRequests);
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
        session.insideGrowthCheck(true);
        try {
            judge(repetitions);
        } finally {
            session.insideGrowthCheck(false);
        }
    }

    private void judge(IntConsumer repetitions) {
        LeakSettings settings = session.settings();
        ResourceMeter meter = new ResourceMeter(session.server(), session.tracker(),
                settings.get(Settings.THREAD_ALLOWLIST), settings.get(Settings.GRACE_PERIOD), ResourceMeter.QUIET);
        List<ResourcePoint> points = new ArrayList<>();
        points.add(meter.measure(0));
        int done = 0;
        for (int batch : new int[] {warmUp, step, 2 * step}) {
            repetitions.accept(batch);
            done += batch;
            points.add(meter.measure(done));
        }
        if (GrowthJudge.candidate(points, step, session.testClass(), settings.get(Settings.GROWTH_ALLOWLIST),
                GrowthJudge.RATE_TOLERANCE)) {
            repetitions.accept(2 * step); // a candidate: the same rate once more, or it was noise
            done += 2 * step;
            points.add(meter.measure(done));
        }
        session.ranRepetitions(done);
        GrowthJudge.Result result = GrowthJudge.judge(points, step, session.testClass(),
                settings.get(Settings.GROWTH_ALLOWLIST), GrowthJudge.RATE_TOLERANCE);
        GrowthVerdict.Leak leak = GrowthVerdict.conclude(session, points, result, GrowthMessages.Unit.REPETITION,
                session::record)
                .orElse(null);
        if (leak == null) {
            return;
        }
        session.record(Finding.thrown(Finding.Kind.RESOURCE_GROWTH, leak.message(), result));
        throw new ConnectionLeakError(leak.message() + session.reportLine(), leak.openConnections(), result.repetitions(),
                leak.byClass());
    }
}
