package dev.leakproof.internal.hprof;

/**
 * Sorts object ids with their ordinals, for a dump whose objects do not come in address order (ZGC
 * writes them in no order): an in-place quicksort over two primitive arrays, no boxing, no copy.
 */
final class IdSort {

    private static final int SMALL = 16;

    private IdSort() {
    }

    /** Sorts {@code ids} ascending (unsigned) and moves {@code ordinals} with them. */
    static void sort(long[] ids, int[] ordinals) {
        int[] stack = new int[128];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = ids.length - 1;
        while (top > 0) {
            int hi = stack[--top];
            int lo = stack[--top];
            while (hi - lo > SMALL) {
                int mid = (lo + hi) >>> 1;
                // median of three as the pivot, so sorted or reversed runs stay n log n
                if (Long.compareUnsigned(ids[mid], ids[lo]) < 0) {
                    swap(ids, ordinals, mid, lo);
                }
                if (Long.compareUnsigned(ids[hi], ids[lo]) < 0) {
                    swap(ids, ordinals, hi, lo);
                }
                if (Long.compareUnsigned(ids[hi], ids[mid]) < 0) {
                    swap(ids, ordinals, hi, mid);
                }
                long pivot = ids[mid];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (Long.compareUnsigned(ids[i], pivot) < 0) {
                        i++;
                    }
                    while (Long.compareUnsigned(ids[j], pivot) > 0) {
                        j--;
                    }
                    if (i <= j) {
                        swap(ids, ordinals, i++, j--);
                    }
                }
                // the smaller side next, the larger one on the stack: the stack stays O(log n)
                if (j - lo < hi - i) {
                    stack[top++] = i;
                    stack[top++] = hi;
                    hi = j;
                } else {
                    stack[top++] = lo;
                    stack[top++] = j;
                    lo = i;
                }
            }
            for (int k = lo + 1; k <= hi; k++) {
                for (int m = k; m > lo && Long.compareUnsigned(ids[m], ids[m - 1]) < 0; m--) {
                    swap(ids, ordinals, m, m - 1);
                }
            }
        }
    }

    private static void swap(long[] ids, int[] ordinals, int a, int b) {
        long id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        int ordinal = ordinals[a];
        ordinals[a] = ordinals[b];
        ordinals[b] = ordinal;
    }
}
