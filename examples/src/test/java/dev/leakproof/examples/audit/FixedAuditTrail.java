package dev.leakproof.examples.audit;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link AuditTrail} with its leak fixed: the writer waits at most {@value #ACK_TIMEOUT_MILLIS} ms
 * for the store's acknowledgement, and after a timeout skips the store for
 * {@value #BACK_OFF_MILLIS} ms (a circuit breaker's open state), dropping records with a count
 * instead of queueing them behind a store that does not answer; the queue has a bound too. A record
 * that waits is released within the timeout, so no connection is kept for longer.
 *
 * <pre>{@code
 * FixedAuditTrail audit = new FixedAuditTrail(store);
 * LinePipeline.withHandler(() -> new AccountHandler(audit::record, session -> { }));
 * metrics.gauge("audit.dropped", audit::dropped);
 * }</pre>
 */
final class FixedAuditTrail implements AutoCloseable {

    static final long ACK_TIMEOUT_MILLIS = 200;
    static final long BACK_OFF_MILLIS = 5_000;
    static final int QUEUE_BOUND = 1_000;

    private final AuditStore store;
    private final LongAdder dropped = new LongAdder();
    // THE FIX, 1: a bounded queue; a record that does not fit is dropped and counted.
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_BOUND), task -> {
                Thread thread = new Thread(task, "audit-writer");
                thread.setDaemon(true);
                return thread;
            }, (task, pool) -> dropped.increment());
    /** When the writer tries the store again after a timeout (System.nanoTime()); read and written by the writer only. */
    private long storeRetryAtNanos = System.nanoTime();

    FixedAuditTrail(AuditStore store) {
        this.store = store;
    }

    /** Hands {@code record} to the writer and returns at once. */
    void record(AuditRecord record) {
        writer.execute(() -> write(record));
    }

    /** Records the store did not take: the queue was full, the store did not answer in time, or it was skipped. */
    long dropped() {
        return dropped.sum();
    }

    private void write(AuditRecord record) {
        if (System.nanoTime() - storeRetryAtNanos < 0) {
            dropped.increment(); // the store timed out a moment ago: do not wait for it again yet
            return;
        }
        try {
            // THE FIX, 2: a bounded wait.
            if (!store.append(record.line(), Duration.ofMillis(ACK_TIMEOUT_MILLIS))) {
                dropped.increment();
                storeRetryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACK_OFF_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        }
    }

    /** Drops what is still queued and ends the writer thread, waiting at most 5 s for it. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdownNow();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the audit-writer thread did not end within 5 s");
        }
    }
}
