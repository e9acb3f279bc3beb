package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.netty.ScheduledTasks;
import dev.leakproof.internal.tracking.TrackedObject;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Forces full GCs until the objects in question are collected, or until it is proven that they
 * will not be: the grace period is a bound, not a wait. Proof is the same survivors after three
 * full GCs over at least {@value #MIN_OBSERVATION_MILLIS} ms, with no one-shot task pending on the
 * fixture's event loops that could still release them before the grace period ends (a delayed
 * clean-up is waited for until it ran: the GCs go on until then). A clean run pays for one GC; a
 * leak for three and a few short pauses, not for the whole grace period.
 *
 * <pre>{@code
 * Collection.Outcome outcome = Collection.collect(() -> tracker.survivors(), window);
 * }</pre>
 */
final class Collection {

    /** The least time between the first GC and a conclusion: references cleared by a pending task or thread land. */
    static final long MIN_OBSERVATION_MILLIS = 100;
    private static final int STABLE_GCS = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
    private static final Duration MAX_PAUSE = Duration.ofMillis(500);

    /**
     * How the GCs went.
     *
     * @param survivors what is still alive at the end (empty: all collected)
     * @param gc how the last full GC was forced, with the collections of all of them
     * @param conclusive whether the survivors were proven to stay (else the grace period ended first)
     */
    record Outcome(List<TrackedObject> survivors, GcForcer.Result gc, boolean conclusive) {
    }

    private Collection() {
    }

    /**
     * {@code alive} returns what is still alive, after dropping what the GC cleared; it is asked
     * after each forced GC, until it returns nothing or the survivors are proven to stay.
     */
    static Outcome collect(Supplier<List<TrackedObject>> alive, Window window) {
        Duration grace = window.session().settings().get(Settings.GRACE_PERIOD);
        long deadline = window.startNanos() + grace.toNanos();
        long firstGc = System.nanoTime();
        long[] collections = {0};
        String[] method = {"no GC"};
        int[] stable = {0};
        @SuppressWarnings("unchecked")
        List<TrackedObject>[] survivors = new List[] {null};
        boolean[] conclusive = {false};
        // Each poll is a full GC: the pauses between them grow, from 20 ms up to 500 ms.
        java.util.function.BooleanSupplier collectedOrProven = () -> {
            GcForcer.Result gc = GcForcer.fullGc();
            method[0] = gc.method();
            collections[0] += gc.collections();
            List<TrackedObject> now = alive.get();
            stable[0] = survivors[0] != null && sameObjects(survivors[0], now) ? stable[0] + 1 : 1;
            survivors[0] = now;
            if (now.isEmpty()) {
                return conclusive[0] = true;
            }
            long left = deadline - System.nanoTime();
            boolean observedLongEnough = System.nanoTime() - firstGc >= MIN_OBSERVATION_MILLIS * 1_000_000;
            conclusive[0] = stable[0] >= STABLE_GCS && observedLongEnough && left > 0
                    && ScheduledTasks.lastOneShotDueWithin(window.session().server().childEventLoops(),
                            Duration.ofNanos(left), grace).isEmpty();
            return conclusive[0];
        };
        // The first GC whatever the time left (the open-connection check may have used the grace period).
        if (!collectedOrProven.getAsBoolean() && deadline > System.nanoTime()) {
            Waits.withBackoff(collectedOrProven, Duration.ofNanos(deadline - System.nanoTime()), FIRST_PAUSE, MAX_PAUSE);
        }
        List<TrackedObject> left = survivors[0] == null ? alive.get() : survivors[0];
        return new Outcome(left, new GcForcer.Result(method[0], collections[0]), conclusive[0]);
    }

    private static boolean sameObjects(List<TrackedObject> a, List<TrackedObject> b) {
        if (a.size() != b.size()) {
            return false;
        }
        IdentityHashMap<TrackedObject, Boolean> seen = new IdentityHashMap<>();
        a.forEach(t -> seen.put(t, Boolean.TRUE));
        return b.stream().allMatch(seen::containsKey);
    }

}
