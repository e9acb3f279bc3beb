package dev.leakproof.internal.trace;

import java.util.ArrayList;
import java.util.List;
import shark.GcRoot;
import shark.HeapField;
import shark.HeapGraph;
import shark.HeapObject;
import shark.LeakTrace;
import shark.LeakTraceReference;

/**
 * Reads, in the heap dump, what a leak trace's path only names: the collection object on it, how
 * many entries it holds now, the thread of the executor whose queue it is, whether a channel was
 * ever closed. Shark's traces carry class and field names, not object ids; the path is followed
 * again from its static field or thread, field by field.
 *
 * <pre>{@code
 * HeapObject list = HeapCollections.resolve(graph, trace, run.from());
 * long entries = CollectionEntries.of(list);
 * }</pre>
 */
final class HeapCollections {

    private HeapCollections() {
    }

    /**
     * The object at node {@code node} of the trace, or {@code null} when the path cannot be followed
     * there (a root that is neither a static field nor a named thread, an entry of a map).
     */
    static HeapObject resolve(HeapGraph graph, LeakTrace trace, int node) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        int start = LeakPaths.start(refs);
        if (node < start) {
            return null;
        }
        HeapObject current = null; // a static root's first reference names its class: no object needed
        int i = start;
        if (refs.get(start).getReferenceType() != LeakTraceReference.ReferenceType.STATIC_FIELD) {
            current = start == 0 ? thread(graph, refs.get(0).getOriginObject()) : null;
            if (current != null && refs.get(0).getReferenceType() == LeakTraceReference.ReferenceType.LOCAL) {
                current = local(graph, (HeapObject.HeapInstance) current, CollectionRuns.node(trace, 1));
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

    private static HeapObject follow(HeapGraph graph, HeapObject from, LeakTraceReference ref) {
        String name = ref.getReferenceName();
        switch (ref.getReferenceType()) {
            case STATIC_FIELD -> {
                HeapObject.HeapClass owner = graph.findClassByName(ref.getOwningClassName());
                HeapField field = owner == null ? null : owner.readStaticField(name);
                return field == null ? null : field.getValue().getAsObject();
            }
            case INSTANCE_FIELD -> {
                return from instanceof HeapObject.HeapInstance instance ? object(instance.readField(ref.getOwningClassName(), name))
                        : null;
            }
            case ARRAY_ENTRY -> {
                int index = index(name);
                if (index < 0) {
                    return null; // a map's entry, named by its key: not followed
                }
                HeapObject array = from;
                if (from instanceof HeapObject.HeapInstance instance) {
                    // Shark reads a list's entries straight from the list: its array is one field down.
                    HeapField elements = instance.readField("java.util.ArrayList", "elementData");
                    elements = elements != null ? elements : instance.readField("java.util.concurrent.CopyOnWriteArrayList", "array");
                    array = elements == null ? null : elements.getValue().getAsObject();
                }
                if (array instanceof HeapObject.HeapObjectArray objects) {
                    long[] ids = objects.readRecord().getElementIds();
                    return index < ids.length ? graph.findObjectByIdOrNull(ids[index]) : null;
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

    static HeapObject object(HeapField field) {
        return field == null ? null : field.getValue().getAsObject();
    }

    /** The thread a root names ({@code Thread name: 'audit-writer'}), found among the dump's thread roots. */
    private static HeapObject thread(HeapGraph graph, shark.LeakTraceObject rootObject) {
        String name = LeakPaths.threadName(rootObject);
        if (name.isEmpty()) {
            return null;
        }
        for (GcRoot root : graph.getGcRoots()) {
            if (root instanceof GcRoot.ThreadObject t && graph.findObjectByIdOrNull(t.getId()) instanceof HeapObject.HeapInstance thread
                    && name.equals(threadName(thread))) {
                return thread;
            }
        }
        return null;
    }

    /** A local variable of {@code thread} of the given class: the next node of a path rooted in a stack frame. */
    private static HeapObject local(HeapGraph graph, HeapObject.HeapInstance thread, String className) {
        int serial = -1;
        for (GcRoot root : graph.getGcRoots()) {
            if (root instanceof GcRoot.ThreadObject t && t.getId() == thread.getObjectId()) {
                serial = t.getThreadSerialNumber();
            }
        }
        HeapObject found = null;
        for (GcRoot root : graph.getGcRoots()) {
            if (root instanceof GcRoot.JavaFrame frame && frame.getThreadSerialNumber() == serial) {
                HeapObject local = graph.findObjectByIdOrNull(frame.getId());
                if (local instanceof HeapObject.HeapInstance instance && instance.getInstanceClassName().equals(className)) {
                    if (found != null && found.getObjectId() != local.getObjectId()) {
                        return null; // two locals of that class: which one the path takes is unknown
                    }
                    found = local;
                }
            }
        }
        return found;
    }

    static String threadName(HeapObject.HeapInstance thread) {
        HeapField name = thread.readField("java.lang.Thread", "name");
        String text = name == null ? null : name.getValue().readAsJavaString();
        return text == null ? "" : text;
    }

    /**
     * The names of the threads that run an executor (a {@code ThreadPoolExecutor}'s workers, a Netty
     * executor's thread): who should be taking from its queue.
     */
    static List<String> executorThreads(HeapObject executor) {
        List<String> names = new ArrayList<>();
        if (!(executor instanceof HeapObject.HeapInstance instance)) {
            return names;
        }
        if (instance.instanceOf("java.util.concurrent.ThreadPoolExecutor")
                && object(instance.readField("java.util.concurrent.ThreadPoolExecutor", "workers")) instanceof HeapObject.HeapInstance set
                && object(set.readField("java.util.HashSet", "map")) instanceof HeapObject.HeapInstance map
                && object(map.readField("java.util.HashMap", "table")) instanceof HeapObject.HeapObjectArray table) {
            for (long id : table.readRecord().getElementIds()) {
                for (HeapObject node = map.getGraph().findObjectByIdOrNull(id); node instanceof HeapObject.HeapInstance n;
                        node = object(n.readField("java.util.HashMap$Node", "next"))) {
                    if (object(n.readField("java.util.HashMap$Node", "key")) instanceof HeapObject.HeapInstance worker
                            && object(worker.readField("java.util.concurrent.ThreadPoolExecutor$Worker", "thread"))
                                    instanceof HeapObject.HeapInstance thread) {
                        names.add(threadName(thread));
                    }
                }
            }
        } else if (instance.instanceOf("io.netty.util.concurrent.SingleThreadEventExecutor")
                && object(instance.readField("io.netty.util.concurrent.SingleThreadEventExecutor", "thread"))
                        instanceof HeapObject.HeapInstance thread) {
            names.add(threadName(thread));
        }
        return names;
    }

    /**
     * Whether the entry is, or holds within two fields, a channel that is still open: {@code TRUE}
     * open, {@code FALSE} closed, {@code null} no channel found. A client object holds its connection,
     * the connection its channel.
     */
    static Boolean channelHeld(HeapObject entry) {
        Boolean state = channelOpen(entry);
        if (state != null || !(entry instanceof HeapObject.HeapInstance instance)) {
            return state;
        }
        for (HeapField field : CollectionEntries.fields(instance)) {
            HeapObject value = field.getValue().getAsObject();
            state = channelOpen(value);
            if (state == null && value instanceof HeapObject.HeapInstance inner && !inner.getInstanceClassName().startsWith("java.")) {
                for (HeapField innerField : CollectionEntries.fields(inner)) {
                    state = state != null ? state : channelOpen(innerField.getValue().getAsObject());
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
    static boolean listening(HeapObject.HeapInstance instance) {
        HeapObject channel = instance;
        if (instance.instanceOf("io.netty.channel.nio.AbstractNioChannel")) {
            channel = object(instance.readField("io.netty.channel.nio.AbstractNioChannel", "ch"));
        }
        if (!(channel instanceof HeapObject.HeapInstance server) || !server.instanceOf("sun.nio.ch.ServerSocketChannelImpl")) {
            return false;
        }
        HeapField address = server.readField("sun.nio.ch.ServerSocketChannelImpl", "localAddress");
        return Boolean.TRUE.equals(channelOpen(server)) && address != null && address.getValue().isNonNullReference();
    }

    /**
     * Whether the object is a channel (the JDK's, or a Netty channel over one) that was never
     * closed: {@code TRUE} open, {@code FALSE} closed, {@code null} not a channel.
     */
    static Boolean channelOpen(HeapObject object) {
        if (!(object instanceof HeapObject.HeapInstance instance)) {
            return null;
        }
        if (instance.instanceOf("io.netty.channel.nio.AbstractNioChannel")) {
            return channelOpen(object(instance.readField("io.netty.channel.nio.AbstractNioChannel", "ch")));
        }
        if (instance.instanceOf("java.nio.channels.spi.AbstractInterruptibleChannel")) {
            HeapField closed = instance.readField("java.nio.channels.spi.AbstractInterruptibleChannel", "closed");
            return closed == null || closed.getValue().getAsBoolean() == null ? null : !closed.getValue().getAsBoolean();
        }
        return null;
    }
}
