package dev.leakproof.internal.hprof;

/**
 * A growable list of ints in chunks: growing copies nothing, so a search over millions of objects
 * never holds two copies of its queue.
 */
final class IntChunks {
    private static final int SHIFT = 16;
    private int[][] chunks = new int[16][];
    int size;

    void add(int value) {
        int chunk = size >>> SHIFT;
        if (chunk == chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, chunks.length * 2);
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new int[1 << SHIFT];
        }
        chunks[chunk][size & ((1 << SHIFT) - 1)] = value;
        size++;
    }

    int get(int i) {
        return chunks[i >>> SHIFT][i & ((1 << SHIFT) - 1)];
    }
}
