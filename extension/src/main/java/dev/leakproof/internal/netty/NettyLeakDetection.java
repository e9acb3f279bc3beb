package dev.leakproof.internal.netty;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apiguardian.api.API;

/**
 * Turns Netty's own leak reports ({@code LEAK: ByteBuf.release() was not called...}) into test
 * failures instead of log lines. While a test class runs, the detection level is PARANOID (every
 * buffer is tracked), and a listener on Netty's buffer leak detector collects each report.
 *
 * <p>Netty offers a listener per detector but no public handle on the buffer detector, and it
 * reports each distinct leak trace only once per JVM; both are reached by reflection on Netty's
 * classes, which live in the unnamed module like the test itself. Where that is not possible
 * (Netty on the module path), reports stay log lines and {@link #available()} says so.
 *
 * <pre>{@code
 * try (NettyLeakDetection leaks = NettyLeakDetection.start()) {
 *     // ... connections ...
 *     GcForcer.fullGc();
 *     List<NettyLeakDetection.Leak> found = leaks.drain();
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NettyLeakDetection implements AutoCloseable {

    /** One reported leak: the resource type and Netty's record of where it was created and touched. */
    public record Leak(String resourceType, String records) {
    }

    private final ResourceLeakDetector.Level previousLevel;
    private final List<ResourceLeakDetector<?>> detectors = new ArrayList<>();
    private final ConcurrentLinkedQueue<Leak> leaks = new ConcurrentLinkedQueue<>();
    private final String unavailableReason;

    private NettyLeakDetection() {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        String reason = null;
        try {
            detectors.add(detector(AbstractByteBuf.class, "leakDetector"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "Netty's buffer leak detector is not reachable (" + e + ")";
        }
        if (!InternalLoggerFactory.getInstance(ResourceLeakDetector.class).isErrorEnabled()) {
            // Netty reports a leak, to its listeners too, only when this logger would print it.
            reason = "the logger io.netty.util.ResourceLeakDetector is turned off below ERROR, and Netty reports "
                    + "leaks only while it is on";
        }
        unavailableReason = reason;
        for (ResourceLeakDetector<?> detector : detectors) {
            detector.setLeakListener((type, records) -> leaks.add(new Leak(type, records)));
        }
    }

    /** Raises Netty's leak detection to PARANOID and starts collecting reports. */
    public static NettyLeakDetection start() {
        return new NettyLeakDetection();
    }

    public boolean available() {
        return unavailableReason == null;
    }

    public String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Forgets Netty's memory of leaks it already reported, so that the same leak in the next test
     * is reported again rather than deduplicated away.
     */
    public void resetReportedLeaks() {
        taken.clear();
        for (ResourceLeakDetector<?> detector : detectors) {
            try {
                Field reported = ResourceLeakDetector.class.getDeclaredField("reportedLeaks");
                reported.setAccessible(true);
                ((Set<?>) reported.get(detector)).clear();
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Without the reset a repeated identical leak is reported once per JVM: still caught once.
            }
        }
        leaks.clear();
    }

    /**
     * Drops leaks reported so far without judging them: they belong to code that ran before (an
     * earlier test class, whose buffers the GC found only now), and must not fail the next test.
     * Call after a full GC, so that Netty has seen those buffers go.
     */
    public void discardPending() {
        drain();
        resetReportedLeaks();
        // A record the GC cleared but the JVM has not yet handed to Netty's queue would be taken by
        // the next leaksAfterGc() as that test's leak: it is an earlier class's, and is set aside.
        discarded.clear();
        for (ResourceLeakDetector<?> detector : detectors) {
            for (Object record : pendingRecords(detector)) {
                if (record instanceof java.lang.ref.Reference<?> reference && reference.refersTo(null)) {
                    discarded.put(record, Boolean.TRUE);
                    String records = record.toString();
                    if (!records.isEmpty()) {
                        taken.add(records); // Netty's own later report of it is dropped too
                    }
                }
            }
        }
    }

    /** Records cleared before the current test began: an earlier class's leaks, never this test's. */
    private final Map<Object, Boolean> discarded = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * The leaks of buffers a full GC found unreleased, without waiting for Netty to report them:
     * Netty keeps every tracked buffer's leak record in a set until the buffer is released, and a
     * record whose buffer the GC collected is cleared at once, before Netty (on some later
     * allocation) reports it. So the records still in the set and cleared are the leaks, complete
     * as soon as the GC returns; with the reports Netty already made, that is all of them, with no
     * quiet period to wait out. Call after a full GC. Each leak is returned once: Netty's own later
     * report of a record taken here is dropped.
     */
    public List<Leak> leaksAfterGc() {
        List<Leak> found = new ArrayList<>();
        for (Leak leak : drain()) {
            if (!taken.remove(leak.records())) {
                found.add(leak);
            }
        }
        for (ResourceLeakDetector<?> detector : detectors) {
            String type = resourceType(detector);
            for (Object record : pendingRecords(detector)) {
                if (record instanceof java.lang.ref.Reference<?> reference && reference.refersTo(null)
                        && !discarded.containsKey(record)) {
                    String records = record.toString();
                    // Empty: Netty took this record's report between the copy and now; it arrives below.
                    if (!records.isEmpty()) {
                        taken.add(records);
                        found.add(new Leak(type, records));
                    }
                }
            }
        }
        for (Leak leak : drain()) {
            if (!taken.remove(leak.records())) {
                found.add(leak);
            }
        }
        return found;
    }

    /** Records of leaks taken from Netty's set before Netty reported them: its later report is not a new leak. */
    private final Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static List<Object> pendingRecords(ResourceLeakDetector<?> detector) {
        try {
            Field field = ResourceLeakDetector.class.getDeclaredField("allLeaks");
            field.setAccessible(true);
            return new ArrayList<>((Set<?>) field.get(detector));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of(); // the reports Netty makes still arrive through the listener
        }
    }

    private static String resourceType(ResourceLeakDetector<?> detector) {
        try {
            Field field = ResourceLeakDetector.class.getDeclaredField("resourceType");
            field.setAccessible(true);
            return String.valueOf(field.get(detector));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "ByteBuf";
        }
    }

    /**
     * Makes Netty look at buffers the GC has found unreachable (it does so only when a new buffer is
     * tracked), then returns and clears the leaks reported so far. Call after a full GC.
     */
    public List<Leak> drain() {
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(1);
        probe.release();
        List<Leak> drained = new ArrayList<>();
        Leak leak;
        while ((leak = leaks.poll()) != null) {
            drained.add(leak);
        }
        return drained;
    }

    /** Restores the previous detection level and removes the listeners. */
    @Override
    public void close() {
        for (ResourceLeakDetector<?> detector : detectors) {
            detector.setLeakListener(null);
        }
        ResourceLeakDetector.setLevel(previousLevel);
    }

    private static ResourceLeakDetector<?> detector(Class<?> owner, String fieldName) throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(fieldName);
        field.setAccessible(true);
        return (ResourceLeakDetector<?>) field.get(null);
    }
}
