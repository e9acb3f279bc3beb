package dev.leakproof.internal.growth;

import dev.leakproof.internal.heap.ClassHistogram;
import org.apiguardian.api.API;

/**
 * Every resource of this JVM at one point of a repeated action: live instances per class after a
 * full GC, connections open at the fixture server, threads, file descriptors, scheduled tasks on
 * the fixture's event loops, and tracked objects still alive.
 *
 * <pre>{@code
 * ResourcePoint point = meter.measure(75);
 * int threads = point.threads().count();
 * }</pre>
 *
 * @param repetitions repetitions of the action done when it was taken
 * @param classes the live class histogram
 * @param internedStrings strings the JVM had interned when the histogram was taken ({@code InternedStrings}), or -1
 * @param openConnections connections open at the fixture server (0 without one)
 * @param threads live threads, the built-in and user allowlists left out
 * @param fileDescriptors open file descriptors (counted before the GC, which would close unreachable streams)
 * @param scheduledTasks tasks pending on the fixture server's event loops
 * @param trackedObjects tracked objects alive after the GC
 * @param atNanos when the measurement began ({@link System#nanoTime()}): what grows with time, not
 *     with the repetitions, is told apart by it
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ResourcePoint(int repetitions, ClassHistogram classes, long internedStrings, long openConnections, Threads threads,
        long fileDescriptors, long scheduledTasks, long trackedObjects, long atNanos) {

    /**
     * Threads as ids and names in two arrays: not the threads (holding a thread that ends would keep
     * what it ran alive), and not a map, whose entries would be live objects in the next point's
     * histogram and grow with the threads.
     */
    public record Threads(long[] ids, String[] names) {

        public int count() {
            return ids.length;
        }

        /** Names of the threads here that {@code before} did not have, sorted. */
        public java.util.List<String> startedSince(Threads before) {
            java.util.Set<Long> old = new java.util.HashSet<>();
            for (long id : before.ids) {
                old.add(id);
            }
            java.util.List<String> started = new java.util.ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (!old.contains(ids[i])) {
                    started.add(names[i]);
                }
            }
            started.sort(null);
            return started;
        }
    }
}
