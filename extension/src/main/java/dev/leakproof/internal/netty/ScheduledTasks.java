package dev.leakproof.internal.netty;

import dev.leakproof.internal.text.ClassNames;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;

/**
 * Scheduled tasks still pending on the fixture server's event loops: once every connection has
 * closed, a task that remains was scheduled for a connection and never cancelled (the heartbeat of a long-lived
 * connection service). Netty's own tasks (idle and handshake timers) cancel themselves with their handlers
 * and are left out. The queue is Netty's internal field, read on the loop's own thread.
 *
 * <pre>{@code
 * Map<String, Long> pending = ScheduledTasks.pendingOn(server.childEventLoops(), Duration.ofSeconds(1));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ScheduledTasks {

    private ScheduledTasks() {
    }

    /** Pending, uncancelled tasks by the class of what they run, or empty when Netty's queue is not reachable. */
    public static Map<String, Long> pendingOn(EventExecutorGroup group, Duration timeout) {
        return pendingOn(group, timeout, Duration.ZERO);
    }

    /**
     * Like {@link #pendingOn(EventExecutorGroup, Duration)}, leaving out one-shot tasks due within
     * {@code dueWithin}: a delayed clean-up that is about to run is not a task left behind.
     */
    public static Map<String, Long> pendingOn(EventExecutorGroup group, Duration timeout, Duration dueWithin) {
        Map<String, Long> byClass = new TreeMap<>();
        Field queueField;
        try {
            queueField = AbstractScheduledEventExecutor.class.getDeclaredField("scheduledTaskQueue");
            queueField.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return byClass;
        }
        for (EventExecutor loop : group) {
            io.netty.util.concurrent.Future<List<Object>> copy = loop.submit(() -> {
                Object queue = queueField.get(loop);
                return queue == null ? List.of() : new ArrayList<>((Collection<?>) queue);
            });
            if (!copy.awaitUninterruptibly(timeout.toMillis()) || !copy.isSuccess()) {
                continue;
            }
            for (Object task : copy.getNow()) {
                if (task instanceof ScheduledFuture<?> future && !future.isCancelled() && !future.isDone()
                        && !(isOneShot(task) && future.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS) <= dueWithin.toNanos())) {
                    String what = taskClass(task);
                    if (!what.startsWith("io.netty.")) {
                        byClass.merge(ClassNames.readable(what), 1L, Long::sum);
                    }
                }
            }
        }
        return byClass;
    }

    /**
     * How long until the last one-shot task pending on {@code group}'s loops runs, among those due
     * within {@code within}; empty when none is. A one-shot task may still release what it holds
     * when it runs (a delayed clean-up); a periodic one (a heartbeat) never does by running.
     */
    public static java.util.Optional<Duration> lastOneShotDueWithin(EventExecutorGroup group, Duration within,
            Duration timeout) {
        Field queueField;
        try {
            queueField = AbstractScheduledEventExecutor.class.getDeclaredField("scheduledTaskQueue");
            queueField.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        long latest = -1;
        for (EventExecutor loop : group) {
            io.netty.util.concurrent.Future<List<Object>> copy = loop.submit(() -> {
                Object queue = queueField.get(loop);
                return queue == null ? List.of() : new ArrayList<>((Collection<?>) queue);
            });
            if (!copy.awaitUninterruptibly(timeout.toMillis()) || !copy.isSuccess()) {
                continue;
            }
            for (Object task : copy.getNow()) {
                if (task instanceof ScheduledFuture<?> future && !future.isCancelled() && !future.isDone()
                        && isOneShot(task)) {
                    long delay = future.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS);
                    if (delay <= within.toNanos()) {
                        latest = Math.max(latest, Math.max(0, delay));
                    }
                }
            }
        }
        return latest < 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(latest));
    }

    private static boolean isOneShot(Object nettyScheduledTask) {
        Object period = field(nettyScheduledTask, "periodNanos");
        return !(period instanceof Long p) || p == 0;
    }

    /** The class of the user's Runnable or Callable inside Netty's ScheduledFutureTask. */
    private static String taskClass(Object scheduledFutureTask) {
        Object inner = field(scheduledFutureTask, "task");
        if (inner instanceof Callable<?> && inner.getClass().getName().contains("RunnableAdapter")) {
            Object runnable = field(inner, "task");
            inner = runnable != null ? runnable : inner;
        }
        return inner == null ? scheduledFutureTask.getClass().getName() : inner.getClass().getName();
    }

    private static Object field(Object owner, String name) {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
