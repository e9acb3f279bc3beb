package dev.leakproof.examples.audit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The remote audit store on a bad day, for the tests: it takes every line and acknowledges none
 * (a host that hangs behind its load balancer), until the test ends and {@link #answerEverything()}.
 *
 * <pre>{@code
 * UnansweredAuditStore store = new UnansweredAuditStore();
 * ...
 * store.answerEverything(); // in @AfterAll
 * }</pre>
 */
final class UnansweredAuditStore implements AuditStore {

    private final CountDownLatch answers = new CountDownLatch(1);

    @Override
    public void append(String line) throws InterruptedException {
        answers.await();
    }

    @Override
    public boolean append(String line, Duration timeout) throws InterruptedException {
        return answers.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The store comes back: every append waiting, and every later one, is acknowledged. */
    void answerEverything() {
        answers.countDown();
    }
}
