package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;
import dev.leakproof.internal.hprof.HprofIndex;

import java.util.ArrayList;
import java.util.List;
import shark.LeakTrace;
import shark.LeakTraceReference;

/**
 * Reads, in the heap dump, what a leak trace's path only names: the collection object on it, how
 * many entries it holds now, the thread of the executor whose queue it is, whether a channel was
 * ever closed. Shark's traces carry class and field names, not object ids; the path is followed
 * again from its static field or thread, field by field.
 *
 * <pre>{@code
 * HeapView.HeapObject list = HeapCollections.resolve(graph, trace, run.from());
 * long entries = CollectionEntries.of(list);
 * }</pre>
 */
final class HeapCollections {

    /** HPROF's tags of a thread's root and of a local variable's. */
    private static final int THREAD_OBJECT = 0x08;
    private static final int JAVA_FRAME = 0x03;

    private HeapCollections() {
    }

    /**
     * The object at node {@code node} of the trace, or {@code null} when the path cannot be followed
     * there (a root that is neither a static field nor a named thread, an entry of a map).
     */
    static HeapView.HeapObject resolve(HeapView graph, LeakTrace trace, int node) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        int start = LeakPaths.start(refs);
        if (node < start) {
            return null;
        }
        HeapView.HeapObject current = null; // a static root's first reference names its class: no object needed
        int i = start;
        if (refs.get(start).getReferenceType() != LeakTraceReference.ReferenceType.STATIC_FIELD) {
            current = start == 0 ? thread(graph, refs.get(0).getOriginObject()) : null;
            if (current != null && refs.get(0).getReferenceType() == LeakTraceReference.ReferenceType.LOCAL) {
                current = local(graph, (HeapView.Instance) current, CollectionRuns.node(trace, 1));
                i = 1;
            }
            if (current == null) {
                return null;
            }
        }
        for (; i < node; i++) {
            current = follow(graph, current, refs.get(i));
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static HeapView.HeapObject follow(HeapView graph, HeapView.HeapObject from, LeakTraceReference ref) {
        String name = ref.getReferenceName();
        switch (ref.getReferenceType()) {
            case STATIC_FIELD -> {
                HprofClass owner = graph.classByName(ref.getOwningClassName());
                HeapView.Value field = owner == null ? null : ((HeapView.ClassObject) graph.object(owner.id())).staticField(name);
                return field == null ? null : field.asObject();
            }
            case INSTANCE_FIELD -> {
                return from instanceof HeapView.Instance instance ? object(instance.get(ref.getOwningClassName(), name))
                        : null;
            }
            case ARRAY_ENTRY -> {
                int index = index(name);
                if (index < 0) {
                    return null; // a map's entry, named by its key: not followed
                }
                HeapView.HeapObject array = from;
                if (from instanceof HeapView.Instance instance) {
                    // Shark reads a list's entries straight from the list: its array is one field down.
                    HeapView.Value elements = instance.get("java.util.ArrayList", "elementData");
                    elements = elements != null ? elements : instance.get("java.util.concurrent.CopyOnWriteArrayList", "array");
                    array = elements == null ? null : elements.asObject();
                }
                if (array instanceof HeapView.ObjectArray objects) {
                    long[] ids = objects.elementIds();
                    return index < ids.length ? graph.object(ids[index]) : null;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name.replace("[", "").replace("]", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static HeapView.HeapObject object(HeapView.Value field) {
        return field == null ? null : field.asObject();
    }

    /** The thread a root names ({@code Thread name: 'audit-writer'}), found among the dump's thread roots. */
    private static HeapView.HeapObject thread(HeapView graph, shark.LeakTraceObject rootObject) {
        String name = LeakPaths.threadName(rootObject);
        if (name.isEmpty()) {
            return null;
        }
        for (HprofIndex.Root root : graph.index().roots()) {
            if (root.tag() == THREAD_OBJECT && graph.object(root.id()) instanceof HeapView.Instance thread
                    && name.equals(threadName(thread))) {
                return thread;
            }
        }
        return null;
    }

    /** A local variable of {@code thread} of the given class: the next node of a path rooted in a stack frame. */
    private static HeapView.HeapObject local(HeapView graph, HeapView.Instance thread, String className) {
        int serial = -1;
        for (HprofIndex.Root root : graph.index().roots()) {
            if (root.tag() == THREAD_OBJECT && root.id() == thread.id()) {
                serial = root.threadSerial();
            }
        }
        HeapView.HeapObject found = null;
        for (HprofIndex.Root root : graph.index().roots()) {
            if (root.tag() == JAVA_FRAME && root.threadSerial() == serial) {
                HeapView.HeapObject local = graph.object(root.id());
                if (local instanceof HeapView.Instance instance && instance.className().equals(className)) {
                    if (found != null && found.id() != local.id()) {
                        return null; // two locals of that class: which one the path takes is unknown
                    }
                    found = local;
                }
            }
        }
        return found;
    }

    static String threadName(HeapView.Instance thread) {
        HeapView.Value name = thread.get("java.lang.Thread", "name");
        String text = name == null ? null : name.readAsJavaString();
        return text == null ? "" : text;
    }

    /**
     * The names of the threads that run an executor (a {@code ThreadPoolExecutor}'s workers, a Netty
     * executor's thread): who should be taking from its queue.
     */
    static List<String> executorThreads(HeapView.HeapObject executor) {
        List<String> names = new ArrayList<>();
        if (!(executor instanceof HeapView.Instance instance)) {
            return names;
        }
        if (instance.instanceOf("java.util.concurrent.ThreadPoolExecutor")
                && object(instance.get("java.util.concurrent.ThreadPoolExecutor", "workers")) instanceof HeapView.Instance set
                && object(set.get("java.util.HashSet", "map")) instanceof HeapView.Instance map
                && object(map.get("java.util.HashMap", "table")) instanceof HeapView.ObjectArray table) {
            for (long id : table.elementIds()) {
                for (HeapView.HeapObject node = map.view().object(id); node instanceof HeapView.Instance n;
                        node = object(n.get("java.util.HashMap$Node", "next"))) {
                    if (object(n.get("java.util.HashMap$Node", "key")) instanceof HeapView.Instance worker
                            && object(worker.get("java.util.concurrent.ThreadPoolExecutor$Worker", "thread"))
                                    instanceof HeapView.Instance thread) {
                        names.add(threadName(thread));
                    }
                }
            }
        } else if (instance.instanceOf("io.netty.util.concurrent.SingleThreadEventExecutor")
                && object(instance.get("io.netty.util.concurrent.SingleThreadEventExecutor", "thread"))
                        instanceof HeapView.Instance thread) {
            names.add(threadName(thread));
        }
        return names;
    }

    /**
     * Whether the entry is, or holds within two fields, a channel that is still open: {@code TRUE}
     * open, {@code FALSE} closed, {@code null} no channel found. A client object holds its connection,
     * the connection its channel.
     */
    static Boolean channelHeld(HeapView.HeapObject entry) {
        Boolean state = channelOpen(entry);
        if (state != null || !(entry instanceof HeapView.Instance instance)) {
            return state;
        }
        for (HeapView.Field field : instance.fields()) {
            HeapView.HeapObject value = field.value().asObject();
            state = channelOpen(value);
            if (state == null && value instanceof HeapView.Instance inner && !inner.className().startsWith("java.")) {
                for (HeapView.Field innerField : inner.fields()) {
                    state = state != null ? state : channelOpen(innerField.value().asObject());
                }
            }
            if (state != null) {
                return state;
            }
        }
        return null;
    }

    /**
     * Whether the object is a server socket channel (the JDK's, or Netty's over one) that is open and
     * bound: a live listener, which a server keeps by design.
     */
    static boolean listening(HeapView.Instance instance) {
        HeapView.HeapObject channel = instance;
        if (instance.instanceOf("io.netty.channel.nio.AbstractNioChannel")) {
            channel = object(instance.get("io.netty.channel.nio.AbstractNioChannel", "ch"));
        }
        if (!(channel instanceof HeapView.Instance server) || !server.instanceOf("sun.nio.ch.ServerSocketChannelImpl")) {
            return false;
        }
        HeapView.Value address = server.get("sun.nio.ch.ServerSocketChannelImpl", "localAddress");
        return Boolean.TRUE.equals(channelOpen(server)) && address != null && address.isNonNullReference();
    }

    /**
     * Whether the object is a channel (the JDK's, or a Netty channel over one) that was never
     * closed: {@code TRUE} open, {@code FALSE} closed, {@code null} not a channel.
     */
    static Boolean channelOpen(HeapView.HeapObject object) {
        if (!(object instanceof HeapView.Instance instance)) {
            return null;
        }
        if (instance.instanceOf("io.netty.channel.nio.AbstractNioChannel")) {
            return channelOpen(object(instance.get("io.netty.channel.nio.AbstractNioChannel", "ch")));
        }
        if (instance.instanceOf("java.nio.channels.spi.AbstractInterruptibleChannel")) {
            HeapView.Value closed = instance.get("java.nio.channels.spi.AbstractInterruptibleChannel", "closed");
            return closed == null || closed.asBoolean() == null ? null : !closed.asBoolean();
        }
        return null;
    }
}
