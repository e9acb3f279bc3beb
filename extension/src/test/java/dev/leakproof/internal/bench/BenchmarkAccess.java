package dev.leakproof.internal.bench;

import dev.leakproof.internal.gc.UsedHeap;
import dev.leakproof.internal.heap.ClassHistogram;
import dev.leakproof.internal.os.ResidentMemory;
import dev.leakproof.internal.trace.HeapDump;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.trace.MappedHprofFile;
import dev.leakproof.internal.trace.SharkAnalysis;
import dev.leakproof.internal.trace.Targets;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.tracking.TrackedObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only bridge for the benchmarks in {@code dev.leakproof.internal.bench}: the few package-private
 * internals they measure (the tracker's own references, its survivors, the leak-trace step's dump
 * and its analysis by the production path and by the Shark reference),
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

    /** A live heap dump of the tracker's survivors, as a failing verdict takes it; delete it with {@link #delete}. */
    public record Dump(Path file, long startNanos, long millis, long bytes) {
    }

    /**
     * Dumps the heap as {@link LeakTraces#find} does before its analysis: {@link HeapDump#take} with
     * one representative survivor per leaked connection.
     */
    public static Dump dump(ConnectionTracker tracker, String label) throws IOException {
        List<TrackedObject> representatives = LeakTraces.representatives(tracker.survivors());
        long start = System.nanoTime();
        Path file = HeapDump.take(representatives, label);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new Dump(file, start, millis, Files.size(file));
    }

    public static void delete(Dump dump) {
        try {
            Files.deleteIfExists(dump.file());
        } catch (IOException e) {
            dump.file().toFile().deleteOnExit();
        }
    }

    /** The analysis engines the benchmark compares on one dump. */
    public static final String PRODUCTION = "production";
    public static final String SHARK = "shark";

    /**
     * One analysis of a dump, in public types: its wall time, what it found, and, for the Shark
     * reference, the time of each of Shark's steps ("opening" indexes the dump).
     */
    public record Analysis(String engine, long millis, int leakingObjects, List<String> signatures, String skipped,
            String description, Map<String, Long> stepMillis) {
    }

    /**
     * Analyses {@code dump} with the production path ({@link LeakTraces#analyseDump}, what a failing
     * verdict runs after its dump) or with the Shark reference ({@link SharkAnalysis} reading the
     * dump through {@link MappedHprofFile}), both asked to explain the verdict's survivors with no
     * reference ignored or accepted.
     */
    public static Analysis analyse(String engine, Dump dump, Duration timeout) {
        Map<String, Long> steps = new LinkedHashMap<>();
        long start = System.nanoTime();
        LeakTraces.Result result;
        if (PRODUCTION.equals(engine)) {
            result = LeakTraces.analyseDump(dump.file(), Targets.SUSPECTS,
                    new LeakTraces.Options(List.of(), List.of(), timeout, false), dump.startNanos());
        } else if (SHARK.equals(engine)) {
            long[] last = {start};
            String[] current = {"opening"};
            result = SharkAnalysis.analyse(dump.file(), new MappedHprofFile(dump.file()), List.of(), timeout, step -> {
                long now = System.nanoTime();
                steps.merge(current[0], now - last[0], Long::sum);
                current[0] = step.name();
                last[0] = now;
            });
            steps.merge(current[0], System.nanoTime() - last[0], Long::sum);
            steps.replaceAll((step, nanos) -> nanos / 1_000_000);
        } else {
            throw new IllegalArgumentException("unknown engine " + engine);
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        List<String> signatures = result.signatures().stream()
                .map(s -> s.count() + (s.count() == 1 ? " instance: " : " instances: ") + s.path()
                        + "   (GC root: " + s.gcRoot() + ")")
                .toList();
        LeakTraces.Result described = new LeakTraces.Result(result.signatures(), result.leakingObjects(),
                result.skipped(), null, dump.millis(), millis);
        return new Analysis(engine, millis, result.leakingObjects(), signatures, result.skipped(),
                LeakTraces.describe(described), steps);
    }
}
