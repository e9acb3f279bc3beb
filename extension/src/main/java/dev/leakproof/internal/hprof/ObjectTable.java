package dev.leakproof.internal.hprof;

import java.util.Arrays;

/**
 * Every object of the dump by id: its record's position in the file. Ids are HotSpot addresses,
 * 8-byte aligned, so an id is kept as 32 bits ({@code id >>> 3}) under a high part that a whole run
 * shares. The records are stored in the dump's order, in chunks of 65,536 that each parsing thread
 * fills on its own; HotSpot writes each heap region's objects in address order, so the ids come in
 * ascending runs, and the runs of different regions do not overlap. Sorted by their first id, the
 * runs make the whole table searchable without sorting a single record: a lookup is a binary search
 * over the runs, then one inside a run. What that costs in memory is 8 bytes per object (12 in
 * files over 4 GiB). ZGC writes its objects in no address order: then every id is sorted once, with
 * 12 more bytes per object.
 *
 * <p>A record's ordinal (its chunk and slot) numbers it for bit sets: ordinals have gaps where a
 * thread's last chunk was not full.
 */
final class ObjectTable {

    static final int CHUNK_SHIFT = 16;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    static final int SLOT_MASK = CHUNK - 1;

    private final boolean widePositions;
    private int[][] ids = new int[64][];
    /** Each chunk's high part: a chunk holds ids of one high part only. */
    private int[] chunkHigh = new int[64];
    /** Per chunk, a bit per object that leads nowhere (a primitive array, a string, a boxed number). */
    private long[][] leaves = new long[64][];
    private int[][] positions32;
    private long[][] positions64;
    private int chunks;
    private int objects;
    /** Sorted by first id: each run's first ordinal, length, high part, and first and last low part. */
    private int[] runStart;
    private int[] runLength;
    private int[] runHigh;
    private int[] runFirst;
    private int runCount;
    /** When the runs overlap (a ZGC dump): every id sorted, with its ordinal. */
    private long[] sortedIds;
    private int[] sortedOrdinals;

    ObjectTable(long fileSize) {
        widePositions = fileSize > 0xFFFF_FFFFL;
        positions32 = widePositions ? null : new int[64][];
        positions64 = widePositions ? new long[64][] : null;
    }

    /** A new chunk for one parsing thread to fill: its index. */
    synchronized int allocate(int high) {
        if (chunks == ids.length) {
            ids = Arrays.copyOf(ids, chunks * 2);
            chunkHigh = Arrays.copyOf(chunkHigh, chunks * 2);
            leaves = Arrays.copyOf(leaves, chunks * 2);
            if (widePositions) {
                positions64 = Arrays.copyOf(positions64, chunks * 2);
            } else {
                positions32 = Arrays.copyOf(positions32, chunks * 2);
            }
        }
        ids[chunks] = new int[CHUNK];
        chunkHigh[chunks] = high;
        leaves[chunks] = new long[CHUNK >>> 6];
        if (widePositions) {
            positions64[chunks] = new long[CHUNK];
        } else {
            positions32[chunks] = new int[CHUNK];
        }
        return chunks++;
    }

    synchronized int[] idChunk(int chunk) {
        return ids[chunk];
    }

    synchronized long[] leafChunk(int chunk) {
        return leaves[chunk];
    }

    /** Whether the object at {@code ordinal} has no references to follow (Shark reads none from it). */
    boolean isLeaf(int ordinal) {
        return (leaves[ordinal >>> CHUNK_SHIFT][(ordinal & SLOT_MASK) >>> 6] & (1L << ordinal)) != 0;
    }

    synchronized Object positionChunk(int chunk) {
        return widePositions ? positions64[chunk] : positions32[chunk];
    }

    /**
     * Makes the table searchable from the runs the threads recorded ({@code starts}, {@code lengths},
     * {@code highs}, {@code count} of them): sorts them by first id and checks that none overlaps the next.
     */
    void seal(int[] starts, int[] lengths, int[] highs, int count, int objectCount) {
        objects = objectCount;
        if (count > objectCount / 8) {
            // Runs of a few objects each: not a dump in address order; sorting the ids beats sorting the runs.
            runCount = 0;
            runStart = new int[0];
            runLength = new int[0];
            runHigh = new int[0];
            runFirst = new int[0];
            sortEveryId(starts, lengths, count);
            return;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        boolean overlap = false;
        Arrays.sort(order, (a, b) -> {
            int byHigh = Integer.compare(highs[a], highs[b]);
            return byHigh != 0 ? byHigh : Integer.compareUnsigned(low(starts[a]), low(starts[b]));
        });
        runStart = new int[count];
        runLength = new int[count];
        runHigh = new int[count];
        runFirst = new int[count];
        for (int i = 0; i < count; i++) {
            int r = order[i];
            runStart[i] = starts[r];
            runLength[i] = lengths[r];
            runHigh[i] = highs[r];
            runFirst[i] = low(starts[r]);
            if (i > 0 && runHigh[i] == runHigh[i - 1]
                    && Integer.compareUnsigned(low(runStart[i - 1] + runLength[i - 1] - 1), runFirst[i]) >= 0) {
                overlap = true;
            }
        }
        runCount = count;
        if (overlap) {
            sortEveryId(starts, lengths, count);
        }
    }

    /**
     * For objects that came in no address order (ZGC's dump): every id sorted with its ordinal, 12
     * more bytes per object, and lookups by one binary search over them.
     */
    private void sortEveryId(int[] starts, int[] lengths, int count) {
        sortedIds = new long[objects];
        sortedOrdinals = new int[objects];
        int n = 0;
        for (int r = 0; r < count; r++) {
            for (int o = starts[r]; o < starts[r] + lengths[r]; o++) {
                sortedIds[n] = id(o);
                sortedOrdinals[n++] = o;
            }
        }
        IdSort.sort(sortedIds, sortedOrdinals);
    }

    private int low(int ordinal) {
        return ids[ordinal >>> CHUNK_SHIFT][ordinal & SLOT_MASK];
    }

    /** The ordinal of the object with this id, or -1 when the dump has none. */
    int ordinal(long id) {
        if (id == 0 || (id & 7) != 0) {
            return -1;
        }
        if (sortedIds != null) {
            int lo = 0;
            int hi = sortedIds.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int cmp = Long.compareUnsigned(sortedIds[mid], id);
                if (cmp == 0) {
                    return sortedOrdinals[mid];
                }
                if (cmp < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -1;
        }
        long compressed = id >>> 3;
        int high = (int) (compressed >>> 32);
        int low = (int) compressed;
        int lo = 0;
        int hi = runCount - 1;
        int run = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = runHigh[mid] != high ? Integer.compare(runHigh[mid], high) : Integer.compareUnsigned(runFirst[mid], low);
            if (cmp <= 0) {
                run = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (run < 0 || runHigh[run] != high) {
            return -1;
        }
        int start = runStart[run];
        int[] chunk = ids[start >>> CHUNK_SHIFT];
        int from = start & SLOT_MASK;
        int to = from + runLength[run] - 1;
        while (from <= to) {
            int mid = (from + to) >>> 1;
            int cmp = Integer.compareUnsigned(chunk[mid], low);
            if (cmp == 0) {
                return (start & ~SLOT_MASK) | mid;
            }
            if (cmp < 0) {
                from = mid + 1;
            } else {
                to = mid - 1;
            }
        }
        return -1;
    }

    /** The id of the object at {@code ordinal}. */
    long id(int ordinal) {
        int chunk = ordinal >>> CHUNK_SHIFT;
        return ((long) chunkHigh[chunk] << 35) | ((ids[chunk][ordinal & SLOT_MASK] & 0xFFFF_FFFFL) << 3);
    }

    /** The position of the record at {@code ordinal}. */
    long position(int ordinal) {
        int chunk = ordinal >>> CHUNK_SHIFT;
        int slot = ordinal & SLOT_MASK;
        return widePositions ? positions64[chunk][slot] : positions32[chunk][slot] & 0xFFFF_FFFFL;
    }

    /** The record's position for this id, or -1. */
    long positionOf(long id) {
        int ordinal = ordinal(id);
        return ordinal < 0 ? -1 : position(ordinal);
    }

    /** One more than the highest ordinal: the size of a bit set over the objects. */
    int ordinalLimit() {
        return chunks << CHUNK_SHIFT;
    }

    int objects() {
        return objects;
    }

    int runs() {
        return runCount;
    }

    /** Java heap the table holds, in bytes. */
    long heapBytes() {
        return (long) chunks * (CHUNK * (widePositions ? 12L : 8L) + CHUNK / 8) + 20L * runCount
                + (sortedIds == null ? 0 : 12L * sortedIds.length);
    }
}
