package dev.leakproof.internal.trace;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import shark.HeapField;
import shark.HeapObject;
import shark.HeapValue;

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
    static long of(HeapObject collection) {
        if (collection instanceof HeapObject.HeapObjectArray array) {
            long count = 0;
            for (long id : array.readRecord().getElementIds()) {
                count += id == 0 ? 0 : 1;
            }
            return count;
        }
        if (!(collection instanceof HeapObject.HeapInstance instance)) {
            return -1;
        }
        String name = instance.getInstanceClassName();
        if (name.equals("java.util.concurrent.ConcurrentHashMap")) {
            return concurrentHashMapSize(instance);
        }
        if (name.startsWith("java.util.concurrent.ConcurrentLinked")) {
            return linkedItems(instance);
        }
        if (name.equals("java.util.concurrent.CopyOnWriteArrayList")) {
            return of(HeapCollections.object(instance.readField(name, "array")));
        }
        for (HeapField field : fields(instance)) {
            String f = field.getName();
            HeapValue value = field.getValue();
            if ((f.equals("size") || f.equals("count")) && value.getAsInt() != null) {
                return value.getAsInt();
            }
            if (f.equals("count") && value.getAsObject() instanceof HeapObject.HeapInstance atomic) {
                HeapField v = atomic.readField("java.util.concurrent.atomic.AtomicInteger", "value");
                if (v != null && v.getValue().getAsInt() != null) {
                    return v.getValue().getAsInt();
                }
            }
        }
        for (String wrapped : List.of("c", "m", "map", "al", "s", "q")) {
            for (HeapField field : fields(instance)) {
                if (field.getName().equals(wrapped) && field.getValue().getAsObject() != null) {
                    return of(field.getValue().getAsObject());
                }
            }
        }
        return -1;
    }

    static List<HeapField> fields(HeapObject.HeapInstance instance) {
        List<HeapField> fields = new ArrayList<>();
        for (Iterator<HeapField> it = instance.readFields().iterator(); it.hasNext();) {
            fields.add(it.next());
        }
        return fields;
    }

    private static long concurrentHashMapSize(HeapObject.HeapInstance map) {
        String name = "java.util.concurrent.ConcurrentHashMap";
        HeapField base = map.readField(name, "baseCount");
        long size = base == null || base.getValue().getAsLong() == null ? 0 : base.getValue().getAsLong();
        if (HeapCollections.object(map.readField(name, "counterCells")) instanceof HeapObject.HeapObjectArray cells) {
            for (long id : cells.readRecord().getElementIds()) {
                if (id != 0 && map.getGraph().findObjectByIdOrNull(id) instanceof HeapObject.HeapInstance cell) {
                    HeapField value = cell.readField("java.util.concurrent.ConcurrentHashMap$CounterCell", "value");
                    size += value == null || value.getValue().getAsLong() == null ? 0 : value.getValue().getAsLong();
                }
            }
        }
        return size;
    }

    private static long linkedItems(HeapObject.HeapInstance queue) {
        String className = queue.getInstanceClassName();
        HeapObject node = HeapCollections.object(queue.readField(className, "head"));
        long count = 0;
        for (int links = 0; node instanceof HeapObject.HeapInstance n && links < MAX_LINKS; links++) {
            String nodeClass = n.getInstanceClassName();
            count += HeapCollections.object(n.readField(nodeClass, "item")) != null ? 1 : 0;
            HeapObject next = HeapCollections.object(n.readField(nodeClass, "next"));
            node = next == null || next.getObjectId() == n.getObjectId() ? null : next;
        }
        return count;
    }
}
