package dev.leakproof.internal.bench;

import dev.leakproof.internal.gc.UsedHeap;
import dev.leakproof.internal.heap.ClassHistogram;
import dev.leakproof.internal.os.ResidentMemory;
import dev.leakproof.internal.trace.HeapDump;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.trace.MappedHprofFile;
import dev.leakproof.internal.trace.SharkAnalysis;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.tracking.TrackedObject;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Test-only bridge for the benchmarks in {@code dev.leakproof.internal.bench}: the few package-private
 * internals they measure (the tracker's own references, its survivors, {@link LeakTraces#find}),
 * without making them public in main code.
 *
 * <pre>{@code
 * ConnectionTracker tracker = new ConnectionTracker();
 * // ... drive connections through a fixture server observed by the tracker ...
 * int held = BenchmarkAccess.liveReferences(tracker);
 * }</pre>
 */
public final class BenchmarkAccess {

    private BenchmarkAccess() {
    }

    /** References the tracker holds right now (collected or not, until it expunges them). */
    public static int liveReferences(ConnectionTracker tracker) {
        return tracker.liveReferences();
    }

    /** Drops references the reference queue reported, as the tracker does on each new connection. */
    public static int expunge(ConnectionTracker tracker) {
        return tracker.expunge();
    }

    /** Drops every reference whose object was collected, enqueued or not, as the verdict does. */
    public static int expungeCleared(ConnectionTracker tracker) {
        return tracker.expungeCleared();
    }

    /** Per-connection objects tracked since the tracker was created (it is never retired here). */
    public static long objectsTracked(ConnectionTracker tracker) {
        return tracker.objectsInWindow();
    }

    /** Connections tracked since the tracker was created. */
    public static long connectionsTracked(ConnectionTracker tracker) {
        return tracker.connectionsInWindow();
    }

    /** Resident set size, as the step load reads it (-1 where unknown). */
    public static long residentSetBytes() {
        return ResidentMemory.bytes();
    }

    /** A live class histogram as the growth check takes it: {instances, bytes} by JVM class name. */
    public static java.util.Map<String, long[]> classHistogram() {
        ClassHistogram histogram = ClassHistogram.take();
        java.util.Map<String, long[]> byClass = new java.util.LinkedHashMap<>();
        for (String name : histogram.classes()) {
            byClass.put(name, new long[] {histogram.instances(name), histogram.bytes(name)});
        }
        return byClass;
    }

    /** Used heap after two forced full GCs, as the retained-size measurement reads it. */
    public static long usedHeapAfterFullGc() {
        return UsedHeap.afterFullGc();
    }

    /** What {@link LeakTraces#find} reported, in public types. */
    public record Traces(int survivors, int traced, int leakingObjects, List<String> signatures, String skipped,
            long dumpMillis, long analysisMillis, long dumpBytes, String description) {
    }

    /**
     * Runs the verdict's leak-trace step on the tracker's current survivors: a live heap dump and its
     * Shark analysis. The dump is deleted afterwards; its size is reported.
     */
    public static Traces findLeakTraces(ConnectionTracker tracker, String label, Duration timeout) {
        List<TrackedObject> survivors = tracker.survivors();
        LeakTraces.Result result = LeakTraces.find(survivors, label, List.of(), timeout, true);
        long bytes = 0;
        if (result.keptDump() != null) {
            try {
                bytes = Files.size(result.keptDump());
                Files.deleteIfExists(result.keptDump());
            } catch (IOException e) {
                result.keptDump().toFile().deleteOnExit();
            }
        }
        List<String> signatures = result.signatures().stream()
                .map(s -> s.count() + (s.count() == 1 ? " instance: " : " instances: ") + s.path()
                        + "   (GC root: " + s.gcRoot() + ")")
                .toList();
        LeakTraces.Result withoutDump = new LeakTraces.Result(result.signatures(), result.leakingObjects(),
                result.skipped(), null, result.dumpMillis(), result.analysisMillis());
        return new Traces(survivors.size(), LeakTraces.representatives(survivors).size(), result.leakingObjects(),
                signatures, result.skipped(), result.dumpMillis(), result.analysisMillis(), bytes,
                LeakTraces.describe(withoutDump));
    }

    /** One Shark analysis of a dump: which reader, its total time, and the time of each Shark step. */
    public record ReaderRun(String reader, long analysisMillis, java.util.Map<String, Long> stepMillis,
            int leakingObjects, String skipped) {
    }

    /**
     * Dumps the heap once, as a verdict would with the tracker's current survivors, then analyses that
     * same dump with each reader in {@code order} ("file": Shark's own {@code FileSourceProvider};
     * "mapped": {@link MappedHprofFile}, what the verdict uses), timing Shark's steps; "opening" is the
     * indexing of the dump before the first step. The dump is deleted afterwards.
     */
    public static List<ReaderRun> compareReaders(ConnectionTracker tracker, String label, Duration timeout,
            List<String> order) throws IOException {
        java.nio.file.Path dump = HeapDump.take(LeakTraces.representatives(tracker.survivors()), label);
        try {
            List<ReaderRun> runs = new java.util.ArrayList<>();
            for (String reader : order) {
                shark.DualSourceProvider source = switch (reader) {
                    case "file" -> new shark.FileSourceProvider(dump.toFile());
                    case "mapped" -> new MappedHprofFile(dump);
                    default -> throw new IllegalArgumentException("unknown reader " + reader);
                };
                java.util.Map<String, Long> steps = new java.util.LinkedHashMap<>();
                long start = System.nanoTime();
                long[] last = {start};
                String[] current = {"opening"};
                LeakTraces.Result result = SharkAnalysis.analyse(dump, source, List.of(), timeout, step -> {
                    long now = System.nanoTime();
                    steps.merge(current[0], now - last[0], Long::sum);
                    current[0] = step.name();
                    last[0] = now;
                });
                long end = System.nanoTime();
                steps.merge(current[0], end - last[0], Long::sum);
                steps.replaceAll((step, nanos) -> nanos / 1_000_000);
                runs.add(new ReaderRun(reader, (end - start) / 1_000_000, steps, result.leakingObjects(),
                        result.skipped()));
            }
            return runs;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
