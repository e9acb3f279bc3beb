package dev.leakproof.internal.hprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads some heap-dump segments' records, on one thread: each object's id and position into the
 * {@link ObjectTable} (in chunks of its own), the classes, the GC roots, and the ids of instances of
 * the classes asked for. Nothing is read twice: an instance's fields are skipped by their length.
 */
final class SegmentParser implements Runnable {

    static final int ROOT_UNKNOWN = 0xFF;
    static final int ROOT_JNI_GLOBAL = 0x01;
    static final int ROOT_JNI_LOCAL = 0x02;
    static final int ROOT_JAVA_FRAME = 0x03;
    static final int ROOT_NATIVE_STACK = 0x04;
    static final int ROOT_STICKY_CLASS = 0x05;
    static final int ROOT_THREAD_BLOCK = 0x06;
    static final int ROOT_MONITOR_USED = 0x07;
    static final int ROOT_THREAD_OBJECT = 0x08;
    static final int CLASS_DUMP = 0x20;
    static final int INSTANCE_DUMP = 0x21;
    static final int OBJECT_ARRAY_DUMP = 0x22;
    static final int PRIMITIVE_ARRAY_DUMP = 0x23;
    private static final int ID = 8;
    private static final int MAX_HIGH_CHANGES = 1024;

    private final HprofBytes bytes;
    private final ObjectTable table;
    private final long[] starts;
    private final long[] ends;
    private final long[] wantedClassIds;
    /** Classes whose instances or arrays lead nowhere: strings, boxed numbers and their arrays. */
    private final LongIntMap leafClasses;

    final List<HprofClass> classes = new ArrayList<>();
    /** Per root: tag, then id, thread serial and position, in {@link #rootValues} at 3 longs a root. */
    int[] rootTags = new int[256];
    long[] rootValues = new long[768];
    int roots;
    final LongList[] collected;
    int[] runStarts = new int[64];
    int[] runLengths = new int[64];
    int[] runHighs = new int[64];
    int runs;
    int objects;
    Throwable failure;

    private int chunk = -1;
    private int fill = ObjectTable.CHUNK;
    private int[] idChunk;
    private int[] positions32;
    private long[] positions64;
    private long[] leafBits;
    private long lastId;
    private int runHigh;
    private int highChanges;

    SegmentParser(HprofBytes bytes, ObjectTable table, long[] starts, long[] ends, long[] wantedClassIds,
            LongIntMap leafClasses) {
        this.leafClasses = leafClasses;
        this.bytes = bytes;
        this.table = table;
        this.starts = starts;
        this.ends = ends;
        this.wantedClassIds = wantedClassIds;
        this.collected = new LongList[wantedClassIds.length];
        for (int i = 0; i < collected.length; i++) {
            collected[i] = new LongList();
        }
    }

    @Override
    public void run() {
        try {
            for (int s = 0; s < starts.length; s++) {
                parse(starts[s], ends[s]);
            }
            endRun();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void parse(long from, long end) {
        HprofBytes b = bytes;
        long p = from;
        while (p < end) {
            int tag = b.readUnsignedByte(p);
            switch (tag) {
                case INSTANCE_DUMP -> {
                    long id = b.readLong(p + 1);
                    long classId = b.readLong(p + 1 + ID + 4);
                    add(id, p, leafClasses.get(classId, 0) != 0);
                    if (wantedClassIds.length > 0) {
                        collect(id, classId);
                    }
                    p += 1 + ID + 4 + ID + 4 + b.readUnsignedInt(p + 1 + ID + 4 + ID);
                }
                case OBJECT_ARRAY_DUMP -> {
                    add(b.readLong(p + 1), p, leafClasses.get(b.readLong(p + 1 + ID + 4 + 4), 0) != 0);
                    p += 1 + ID + 4 + 4 + ID + b.readUnsignedInt(p + 1 + ID + 4) * ID;
                }
                case PRIMITIVE_ARRAY_DUMP -> {
                    add(b.readLong(p + 1), p, true);
                    int type = b.readUnsignedByte(p + 1 + ID + 4 + 4);
                    p += 1 + ID + 4 + 4 + 1 + b.readUnsignedInt(p + 1 + ID + 4) * HprofClass.size(type, ID);
                }
                case CLASS_DUMP -> p = classDump(p);
                case ROOT_UNKNOWN, ROOT_STICKY_CLASS, ROOT_MONITOR_USED -> p = root(tag, p, 0, 1 + ID);
                case ROOT_JNI_GLOBAL -> p = root(tag, p, 0, 1 + ID + ID);
                case ROOT_JNI_LOCAL, ROOT_JAVA_FRAME, ROOT_THREAD_OBJECT -> p = root(tag, p, b.readInt(p + 1 + ID), 1 + ID + 8);
                case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> p = root(tag, p, b.readInt(p + 1 + ID), 1 + ID + 4);
                default -> throw new UnsupportedHprofException(
                        "heap dump record 0x" + Integer.toHexString(tag) + " at " + p + " (not a HotSpot dump?)");
            }
        }
        if (p != end) {
            throw new UnsupportedHprofException("a heap dump segment ends inside a record at " + end);
        }
    }

    private long root(int tag, long p, int threadSerial, int length) {
        if (roots == rootTags.length) {
            rootTags = Arrays.copyOf(rootTags, roots * 2);
            rootValues = Arrays.copyOf(rootValues, roots * 6);
        }
        rootTags[roots] = tag;
        rootValues[3 * roots] = bytes.readLong(p + 1);
        rootValues[3 * roots + 1] = threadSerial;
        rootValues[3 * roots + 2] = p;
        roots++;
        return p + length;
    }

    private void collect(long id, long classId) {
        for (int i = 0; i < wantedClassIds.length; i++) {
            if (wantedClassIds[i] == classId) {
                collected[i].add(id);
            }
        }
    }

    private long classDump(long start) {
        HprofBytes b = bytes;
        long id = b.readLong(start + 1); // kept with the class, not in the table: mirrors come in no address order
        long superId = b.readLong(start + 1 + ID + 4);
        int instanceSize = b.readInt(start + 1 + ID + 4 + 6 * ID);
        long p = start + 1 + ID + 4 + 6 * ID + 4;
        int constants = b.readShort(p) & 0xffff;
        p += 2;
        for (int i = 0; i < constants; i++) {
            p += 2 + 1 + HprofClass.size(b.readUnsignedByte(p + 2), ID);
        }
        int statics = b.readShort(p) & 0xffff;
        p += 2;
        long[] staticNames = new long[statics];
        byte[] staticTypes = new byte[statics];
        long[] staticValues = new long[statics];
        for (int i = 0; i < statics; i++) {
            staticNames[i] = b.readLong(p);
            int type = b.readUnsignedByte(p + ID);
            staticTypes[i] = (byte) type;
            staticValues[i] = b.readValue(p + ID + 1, type);
            p += ID + 1 + HprofClass.size(type, ID);
        }
        int fields = b.readShort(p) & 0xffff;
        p += 2;
        long[] fieldNames = new long[fields];
        byte[] fieldTypes = new byte[fields];
        for (int i = 0; i < fields; i++) {
            fieldNames[i] = b.readLong(p);
            fieldTypes[i] = b.readByte(p + ID);
            p += ID + 1;
        }
        classes.add(new HprofClass(id, start, superId, instanceSize, staticNames, staticTypes, staticValues, fieldNames, fieldTypes));
        return p;
    }

    private void add(long id, long position, boolean leaf) {
        if ((id & 7) != 0) {
            throw new UnsupportedHprofException("object id " + Long.toHexString(id) + " is not 8-byte aligned");
        }
        long compressed = id >>> 3;
        int high = (int) (compressed >>> 32);
        if (fill == ObjectTable.CHUNK || (chunk >= 0 && high != runHigh)) {
            if (fill < ObjectTable.CHUNK && ++highChanges > MAX_HIGH_CHANGES) {
                // Each change of the high part starts a chunk: ids that jump between 32 GiB ranges
                // all the time would take a chunk each. Shark reads such a dump.
                throw new UnsupportedHprofException("object ids alternate between address ranges more than "
                        + MAX_HIGH_CHANGES + " times");
            }
            endRun();
            chunk = table.allocate(high);
            idChunk = table.idChunk(chunk);
            Object positions = table.positionChunk(chunk);
            positions32 = positions instanceof int[] ints ? ints : null;
            positions64 = positions instanceof long[] longs ? longs : null;
            leafBits = table.leafChunk(chunk);
            fill = 0;
            startRun(high);
        } else if (Long.compareUnsigned(id, lastId) <= 0) {
            endRun();
            startRun(high);
        }
        idChunk[fill] = (int) compressed;
        if (leaf) {
            leafBits[fill >>> 6] |= 1L << fill;
        }
        if (positions32 != null) {
            positions32[fill] = (int) position;
        } else {
            positions64[fill] = position;
        }
        fill++;
        objects++;
        lastId = id;
    }

    private int runFrom = -1;

    private void startRun(int high) {
        runFrom = (chunk << ObjectTable.CHUNK_SHIFT) + fill;
        runHigh = high;
    }

    private void endRun() {
        if (runFrom < 0) {
            return;
        }
        int length = ((chunk << ObjectTable.CHUNK_SHIFT) + fill) - runFrom;
        if (length > 0) {
            if (runs == runStarts.length) {
                runStarts = Arrays.copyOf(runStarts, runs * 2);
                runLengths = Arrays.copyOf(runLengths, runs * 2);
                runHighs = Arrays.copyOf(runHighs, runs * 2);
            }
            runStarts[runs] = runFrom;
            runLengths[runs] = length;
            runHighs[runs] = runHigh;
            runs++;
        }
        runFrom = -1;
    }

    /** A growable list of longs. */
    static final class LongList {
        long[] values = new long[16];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
