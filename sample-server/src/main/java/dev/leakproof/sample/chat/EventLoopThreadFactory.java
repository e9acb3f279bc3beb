package dev.leakproof.sample.chat;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Names event-loop threads after their pool and remembers them, so {@link ChatServer#close()} can wait until
 * they have really exited: a group's termination future completes just before its threads end.
 */
final class EventLoopThreadFactory extends DefaultThreadFactory {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    EventLoopThreadFactory(String poolName) {
        super(poolName, false);
    }

    @Override
    protected Thread newThread(Runnable task, String name) {
        Thread thread = super.newThread(task, name);
        threads.add(thread);
        return thread;
    }

    /** Waits for every thread made so far to end; returns {@code false} if one is still alive at the deadline. */
    boolean awaitThreadsEnded(long deadlineNanos) throws InterruptedException {
        for (Thread thread : threads) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMillis > 0) {
                thread.join(remainingMillis);
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        threads.clear();
        return true;
    }
}
