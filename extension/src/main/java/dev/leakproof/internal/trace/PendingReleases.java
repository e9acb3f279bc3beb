package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * One-shot tasks pending anywhere in the heap that could still release the leaked objects when
 * they run: a JDK {@code ScheduledThreadPoolExecutor} task, a Netty event loop's task, a
 * {@code java.util.Timer} task, scheduled once (not periodically) and due before the grace period
 * ends. Read from the same heap dump the leak trace comes from, so it covers executors Leakproof
 * has no handle on (a server's own clean-up scheduler). A verdict that found one waits until it
 * ran before it calls the survivors a leak; periodic tasks (heartbeats) never release by running.
 *
 * <pre>{@code
 * long until = PendingReleases.latestDue(graph, System.nanoTime(), deadlineNanos);
 * }</pre>
 */
final class PendingReleases {

    private static final String JDK_TASK = "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask";
    private static final String NETTY_TASK = "io.netty.util.concurrent.ScheduledFutureTask";
    private static final String TIMER_TASK = "java.util.TimerTask";
    private static final String TIMER_QUEUE = "java.util.TaskQueue";
    /** The classes whose instances the index keeps for this read. */
    static final List<String> CLASSES = List.of(JDK_TASK, NETTY_TASK, TIMER_QUEUE);
    /** FutureTask's state while it has not run: NEW. */
    private static final int FUTURE_NEW = 0;
    /** TimerTask's state while it waits to run: SCHEDULED. */
    private static final int TIMER_SCHEDULED = 1;

    private PendingReleases() {
    }

    /**
     * The latest {@link System#nanoTime()} at which a pending one-shot task due before
     * {@code deadlineNanos} runs, or 0 when there is none. {@code nowNanos} is when the heap was dumped.
     */
    static long latestDue(HeapView graph, long nowNanos, long deadlineNanos) {
        // The index kept these classes' instances while it was built (CLASSES): no pass over the heap.
        long nettyNow = nettyNanoTime();
        long nowMillis = System.currentTimeMillis();
        long latest = 0;
        List<Long> tasks = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (long id : graph.index().instancesOf(JDK_TASK)) {
            tasks.add(id);
            kinds.add(JDK_TASK);
        }
        for (long id : nettyNow >= 0 ? graph.index().instancesOf(NETTY_TASK) : new long[0]) {
            tasks.add(id);
            kinds.add(NETTY_TASK);
        }
        // A scheduled TimerTask sits in its Timer's queue (TimerTask subclasses are the user's own classes).
        for (long queueId : graph.index().instancesOf(TIMER_QUEUE)) {
            if (graph.object(queueId) instanceof HeapView.Instance queue
                    && HeapCollections.object(queue.get(TIMER_QUEUE, "queue")) instanceof HeapView.ObjectArray queued) {
                for (long id : queued.elementIds()) {
                    if (id != 0) {
                        tasks.add(id);
                        kinds.add(TIMER_TASK);
                    }
                }
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            if (!(graph.object(tasks.get(i)) instanceof HeapView.Instance task)) {
                continue;
            }
            long due = switch (kinds.get(i)) {
                case JDK_TASK -> jdkTaskDue(task, nowNanos);
                case NETTY_TASK -> nettyTaskDue(task, nowNanos, nettyNow);
                default -> timerTaskDue(task, nowNanos, nowMillis);
            };
            if (due > 0 && due <= deadlineNanos) {
                latest = Math.max(latest, due);
            }
        }
        return latest;
    }

    /** When a pending one-shot task of a {@code ScheduledThreadPoolExecutor} runs (its time is nanoTime), or 0. */
    private static long jdkTaskDue(HeapView.Instance task, long nowNanos) {
        Long time = longField(task, JDK_TASK, "time");
        Long period = longField(task, JDK_TASK, "period");
        Integer state = intField(task, "java.util.concurrent.FutureTask", "state");
        boolean pending = time != null && period != null && period == 0 && state != null && state == FUTURE_NEW;
        return pending ? Math.max(time, nowNanos) : 0;
    }

    /** When a pending one-shot task of a Netty event loop runs (its deadline is on Netty's clock), or 0. */
    private static long nettyTaskDue(HeapView.Instance task, long nowNanos, long nettyNow) {
        Long deadline = longField(task, NETTY_TASK, "deadlineNanos");
        Long period = longField(task, NETTY_TASK, "periodNanos");
        HeapView.Value result = task.get("io.netty.util.concurrent.DefaultPromise", "result");
        boolean pending = result != null && result.isNullReference();
        return deadline != null && period != null && period == 0 && pending ? nowNanos + Math.max(0, deadline - nettyNow) : 0;
    }

    /** When a scheduled one-shot {@code java.util.TimerTask} runs (its time is wall-clock millis), or 0. */
    private static long timerTaskDue(HeapView.Instance task, long nowNanos, long nowMillis) {
        Long next = longField(task, TIMER_TASK, "nextExecutionTime");
        Long period = longField(task, TIMER_TASK, "period");
        Integer state = intField(task, TIMER_TASK, "state");
        boolean pending = next != null && period != null && period == 0 && state != null && state == TIMER_SCHEDULED;
        return pending ? nowNanos + Math.max(0, next - nowMillis) * 1_000_000 : 0;
    }

    private static Long longField(HeapView.Instance instance, String declaringClass, String name) {
        HeapView.Value field = instance.get(declaringClass, name);
        return field == null ? null : field.asLong();
    }

    private static Integer intField(HeapView.Instance instance, String declaringClass, String name) {
        HeapView.Value field = instance.get(declaringClass, name);
        return field == null ? null : field.asInt();
    }

    /** Netty's scheduler clock now (its deadlines are relative to it), or -1 where it cannot be read. */
    private static long nettyNanoTime() {
        try {
            Method nanoTime = Class.forName("io.netty.util.concurrent.AbstractScheduledEventExecutor")
                    .getDeclaredMethod("nanoTime");
            nanoTime.setAccessible(true);
            return (long) nanoTime.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
