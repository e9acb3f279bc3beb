package dev.leakproof.internal.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;

/**
 * The one way Leakproof waits: bounded polls through Awaitility, on the calling thread (a poll
 * thread of Awaitility's own would show up in the thread checks), and a timeout that returns what
 * was seen last instead of throwing, because for a leak check "it never settled" is a finding, not
 * an error.
 *
 * <pre>{@code
 * List<OpenConnection> open = Waits.until(server::openConnections, List::isEmpty,
 *         Duration.ofSeconds(5), Duration.ofMillis(20));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Waits {

    private Waits() {
    }

    /**
     * Probes every {@code poll} until {@code done} holds for the value, at most {@code timeout};
     * returns the last value probed (the first probe is immediate).
     */
    public static <T> T until(Supplier<T> probe, Predicate<? super T> done, Duration timeout, Duration poll) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            await(timeout).pollInterval(poll).until(() -> {
                T value = probe.get();
                last.set(value);
                return done.test(value);
            });
        } catch (ConditionTimeoutException e) {
            // the last value says what did not settle
        }
        return last.get();
    }

    /**
     * Probes every {@code poll} until the value has stayed the same for {@code quiet}, at most
     * {@code timeout}; returns the last value probed. For counts that trickle in and then stop.
     */
    public static <T> T untilQuiet(Supplier<T> probe, Duration quiet, Duration timeout, Duration poll) {
        AtomicReference<T> last = new AtomicReference<>(probe.get());
        // Awaitility needs the bound above the quiet period; a bound shorter than it cannot see quiet.
        Duration needed = timeout.compareTo(quiet) > 0 ? quiet : timeout.dividedBy(2);
        try {
            await(timeout).pollInterval(poll).during(needed).until(() -> {
                T value = probe.get();
                return Objects.equals(value, last.getAndSet(value));
            });
        } catch (ConditionTimeoutException e) {
            // still changing at the bound: the last value is the best there is
        }
        return last.get();
    }

    /**
     * Checks {@code done} at once and then at intervals doubling from {@code first} up to
     * {@code max}, at most {@code timeout}: for a check that is itself costly (a full GC), so that a
     * clean run pays for one and a leak for a handful, not one every few milliseconds.
     *
     * @return whether {@code done} held before the timeout
     */
    public static boolean withBackoff(BooleanSupplier done, Duration timeout, Duration first, Duration max) {
        try {
            await(timeout).pollInterval(new IterativePollInterval(
                    d -> d.multipliedBy(2).compareTo(max) > 0 ? max : d.multipliedBy(2), first))
                    .until(done::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Holds the calling thread for {@code duration}: a measured pause (a load step held open), not a
     * wait for a condition. An interrupt ends it early and stays set for the caller.
     */
    public static void hold(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConditionFactory await(Duration timeout) {
        return Awaitility.await().pollInSameThread().atMost(timeout).pollDelay(Duration.ZERO);
    }
}
