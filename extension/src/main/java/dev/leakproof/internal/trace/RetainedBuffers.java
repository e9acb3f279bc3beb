package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Netty reference-counted buffers with a count above zero that leaked objects hold, from the
 * heap dump: Netty's own leak detector reports a buffer only once it is garbage-collected
 * unreleased, so a buffer a leaked connection still references is invisible to it. The walk goes
 * from the leaked objects through strong instance fields and arrays, never into what is shared by
 * every connection (threads, classes, class loaders, event loops and their groups, the leak
 * detector's records) nor through a reference object's referent, bounded in the objects it visits.
 *
 * <pre>{@code
 * int buffers = RetainedBuffers.count(graph, leakingObjectIds);
 * }</pre>
 */
final class RetainedBuffers {

    private static final String REFERENCE_COUNTED = "io.netty.buffer.AbstractReferenceCountedByteBuf";
    private static final String REFERENCE = "java.lang.ref.Reference";
    private static final int MAX_VISITED = 200_000;

    private RetainedBuffers() {
    }

    static int count(HeapView graph, Set<Long> leaking) {
        if (graph.classByName(REFERENCE_COUNTED) == null) {
            return 0; // no Netty buffer in this heap
        }
        Set<Long> visited = new HashSet<>(leaking);
        ArrayDeque<Long> queue = new ArrayDeque<>(leaking);
        // What a class is, told once per class rather than up its hierarchy for every instance.
        Map<HprofClass, Kind> kinds = new java.util.IdentityHashMap<>();
        int buffers = 0;
        while (!queue.isEmpty() && visited.size() < MAX_VISITED) {
            HeapView.HeapObject object = graph.object(queue.poll());
            if (object instanceof HeapView.Instance instance) {
                if (instance.instanceClass() == null) {
                    continue;
                }
                Kind kind = kinds.computeIfAbsent(instance.instanceClass(), RetainedBuffers::kind);
                if (kind == Kind.BUFFER) {
                    // Counted, not entered: a buffer's own fields lead to its allocator's arenas and
                    // the pooled chunks every other buffer shares.
                    if (referenceCount(instance) > 0) {
                        buffers++;
                    }
                    continue;
                }
                if (kind == Kind.SHARED) {
                    continue;
                }
                for (HeapView.Field field : instance.fields()) {
                    // A reference object's own fields hold nothing: the referent is weak (or soft, or
                    // phantom), and queue, next and discovered chain the references of other owners.
                    // Its subclass's fields (a WeakHashMap entry's value) are strong, and walked.
                    if (kind == Kind.REFERENCE && field.declaringClass().equals(REFERENCE)) {
                        continue;
                    }
                    enqueue(field.value(), visited, queue);
                }
            } else if (object instanceof HeapView.ObjectArray array) {
                for (long id : array.elementIds()) {
                    if (id != 0 && visited.add(id)) {
                        queue.add(id);
                    }
                }
            }
        }
        return buffers;
    }

    private static void enqueue(HeapView.Value value, Set<Long> visited, ArrayDeque<Long> queue) {
        Long id = value.asObjectId();
        if (id != null && visited.add(id)) {
            queue.add(id);
        }
    }

    /**
     * What a class is to the walk, from one pass up its superclass chain (a heap dump records no
     * interfaces): a reference-counted buffer is counted, wherever its shared ancestors are; a class
     * every connection shares stops the walk; a reference object is walked through its strong fields
     * only; the rest is walked through.
     */
    private static Kind kind(HprofClass instanceClass) {
        boolean shared = false;
        boolean reference = false;
        for (HprofClass type : instanceClass.hierarchy()) {
            String name = type.name();
            if (name.equals(REFERENCE_COUNTED)) {
                return Kind.BUFFER;
            }
            shared = shared || isShared(name);
            reference = reference || name.equals(REFERENCE);
        }
        return shared ? Kind.SHARED : reference ? Kind.REFERENCE : Kind.WALKED;
    }

    /**
     * A class's part in the walk: a buffer is counted, a shared object stops the walk, a reference
     * object is walked through its strong fields only, the rest is walked through.
     */
    private enum Kind { BUFFER, SHARED, REFERENCE, WALKED }

    /**
     * Reached through any connection, held by none: the walk would reach the whole heap, and the
     * allocator's pooled buffers, through them. Threads, class loaders, event loops and their groups,
     * allocators and their pools, recyclers, the server channel every accepted channel names as its
     * parent, and the leak detector's records: a leak-aware buffer's record names the detector's set
     * of every buffer it tracks in the JVM (under PARANOID, an HTTP encoder's static CRLF buffers too).
     */
    private static boolean isShared(String className) {
        return SHARED_CLASSES.contains(className) || className.startsWith("io.netty.util.ResourceLeakDetector")
                || className.startsWith("io.netty.buffer.Pool")
                || className.startsWith("io.netty.buffer.AdaptivePoolingAllocator") || className.startsWith("io.netty.util.Recycler")
                || className.contains("ServerSocketChannel") || className.endsWith("ServerChannel");
    }

    private static final Set<String> SHARED_CLASSES = Set.of("java.lang.Thread", "java.lang.ClassLoader",
            "java.lang.ThreadGroup", "io.netty.util.concurrent.AbstractEventExecutor",
            "io.netty.util.concurrent.AbstractEventExecutorGroup", "io.netty.buffer.AbstractByteBufAllocator");

    /**
     * A buffer's reference count: Netty 4.1 keeps it in the buffer's {@code refCnt} int, Netty 4.2
     * in a {@code RefCnt} object's {@code value}; both store twice the count, odd once released.
     */
    private static int referenceCount(HeapView.Instance buffer) {
        HeapView.Value field = buffer.get(REFERENCE_COUNTED, "refCnt");
        if (field == null) {
            return 0;
        }
        Integer raw = field.asInt();
        if (raw == null) {
            HeapView.HeapObject holder = field.asObject();
            HeapView.Value value = holder instanceof HeapView.Instance h ? h.get("io.netty.util.internal.RefCnt", "value") : null;
            raw = value == null ? null : value.asInt();
        }
        return raw == null || (raw & 1) != 0 ? 0 : raw >>> 1;
    }
}
