package dev.leakproof.internal.hprof;

import java.util.HashSet;
import java.util.Set;

/**
 * A JDK collection's entries as references of the collection itself, the way Shark's OpenJDK
 * readers give them: a list's elements by index, a map's keys ({@code key()}) and values (named by
 * their key), a set's elements ({@code element()}). Only for the exact classes Shark reads (a
 * subclass may hold more), and only when the dump's class has the fields of OpenJDK's version.
 */
final class CollectionEntryReader {

    private final HprofIndex index;
    private final HeapView view;
    private final long arrayList;
    private final long linkedList;
    private final long copyOnWrite;
    private final long hashMap;
    private final long linkedHashMap;
    private final long concurrentHashMap;
    private final long hashSet;
    private final long linkedHashSet;

    CollectionEntryReader(HprofIndex index, HeapView view) {
        this.index = index;
        this.view = view;
        arrayList = withField("java.util.ArrayList", "elementData");
        linkedList = withField("java.util.LinkedList", "first");
        copyOnWrite = withField("java.util.concurrent.CopyOnWriteArrayList", "array");
        hashMap = withField("java.util.HashMap", "loadFactor");
        linkedHashMap = hashMap == 0 ? 0 : id("java.util.LinkedHashMap");
        concurrentHashMap = withField("java.util.concurrent.ConcurrentHashMap", "table");
        hashSet = withField("java.util.HashSet", "map");
        linkedHashSet = hashSet == 0 ? 0 : id("java.util.LinkedHashSet");
    }

    private long id(String className) {
        HprofClass c = index.classByName(className);
        return c == null ? 0 : c.id;
    }

    /** The class's id when it declares {@code field} itself (OpenJDK's version), else 0. */
    private long withField(String className, String field) {
        HprofClass c = index.classByName(className);
        if (c == null) {
            return 0;
        }
        for (long nameId : c.fieldNameIds) {
            if (field.equals(index.string(nameId))) {
                return c.id;
            }
        }
        return 0;
    }

    void read(long id, long position, HprofClass c, java.util.Set<Long> named, References.Sink sink) {
        long classId = c.id;
        if (classId == linkedList) {
            linkedList(id, c, named, sink);
        } else if (classId == arrayList) {
            list(id, c, "java.util.ArrayList", "elementData", true, named, sink);
        } else if (classId == copyOnWrite) {
            list(id, c, "java.util.concurrent.CopyOnWriteArrayList", "array", false, named, sink);
        } else if (classId == hashMap || classId == linkedHashMap) {
            map(id, c, "java.util.HashMap", "java.util.HashMap$Node", "value", false, named, sink);
        } else if (classId == concurrentHashMap) {
            map(id, c, "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Node", "val",
                    false, named, sink);
        } else if (classId == hashSet || classId == linkedHashSet) {
            HeapView.Value map = instance(id).get("java.util.HashSet", "map");
            if (map != null && map.isNonNullReference()) {
                mapOf(map.raw(), c, "java.util.HashMap", "java.util.HashMap$Node", "value", true, named, sink);
            }
        }
    }

    private HeapView.Instance instance(long id) {
        return (HeapView.Instance) view.object(id);
    }

    private void list(long id, HprofClass c, String className, String arrayField, boolean sized, java.util.Set<Long> named,
            References.Sink sink) {
        HeapView.Instance list = instance(id);
        HeapView.Value array = list.get(className, arrayField);
        if (array == null || !(array.asObject() instanceof HeapView.ObjectArray elements)) {
            return;
        }
        long[] ids = elements.elementIds();
        int size = ids.length;
        if (sized) {
            HeapView.Value sizeField = list.get(className, "size");
            size = sizeField == null || sizeField.asInt() == null ? 0 : Math.min(sizeField.asInt(), ids.length);
        }
        for (int i = 0; i < size; i++) {
            if (ids[i] != 0) {
                sink.reference(ids[i], false, Edge.Kind.ARRAY_ENTRY, c, named != null && named.contains(ids[i]) ? Integer.toString(i) : null, null);
            }
        }
    }

    private void linkedList(long id, HprofClass c, java.util.Set<Long> named, References.Sink sink) {
        HeapView.Value first = instance(id).get("java.util.LinkedList", "first");
        Set<Long> seen = new HashSet<>();
        int i = 0;
        for (long node = first == null ? 0 : first.raw(); node != 0 && seen.add(node); i++) {
            if (!(view.object(node) instanceof HeapView.Instance n)) {
                return;
            }
            HeapView.Value item = n.get("java.util.LinkedList$Node", "item");
            if (item != null && item.isNonNullReference()) {
                sink.reference(item.raw(), false, Edge.Kind.ARRAY_ENTRY, c, named != null && named.contains(item.raw()) ? Integer.toString(i) : null, null);
            }
            HeapView.Value next = n.get("java.util.LinkedList$Node", "next");
            node = next == null ? 0 : next.raw();
        }
    }

    private void map(long id, HprofClass c, String className, String nodeClass, String valueField, boolean keysOnly,
            java.util.Set<Long> named, References.Sink sink) {
        mapOf(id, c, className, nodeClass, valueField, keysOnly, named, sink);
    }

    /** The entries of the map {@code mapId}, named for {@code location} (a set's own class for a set's map). */
    private void mapOf(long mapId, HprofClass location, String className, String nodeClass, String valueField,
            boolean keysOnly, java.util.Set<Long> named, References.Sink sink) {
        if (!(view.object(mapId) instanceof HeapView.Instance map)) {
            return;
        }
        HeapView.Value table = map.get(className, "table");
        if (table == null || !(table.asObject() instanceof HeapView.ObjectArray buckets)) {
            return;
        }
        String keyName = keysOnly ? "element()" : "key()";
        for (long bucket : buckets.elementIds()) {
            for (long node = bucket; node != 0; ) {
                if (!(view.object(node) instanceof HeapView.Instance entry)) {
                    break;
                }
                HeapView.Value key = entry.get(nodeClass, "key");
                if (key != null && key.isNonNullReference()) {
                    sink.reference(key.raw(), false, Edge.Kind.ARRAY_ENTRY, location, named != null && named.contains(key.raw()) ? keyName : null, null);
                }
                if (!keysOnly) {
                    HeapView.Value value = entry.get(nodeClass, valueField);
                    if (value != null && value.isNonNullReference()) {
                        sink.reference(value.raw(), false, Edge.Kind.ARRAY_ENTRY, location, named != null && named.contains(value.raw()) ? keyText(key) : null, null);
                    }
                }
                HeapView.Value next = entry.get(nodeClass, "next");
                node = next == null ? 0 : next.raw();
            }
        }
    }

    /** How Shark names a map's value: its key's text in quotes, else the key object as Shark prints it. */
    private String keyText(HeapView.Value key) {
        if (key == null || !key.isNonNullReference()) {
            return "null";
        }
        HeapView.HeapObject object = key.asObject();
        if (object instanceof HeapView.Instance instance) {
            String text = instance.readAsJavaString();
            return text != null ? "\"" + text + "\"" : "instance @" + object.id() + " of " + instance.className();
        }
        if (object instanceof HeapView.ObjectArray) {
            return "object array @" + object.id() + " of " + object.className();
        }
        if (object instanceof HeapView.ClassObject) {
            return "class " + object.className();
        }
        return object == null ? "null" : "primitive array @" + object.id() + " of " + object.className();
    }
}
