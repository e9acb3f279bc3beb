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
            mapOf(id, c, "java.util.HashMap", "java.util.HashMap$Node", "value", false, named, sink);
        } else if (classId == concurrentHashMap) {
            mapOf(id, c, "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Node", "val",
                    false, named, sink);
        } else if (classId == hashSet || classId == linkedHashSet) {
            long map = reference(position, offsets(setFields, c, "java.util.HashSet", "map")[0]);
            if (map != 0) {
                mapOf(map, c, "java.util.HashMap", "java.util.HashMap$Node", "value", true, named, sink);
            }
        }
    }

    private HeapView.Instance instance(long id) {
        return (HeapView.Instance) view.object(id);
    }

    /** Field offsets by instance class, a cache per shape read: looked up once per class, not per entry. */
    private final java.util.Map<HprofClass, int[]> listFields = new java.util.IdentityHashMap<>();
    private final java.util.Map<HprofClass, int[]> mapFields = new java.util.IdentityHashMap<>();
    private final java.util.Map<HprofClass, int[]> nodeFields = new java.util.IdentityHashMap<>();
    private final java.util.Map<HprofClass, int[]> setFields = new java.util.IdentityHashMap<>();

    /** The offsets of {@code fields} (each declared by {@code declaring}) in instances of {@code c}; -1 when absent. */
    private int[] offsets(java.util.Map<HprofClass, int[]> cache, HprofClass c, String declaring, String... fields) {
        int[] known = cache.get(c);
        if (known != null) {
            return known;
        }
        return cache.computeIfAbsent(c, k -> {
                    int[] found = new int[fields.length];
                    for (int i = 0; i < fields.length; i++) {
                        int field = index.field(k, declaring, fields[i]);
                        found[i] = field < 0 ? -1 : index.layout(k).offsets()[field];
                    }
                    return found;
                });
    }

    /** The position of an instance's record, or -1 when {@code id} is not an instance of the dump. */
    private long instanceAt(long id) {
        long position = id == 0 ? -1 : index.objects.positionOf(id);
        return position >= 0 && index.tag(position) == SegmentParser.INSTANCE_DUMP ? position : -1;
    }

    private long reference(long position, int offset) {
        return offset < 0 ? 0 : index.bytes.readLong(HprofIndex.fieldsStart(position) + offset);
    }

    private int integer(long position, int offset) {
        return offset < 0 ? 0 : index.bytes.readInt(HprofIndex.fieldsStart(position) + offset);
    }

    /** The elements of the object array {@code id}, or none when it is not one. */
    private long[] elements(long id) {
        long position = id == 0 ? -1 : index.objects.positionOf(id);
        if (position < 0 || index.tag(position) != SegmentParser.OBJECT_ARRAY_DUMP) {
            return new long[0];
        }
        long[] ids = new long[index.arrayLength(position)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.element(position, i);
        }
        return ids;
    }

    private void list(long id, HprofClass c, String className, String arrayField, boolean sized, java.util.Set<Long> named,
            References.Sink sink) {
        long position = instanceAt(id);
        if (position < 0) {
            return;
        }
        int[] at = offsets(listFields, c, className, arrayField, "size");
        long[] ids = elements(reference(position, at[0]));
        int size = sized ? Math.max(0, Math.min(integer(position, at[1]), ids.length)) : ids.length;
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

    /** The entries of the map {@code mapId}, named for {@code location} (a set's own class for a set's map). */
    private void mapOf(long mapId, HprofClass location, String className, String nodeClass, String valueField,
            boolean keysOnly, java.util.Set<Long> named, References.Sink sink) {
        long mapPosition = instanceAt(mapId);
        HprofClass mapClass = mapPosition < 0 ? null : index.instanceClass(mapPosition);
        if (mapClass == null) {
            return;
        }
        String keyName = keysOnly ? "element()" : "key()";
        long table = reference(mapPosition, offsets(mapFields, mapClass, className, "table")[0]);
        long tablePosition = table == 0 ? -1 : index.objects.positionOf(table);
        int buckets = tablePosition >= 0 && index.tag(tablePosition) == SegmentParser.OBJECT_ARRAY_DUMP
                ? index.arrayLength(tablePosition) : 0;
        for (int b = 0; b < buckets; b++) {
            for (long node = index.element(tablePosition, b); node != 0; ) {
                long position = instanceAt(node);
                HprofClass entryClass = position < 0 ? null : index.instanceClass(position);
                if (entryClass == null) {
                    break;
                }
                int[] at = offsets(nodeFields, entryClass, nodeClass, "next", "key", valueField);
                long key = reference(position, at[1]);
                if (key != 0) {
                    sink.reference(key, false, Edge.Kind.ARRAY_ENTRY, location, named != null && named.contains(key) ? keyName : null, null);
                }
                if (!keysOnly) {
                    long value = reference(position, at[2]);
                    if (value != 0) {
                        sink.reference(value, false, Edge.Kind.ARRAY_ENTRY, location,
                                named != null && named.contains(value) ? keyText(key) : null, null);
                    }
                }
                node = reference(position, at[0]);
            }
        }
    }

    /** How Shark names a map's value: its key's text in quotes, else the key object as Shark prints it. */
    private String keyText(long key) {
        if (key == 0) {
            return "null";
        }
        HeapView.HeapObject object = view.object(key);
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
