package dev.leakproof.internal.hprof;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A thread's local variables as references of the thread: the Java frames the dump records for the
 * thread's serial number, read from a thread that is a GC root. Local variables are followed last
 * (their paths are the hardest to act on), as Shark does.
 *
 * <pre>{@code
 * ThreadLocals locals = new ThreadLocals(index);
 * boolean isThread = locals.read(threadId, threadClass, false, sink);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ThreadLocals {

    private final Map<Long, Integer> serialByThread = new HashMap<>();
    private final Map<Integer, List<Long>> framesBySerial = new HashMap<>();
    private final Map<HprofClass, Boolean> threadClasses = new IdentityHashMap<>();

    public ThreadLocals(HprofIndex index) {
        for (HprofIndex.Root root : index.roots()) {
            if (root.tag() == SegmentParser.ROOT_THREAD_OBJECT) {
                serialByThread.put(root.id(), root.threadSerial()); // the last one, as Shark's map keeps it
            } else if (root.tag() == SegmentParser.ROOT_JAVA_FRAME) {
                framesBySerial.computeIfAbsent(root.threadSerial(), k -> new ArrayList<>()).add(root.id());
            }
        }
    }

    /** Whether a Java frame of this serial number has a thread object among the roots. */
    boolean hasThread(int serial) {
        return serialByThread.containsValue(serial);
    }

    /** The serial numbers of the threads among the roots. */
    java.util.Set<Integer> threadSerials() {
        return new java.util.HashSet<>(serialByThread.values());
    }

    /**
     * Reads a thread's locals when {@code id} is a thread at a root: {@code true} then (no collection
     * reader applies to it, as in Shark), even when the dump has no frame for it.
     */
    boolean read(long id, HprofClass instanceClass, java.util.Set<Long> named, References.Sink sink) {
        if (!threadClasses.computeIfAbsent(instanceClass, c -> c.isA("java.lang.Thread"))) {
            return false;
        }
        Integer serial = serialByThread.get(id);
        if (serial == null) {
            return false;
        }
        for (long local : framesBySerial.getOrDefault(serial, List.of())) {
            sink.reference(local, true, Edge.Kind.LOCAL, instanceClass, named != null && named.contains(local) ? "" : null, null);
        }
        return true;
    }
}
