package dev.leakproof.examples.heartbeat;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's one shared scheduler for per-connection heartbeats: one small thread pool instead
 * of a timer per connection.
 *
 * <pre>{@code
 * ScheduledExecutorService heartbeats = Heartbeats.newScheduler();
 * ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(session::beat, 30, 30, TimeUnit.SECONDS);
 * ...
 * heartbeats.shutdownNow(); // at server shutdown
 * }</pre>
 *
 * <p>It lives as long as the server, and so does every task in its queue, with everything the
 * task captures (per-connection timers that outlive their connection).
 */
final class Heartbeats {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private Heartbeats() {
    }

    static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "heartbeats-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // A cancelled heartbeat leaves the queue at once, not at its next due time, 30 s later.
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
