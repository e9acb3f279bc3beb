package dev.leakproof.internal.growth;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where a run of connection cycles is measured, so that its growth can be judged from inside the
 * run the test already makes (no cycles added): before it, after a warm-up, after K more cycles,
 * after 2K more, and, only when something looks like growth by then, after 2K more again to confirm
 * the rate. A run too short for steps of {@link #MIN_STEP} cycles is not judged.
 *
 * <pre>{@code
 * GrowthPlan plan = GrowthPlan.forRun(1000).orElseThrow(); // points at 0, 100, 280, 640 and 1000
 * }</pre>
 *
 * @param warmUp cycles before the first step
 * @param step K: the steps are K, 2K and (to confirm) 2K cycles
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record GrowthPlan(int warmUp, int step) {

    /**
     * The shortest step judged. A leak of one object per connection shows as 20, then 40 instances;
     * shorter steps leave the judge too little between one-off noise and a steady rate.
     */
    public static final int MIN_STEP = 20;

    /**
     * The shortest warm-up: what JIT compilation, class loading and first-use caches add settles
     * within 20 repetitions on this project's clients and servers (ResourceGrowth's Javadoc), and a
     * run's first cycles are also its most concurrent start-up.
     */
    public static final int MIN_WARM_UP = 25;

    /** The fewest cycles a run needs to be judged: a warm-up and five steps' worth of K. */
    public static final int MIN_CYCLES = MIN_WARM_UP + 5 * MIN_STEP;

    /** A tenth of a long run warms up; the rest is split into K, 2K and 2K. */
    public static Optional<GrowthPlan> forRun(int cycles) {
        if (cycles < MIN_CYCLES) {
            return Optional.empty();
        }
        int warmUp = Math.max(MIN_WARM_UP, cycles / 10);
        return Optional.of(new GrowthPlan(warmUp, (cycles - warmUp) / 5));
    }

    /** The cycle counts at which the run pauses to be measured; the last is the confirming point. */
    public int[] pausePoints() {
        return new int[] {0, warmUp, warmUp + step, warmUp + 3 * step, confirmingPoint()};
    }

    /** The point measured only when the first four points show a candidate. */
    public int confirmingPoint() {
        return warmUp + 5 * step;
    }
}
