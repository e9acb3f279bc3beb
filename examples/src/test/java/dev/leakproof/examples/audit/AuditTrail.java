package dev.leakproof.examples.audit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The account service's audit trail: every record goes to the remote audit store on one writer
 * thread, {@code audit-writer}, so that the event loops never wait for the store. It lives as long
 * as the server.
 *
 * <pre>{@code
 * AuditTrail audit = new AuditTrail(store);
 * LinePipeline.withHandler(() -> new AccountHandler(audit::record, session -> { }));
 * ...
 * audit.close(); // at shutdown
 * }</pre>
 *
 * <p>THE LEAK: the writer waits for each acknowledgement as long as the store takes, and the queue
 * in front of it has no bound. When the store stops answering, the writer blocks on one record and
 * every later record waits in the queue, each with its session and its connection's channel: one
 * connection kept per login, for as long as the store is down. {@link FixedAuditTrail} bounds the
 * wait.
 */
final class AuditTrail implements AutoCloseable {

    private final AuditStore store;
    // Executors.newSingleThreadExecutor: one thread, and a LinkedBlockingQueue without a bound.
    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "audit-writer");
        thread.setDaemon(true);
        return thread;
    });

    AuditTrail(AuditStore store) {
        this.store = store;
    }

    /** Hands {@code record} to the writer and returns at once. */
    void record(AuditRecord record) {
        writer.execute(() -> {
            try {
                store.append(record.line());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down
            }
        });
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
