package dev.leakproof.internal.hprof;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A HotSpot heap dump, indexed once over its memory maps: where each object's record is, the
 * classes, the strings that name them, the GC roots, and the instances of a few classes asked for
 * up front. Everything else is read from the mapped file when it is needed. The parse is split over
 * the machine's cores by heap-dump segment.
 *
 * <pre>{@code
 * try (HprofIndex index = HprofIndex.open(dump, List.of("java.util.TimerTask"))) {
 *     HeapView heap = new HeapView(index);
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HprofIndex implements AutoCloseable {

    static final int ID = 8;

    final HprofBytes bytes;
    final ObjectTable objects;
    private final Strings strings;
    private final LongIntMap classIndex;
    private final HprofClass[] classes;
    private final Map<String, HprofClass> classesByName = new HashMap<>();
    private final List<Root> roots;
    private final Map<String, long[]> collected;
    private final long parseNanos;

    /**
     * A GC root as the dump records it.
     *
     * @param tag the HPROF sub-record tag ({@code 0x08} a thread object, {@code 0x03} a Java frame...)
     * @param id the object it holds
     * @param threadSerial the thread's serial number, for thread objects, frames and locals; else 0
     */
    public record Root(int tag, long id, int threadSerial) {
    }

    HprofIndex(HprofBytes bytes, ObjectTable objects, Strings strings, Map<Long, Long> classNameIds,
            List<SegmentParser> parsers, List<String> collectClasses, long parseNanos) {
        this.bytes = bytes;
        this.objects = objects;
        this.strings = strings;
        this.parseNanos = parseNanos;
        List<HprofClass> all = new ArrayList<>();
        List<long[]> rootRecords = new ArrayList<>();
        for (SegmentParser parser : parsers) {
            all.addAll(parser.classes);
            for (int i = 0; i < parser.roots; i++) {
                rootRecords.add(new long[] {parser.rootValues[3 * i + 2], parser.rootTags[i], parser.rootValues[3 * i],
                        parser.rootValues[3 * i + 1]});
            }
        }
        classes = all.toArray(HprofClass[]::new);
        classIndex = new LongIntMap(classes.length);
        for (int i = 0; i < classes.length; i++) {
            classIndex.putIfAbsent(classes[i].id, i);
        }
        for (HprofClass c : classes) {
            Long nameId = classNameIds.get(c.id);
            String hprofName = nameId == null ? null : strings.text(nameId);
            c.name = hprofName == null ? "unknown class @" + c.id : sharkName(hprofName);
            c.superclass = classById(c.superId);
            HprofClass known = classesByName.get(c.name);
            if (known == null || Long.compareUnsigned(c.id, known.id) < 0) {
                classesByName.put(c.name, c); // Shark answers the class of the lowest id
            }
        }
        // The dump's order, as Shark keeps its roots: the parsers each read a part of the file.
        rootRecords.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Root> rootList = new ArrayList<>(rootRecords.size());
        for (long[] r : rootRecords) {
            rootList.add(new Root((int) r[1], r[2], (int) r[3]));
        }
        roots = List.copyOf(rootList);
        collected = new HashMap<>();
        for (int c = 0; c < collectClasses.size(); c++) {
            List<long[]> parts = new ArrayList<>();
            for (SegmentParser parser : parsers) {
                parts.add(parser.collected[c].toArray());
            }
            long[] ids = parts.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            collected.merge(collectClasses.get(c), ids, (a, b) -> java.util.stream.LongStream.concat(
                    java.util.Arrays.stream(a), java.util.Arrays.stream(b)).sorted().toArray());
        }
    }

    /**
     * Indexes {@code dump}; {@code collectClasses}: classes (exact names) whose instances' ids the
     * parse keeps, sorted by id (what {@link #instancesOf} answers).
     *
     * @throws UnsupportedHprofException for a dump this index does not read (Shark reads it)
     */
    public static HprofIndex open(Path dump, Collection<String> collectClasses) {
        return HprofIndexer.index(dump, List.copyOf(collectClasses));
    }

    /** The class dumped with this id, or {@code null}. */
    public HprofClass classById(long id) {
        int i = id == 0 ? -1 : classIndex.get(id, -1);
        return i < 0 ? null : classes[i];
    }

    /** The class's place among {@link #classes()}, or -1 when {@code id} is not a class. */
    int classOrdinal(long id) {
        return id == 0 ? -1 : classIndex.get(id, -1);
    }

    /** The class of this name (of the lowest id when loaders define it twice), or {@code null}. */
    public HprofClass classByName(String name) {
        return classesByName.get(name);
    }

    HprofClass classAt(int ordinal) {
        return classes[ordinal];
    }

    /** Every class of the dump. */
    public List<HprofClass> classes() {
        return List.of(classes);
    }

    /** The GC roots in the dump's order. */
    public List<Root> roots() {
        return roots;
    }

    /** The ids of the instances of exactly {@code className}, sorted, when the parse was asked to keep them. */
    public long[] instancesOf(String className) {
        long[] ids = collected.get(className);
        return ids == null ? new long[0] : ids;
    }

    /** The string of this id in the dump's string table, or {@code null}. */
    public String string(long id) {
        return strings.text(id);
    }

    /** Whether an object of this id is in the dump. */
    public boolean exists(long id) {
        return objects.ordinal(id) >= 0 || classById(id) != null;
    }

    public int objectCount() {
        return objects.objects();
    }

    /** Java heap the index holds (objects, runs and strings), in bytes, not counting the classes. */
    public long heapBytes() {
        return objects.heapBytes() + strings.heapBytes();
    }

    /** Where each instance field of {@code c}'s instances is: the whole hierarchy's, this class's first. */
    HprofClass.FieldLayout layout(HprofClass c) {
        if (c.layout == null) {
            List<HprofClass> declaring = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<Byte> types = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            int offset = 0;
            for (HprofClass k : c.hierarchy()) {
                for (int i = 0; i < k.fieldNameIds.length; i++) {
                    declaring.add(k);
                    String name = strings.text(k.fieldNameIds[i]);
                    names.add(name == null ? "" : name);
                    types.add(k.fieldTypes[i]);
                    offsets.add(offset);
                    offset += HprofClass.size(k.fieldTypes[i], ID);
                }
            }
            byte[] typeArray = new byte[types.size()];
            int[] offsetArray = new int[offsets.size()];
            for (int i = 0; i < typeArray.length; i++) {
                typeArray[i] = types.get(i);
                offsetArray[i] = offsets.get(i);
            }
            c.layout = new HprofClass.FieldLayout(declaring.toArray(HprofClass[]::new), names.toArray(String[]::new),
                    typeArray, offsetArray);
        }
        return c.layout;
    }

    /** The index in {@code c}'s layout of field {@code name} declared by {@code declaringClass}, or -1. */
    int field(HprofClass c, String declaringClass, String name) {
        HprofClass.FieldLayout layout = layout(c);
        for (int i = 0; i < layout.names().length; i++) {
            if (layout.names()[i].equals(name) && layout.declaring()[i].name.equals(declaringClass)) {
                return i;
            }
        }
        return -1;
    }

    /** The name of static field {@code i} of {@code c}. */
    String staticName(HprofClass c, int i) {
        if (c.staticNames == null) {
            String[] names = new String[c.staticNameIds.length];
            for (int k = 0; k < names.length; k++) {
                String name = strings.text(c.staticNameIds[k]);
                names[k] = name == null ? "" : name;
            }
            c.staticNames = names; // decoded once: a class is read on every path through it
        }
        return c.staticNames[i];
    }

    /** The record's tag at {@code position} (instance, arrays). */
    int tag(long position) {
        return bytes.readUnsignedByte(position);
    }

    /** The position of this object's record, or -1 (a class: its class dump's). */
    long position(long id) {
        long position = objects.positionOf(id);
        if (position < 0) {
            HprofClass c = classById(id);
            return c == null ? -1 : c.position;
        }
        return position;
    }

    /** The class of the instance whose record starts at {@code position}. */
    HprofClass instanceClass(long position) {
        return classById(bytes.readLong(position + 1 + ID + 4));
    }

    /** Where an instance's field bytes start. */
    static long fieldsStart(long position) {
        return position + 1 + ID + 4 + ID + 4;
    }

    /** An array's length (object or primitive). */
    int arrayLength(long position) {
        return bytes.readInt(position + 1 + ID + 4);
    }

    /** An object array's class. */
    HprofClass objectArrayClass(long position) {
        return classById(bytes.readLong(position + 1 + ID + 4 + 4));
    }

    /** Element {@code i} of the object array at {@code position}. */
    long element(long position, int i) {
        return bytes.readLong(position + 1 + ID + 4 + 4 + ID + (long) i * ID);
    }

    /** The file's size in bytes. */
    public long fileBytes() {
        return bytes.size();
    }

    public long parseMillis() {
        return parseNanos / 1_000_000;
    }

    /** Runs of ascending ids the objects came in (a measure of how the dump was written). */
    public int runs() {
        return objects.runs();
    }

    /** A name as Shark spells it: {@code java/util/Map$Entry} and {@code [Ljava/lang/Object;} read as Java does. */
    static String sharkName(String hprofName) {
        String name = hprofName.replace('/', '.');
        if (!name.startsWith("[")) {
            return name;
        }
        int last = name.lastIndexOf('[');
        String brackets = "[]".repeat(last + 1);
        return switch (name.charAt(last + 1)) {
            case 'L' -> name.substring(last + 2, name.length() - 1) + brackets;
            case 'Z' -> "boolean" + brackets;
            case 'C' -> "char" + brackets;
            case 'F' -> "float" + brackets;
            case 'D' -> "double" + brackets;
            case 'B' -> "byte" + brackets;
            case 'S' -> "short" + brackets;
            case 'I' -> "int" + brackets;
            case 'J' -> "long" + brackets;
            default -> name;
        };
    }

    @Override
    public void close() {
        bytes.close();
    }
}
