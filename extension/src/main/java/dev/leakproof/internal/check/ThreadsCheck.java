package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * Threads started per connection and still running, given the grace period to end. A few threads
 * are judged at the end of the class instead ({@link ClassThreadsCheck}): a pool the class shuts
 * down in {@code @AfterAll} starts its threads lazily, during the first test that uses it.
 *
 * <pre>{@code
 * List<Finding> findings = new ThreadsCheck().run(window);
 * }</pre>
 */
public final class ThreadsCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        List<Thread> threads = Threads.awaitEnded(window.baseline().threads(),
                window.session().settings().get(Settings.THREAD_ALLOWLIST),
                window.session().settings().get(Settings.GRACE_PERIOD));
        long connections = window.connections();
        if (threads.size() < Math.max(2, connections / 2)) {
            return List.of();
        }
        return List.of(Finding.leak(Finding.Kind.THREADS, Threads.message(threads, connections, "during the test"), 0,
                Map.of()));
    }
}
