package dev.leakproof.examples.audit;

import java.time.Duration;

/**
 * The client of the remote audit store: sends a line and waits for its acknowledgement.
 *
 * <pre>{@code
 * store.append(record.line());                              // as long as the store takes
 * boolean stored = store.append(record.line(), Duration.ofMillis(200)); // or at most 200 ms
 * }</pre>
 */
interface AuditStore {

    /** Sends {@code line} and waits until the store acknowledged it. */
    void append(String line) throws InterruptedException;

    /** Sends {@code line} and waits at most {@code timeout} for the acknowledgement; false if none came. */
    boolean append(String line, Duration timeout) throws InterruptedException;
}
