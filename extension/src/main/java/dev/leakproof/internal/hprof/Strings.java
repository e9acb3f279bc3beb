package dev.leakproof.internal.hprof;

import java.util.Arrays;

/**
 * The dump's string table (class and field names): where each string's bytes are, decoded when
 * asked. A dump has tens of thousands of them; most are never read.
 */
final class Strings {

    private final HprofBytes bytes;
    private final LongIntMap index = new LongIntMap(1 << 16);
    private long[] positions = new long[1 << 16];
    private int[] lengths = new int[1 << 16];
    private int count;

    Strings(HprofBytes bytes) {
        this.bytes = bytes;
    }

    void add(long id, long position, int length) {
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        positions[count] = position;
        lengths[count] = length;
        index.putIfAbsent(id, count++);
    }

    /** The string of this id, or {@code null}. */
    String text(long id) {
        int i = index.get(id, -1);
        return i < 0 ? null : bytes.readUtf8(positions[i], lengths[i]);
    }

    long heapBytes() {
        return positions.length * 12L + index.size() * 24L;
    }
}
