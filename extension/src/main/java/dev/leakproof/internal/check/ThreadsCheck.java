package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import java.util.List;
import java.util.Map;

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
public final class ThreadsCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        List<Thread> threads = window.baseline().threads().startedSince(settings.get(Settings.THREAD_ALLOWLIST));
        long connections = window.connections();
        if (couldBePerConnection(threads.size(), connections)) {
            threads = Threads.awaitEnded(window.baseline().threads(), settings.get(Settings.THREAD_ALLOWLIST),
                    settings.get(Settings.GRACE_PERIOD));
        }
        if (couldBePerConnection(threads.size(), connections)) {
            return List.of(Finding.leak(Finding.Kind.THREADS, Threads.message(threads, connections, "during the test"),
                    0, Map.of()));
        }
        window.session().threadLedger().leftBy(window.name(), threads);
        return List.of();
    }

    private static boolean couldBePerConnection(int threads, long connections) {
        return threads >= Math.max(2, connections / 2) && threads > Threads.POOL_BOUND;
    }
}
