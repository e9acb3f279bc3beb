package dev.leakproof.internal.trace;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import shark.HeapField;
import shark.HeapGraph;
import shark.HeapObject;

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
    static long latestDue(HeapGraph graph, long nowNanos, long deadlineNanos) {
        // One pass over the instances for every kind of task: Shark finds a class's instances by
        // filtering all of them, and a pass per class (and per TimerTask subclass) cost one each.
        Map<Long, String> kinds = new HashMap<>();
        HeapObject.HeapClass jdk = graph.findClassByName(JDK_TASK);
        if (jdk != null) {
            kinds.put(jdk.getObjectId(), JDK_TASK);
        }
        long nettyNow = nettyNanoTime();
        HeapObject.HeapClass netty = graph.findClassByName(NETTY_TASK);
        if (netty != null && nettyNow >= 0) {
            kinds.put(netty.getObjectId(), NETTY_TASK);
        }
        HeapObject.HeapClass timer = graph.findClassByName(TIMER_TASK);
        if (timer != null) {
            for (Iterator<HeapObject.HeapClass> it = timer.getSubclasses().iterator(); it.hasNext(); ) {
                kinds.put(it.next().getObjectId(), TIMER_TASK);
            }
        }
        if (kinds.isEmpty()) {
            return 0;
        }
        long nowMillis = System.currentTimeMillis();
        long latest = 0;
        for (Iterator<HeapObject.HeapInstance> it = graph.getInstances().iterator(); it.hasNext(); ) {
            HeapObject.HeapInstance task = it.next();
            String kind = kinds.get(task.getInstanceClassId());
            if (kind == null) {
                continue;
            }
            long due = switch (kind) {
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
    private static long jdkTaskDue(HeapObject.HeapInstance task, long nowNanos) {
        Long time = longField(task, JDK_TASK, "time");
        Long period = longField(task, JDK_TASK, "period");
        Integer state = intField(task, "java.util.concurrent.FutureTask", "state");
        boolean pending = time != null && period != null && period == 0 && state != null && state == FUTURE_NEW;
        return pending ? Math.max(time, nowNanos) : 0;
    }

    /** When a pending one-shot task of a Netty event loop runs (its deadline is on Netty's clock), or 0. */
    private static long nettyTaskDue(HeapObject.HeapInstance task, long nowNanos, long nettyNow) {
        Long deadline = longField(task, NETTY_TASK, "deadlineNanos");
        Long period = longField(task, NETTY_TASK, "periodNanos");
        HeapField result = task.get("io.netty.util.concurrent.DefaultPromise", "result");
        boolean pending = result != null && result.getValue().isNullReference();
        return deadline != null && period != null && period == 0 && pending ? nowNanos + Math.max(0, deadline - nettyNow) : 0;
    }

    /** When a scheduled one-shot {@code java.util.TimerTask} runs (its time is wall-clock millis), or 0. */
    private static long timerTaskDue(HeapObject.HeapInstance task, long nowNanos, long nowMillis) {
        Long next = longField(task, TIMER_TASK, "nextExecutionTime");
        Long period = longField(task, TIMER_TASK, "period");
        Integer state = intField(task, TIMER_TASK, "state");
        boolean pending = next != null && period != null && period == 0 && state != null && state == TIMER_SCHEDULED;
        return pending ? nowNanos + Math.max(0, next - nowMillis) * 1_000_000 : 0;
    }

    private static Long longField(HeapObject.HeapInstance instance, String declaringClass, String name) {
        HeapField field = instance.get(declaringClass, name);
        return field == null ? null : field.getValue().getAsLong();
    }

    private static Integer intField(HeapObject.HeapInstance instance, String declaringClass, String name) {
        HeapField field = instance.get(declaringClass, name);
        return field == null ? null : field.getValue().getAsInt();
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
