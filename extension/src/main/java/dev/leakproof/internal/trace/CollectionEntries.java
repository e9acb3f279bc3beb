package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;

import java.util.List;

/**
 * How many entries a collection holds in a heap dump: its size field for the JDK's lists, maps,
 * sets and queues (an {@code AtomicInteger} count for a blocking queue, the counter cells of a
 * {@code ConcurrentHashMap}), the non-null slots of an array, the items of a linked queue, or the
 * collection a wrapper ({@code Collections.synchronizedList}, a set over a map) holds.
 *
 * <pre>{@code
 * long entries = CollectionEntries.of(collection); // -1 when its kind is not known
 * }</pre>
 */
final class CollectionEntries {

    /** Links followed at most when counting a linked queue's nodes. */
    private static final int MAX_LINKS = 2_000_000;

    private CollectionEntries() {
    }

    /** The entries a collection holds now, or -1 when its kind is not known. */
    static long of(HeapView.HeapObject collection) {
        if (collection instanceof HeapView.ObjectArray array) {
            long count = 0;
            for (long id : array.elementIds()) {
                count += id == 0 ? 0 : 1;
            }
            return count;
        }
        if (!(collection instanceof HeapView.Instance instance)) {
            return -1;
        }
        String name = instance.className();
        if (name.equals("java.util.concurrent.ConcurrentHashMap")) {
            return concurrentHashMapSize(instance);
        }
        if (name.startsWith("java.util.concurrent.ConcurrentLinked")) {
            return linkedItems(instance);
        }
        if (name.equals("java.util.concurrent.CopyOnWriteArrayList")) {
            return of(HeapCollections.object(instance.get(name, "array")));
        }
        for (HeapView.Field field : instance.fields()) {
            String f = field.name();
            HeapView.Value value = field.value();
            if ((f.equals("size") || f.equals("count")) && value.asInt() != null) {
                return value.asInt();
            }
            if (f.equals("count") && value.asObject() instanceof HeapView.Instance atomic) {
                HeapView.Value v = atomic.get("java.util.concurrent.atomic.AtomicInteger", "value");
                if (v != null && v.asInt() != null) {
                    return v.asInt();
                }
            }
        }
        for (String wrapped : List.of("c", "m", "map", "al", "s", "q")) {
            for (HeapView.Field field : instance.fields()) {
                if (field.name().equals(wrapped) && field.value().asObject() != null) {
                    return of(field.value().asObject());
                }
            }
        }
        return -1;
    }

    private static long concurrentHashMapSize(HeapView.Instance map) {
        String name = "java.util.concurrent.ConcurrentHashMap";
        HeapView.Value base = map.get(name, "baseCount");
        long size = base == null || base.asLong() == null ? 0 : base.asLong();
        if (HeapCollections.object(map.get(name, "counterCells")) instanceof HeapView.ObjectArray cells) {
            for (long id : cells.elementIds()) {
                if (id != 0 && map.view().object(id) instanceof HeapView.Instance cell) {
                    HeapView.Value value = cell.get("java.util.concurrent.ConcurrentHashMap$CounterCell", "value");
                    size += value == null || value.asLong() == null ? 0 : value.asLong();
                }
            }
        }
        return size;
    }

    private static long linkedItems(HeapView.Instance queue) {
        String className = queue.className();
        HeapView.HeapObject node = HeapCollections.object(queue.get(className, "head"));
        long count = 0;
        for (int links = 0; node instanceof HeapView.Instance n && links < MAX_LINKS; links++) {
            String nodeClass = n.className();
            count += HeapCollections.object(n.get(nodeClass, "item")) != null ? 1 : 0;
            HeapView.HeapObject next = HeapCollections.object(n.get(nodeClass, "next"));
            node = next == null || next.id() == n.id() ? null : next;
        }
        return count;
    }
}
