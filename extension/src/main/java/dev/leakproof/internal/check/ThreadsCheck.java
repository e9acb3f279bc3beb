package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Threads started per connection and still running. Judged here only when they could be per
 * connection: at least half as many as the connections, and more than a pool started once could
 * hold ({@link Threads#POOL_BOUND}); only then does the verdict give them the grace period to end.
 * Fewer are left for the class's end ({@link ClassThreadsCheck}), which tells a pool started once
 * (a library's global event loop, a static executor) from threads every test starts and never
 * stops; this verdict does not wait for them.
 *
 * <pre>{@code
 * List<Finding> findings = new ThreadsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ThreadsCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        List<Thread> threads = window.baseline().threads().startedSince(settings.get(Settings.THREAD_ALLOWLIST));
        long connections = window.connections();
        if (couldBePerConnection(threads, connections)) {
            threads = Threads.awaitEnded(window.baseline().threads(), settings.get(Settings.THREAD_ALLOWLIST),
                    settings.get(Settings.GRACE_PERIOD));
        }
        // Leaked or not, the class's end knows which test left them (and, through the verdict, whether it failed for them).
        window.session().threadLedger().leftBy(window.name(), threads);
        if (couldBePerConnection(threads, connections)) {
            return List.of(Finding.leak(Finding.Kind.THREADS, Threads.message(threads, connections, "during the test"),
                    0, Map.of("threads", (long) threads.size())));
        }
        return List.of();
    }

    /**
     * Threads per connection come as one family of names (Thread-12, Thread-13, ...; worker-7, ...)
     * larger than any pool; what libraries start once comes as several small families (a framework's
     * event loops, its scheduler, a bounded elastic pool), each within the pool bound, whatever the
     * machine's core count.
     */
    private static boolean couldBePerConnection(List<Thread> threads, long connections) {
        return threads.size() >= Math.max(2, connections / 2) && largestFamily(threads) > Threads.POOL_BOUND;
    }

    private static long largestFamily(List<Thread> threads) {
        return threads.stream().collect(java.util.stream.Collectors.groupingBy(
                        t -> t.getName().replaceAll("[0-9]+", "#"), java.util.stream.Collectors.counting()))
                .values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
