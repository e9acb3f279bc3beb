package dev.leakproof.internal.trace;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.config.ReferenceSpec;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.tracking.TrackedConnection;
import dev.leakproof.internal.tracking.TrackedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The reference path from a GC root to each leaked object, the way LeakCanary shows it: a live
 * heap dump taken in-process ({@link HeapDump}), analysed on Leakproof's index of it
 * ({@link IndexAnalysis}), which finds Shark's paths. Paths of the same shape are grouped, so a
 * thousand leaks of one bug read as one signature.
 *
 * <pre>{@code
 * LeakTraces.Result traces = LeakTraces.find(survivors, testClass, List.of(), Duration.ofSeconds(30), false);
 * String text = LeakTraces.describe(traces);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LeakTraces {

    private static final int MAX_SIGNATURES = 5;

    /**
     * One group of leak traces with the same path shape.
     *
     * @param count objects held this way
     * @param path the path from the GC root, as one line
     * @param gcRoot what kind of root holds it ({@code static field}, {@code Thread object}...)
     * @param accepted whether the path goes through a reference the user accepted as held by design
     * @param holder the first class on the path, from the root, that is not the JDK's (full name):
     *     whose code holds the objects; empty when unknown
     * @param rootReference the reference at the root, as {@code acceptedLeaks} takes it:
     *     {@code static com.example.Registry#SESSIONS}; empty when the root is not a field
     */
    public record Signature(int count, String path, String gcRoot, boolean accepted, String holder,
            String rootReference, GrowingCollection collection) {

        public Signature(int count, String path, String gcRoot, boolean accepted, String holder, String rootReference) {
            this(count, path, gcRoot, accepted, holder, rootReference, null);
        }

        public Signature(int count, String path, String gcRoot) {
            this(count, path, gcRoot, false, "", "");
        }
    }

    /**
     * What the analysis found, or why there is no trace.
     *
     * @param pendingReleaseNanos when a one-shot task pending in the heap could still release the
     *     objects before the grace period ends: the {@link System#nanoTime()} it is due by; else 0
     * @param retainedBuffers Netty reference-counted buffers with a count above zero that the leaked
     *     objects hold (Netty's detector cannot report a buffer that is still reachable)
     */
    public record Result(List<Signature> signatures, int leakingObjects, String skipped, Path keptDump, long dumpMillis,
            long analysisMillis, long pendingReleaseNanos, int retainedBuffers, List<String> tracedClasses)
            implements Evidence {

        public Result(List<Signature> signatures, int leakingObjects, String skipped, Path keptDump, long dumpMillis,
                long analysisMillis, long pendingReleaseNanos, int retainedBuffers) {
            this(signatures, leakingObjects, skipped, keptDump, dumpMillis, analysisMillis, pendingReleaseNanos,
                    retainedBuffers, List.of());
        }

        /** The classes whose instances were traced (a growth's), for telling how many of them Shark explained. */
        Result withTracedClasses(List<String> classes) {
            return new Result(signatures, leakingObjects, skipped, keptDump, dumpMillis, analysisMillis, pendingReleaseNanos,
                    retainedBuffers, List.copyOf(classes));
        }

        public Result(List<Signature> signatures, int leakingObjects, String skipped, Path keptDump, long dumpMillis,
                long analysisMillis) {
            this(signatures, leakingObjects, skipped, keptDump, dumpMillis, analysisMillis, 0, 0);
        }

        Result withRetainedBuffers(int buffers) {
            return new Result(signatures, leakingObjects, skipped, keptDump, dumpMillis, analysisMillis,
                    pendingReleaseNanos, buffers);
        }

        public static Result skipped(String reason) {
            return new Result(List.of(), 0, reason, null, 0, 0);
        }

        Result withPendingRelease(long dueNanos) {
            return new Result(signatures, leakingObjects, skipped, keptDump, dumpMillis, analysisMillis, dueNanos,
                    retainedBuffers);
        }

        /** The most common path not accepted by design, or {@code null} when there is none. */
        public String topPath() {
            return topSignature() == null ? null : topSignature().path();
        }

        /** The most common signature not accepted by design, or {@code null} when there is none. */
        public Signature topSignature() {
            return signatures.stream().filter(s -> !s.accepted()).findFirst().orElse(null);
        }

        /**
         * Led by a growing collection: its signatures and the others that hold at least a tenth as
         * many objects. A dump tells no object's age, so a class's instances from before the growth
         * (a library's own, the fixture's) are traced with it, a few by each of their own paths; and
         * none held by Leakproof's fixture is the user's leak.
         */
        public Result focused() {
            List<Signature> notFixtures = signatures.stream().filter(s -> !s.path().contains("TlsFixtureServer")
                    && !s.holder().startsWith("dev.leakproof.fixture.")).toList();
            Signature top = notFixtures.stream().filter(s -> !s.accepted()).findFirst().orElse(null);
            if (top == null) {
                return this;
            }
            List<Signature> kept = notFixtures.stream().filter(s -> s == top || top.collection() == null
                    || 10 * s.count() >= top.count()).toList();
            int left = signatures.stream().filter(s -> !kept.contains(s)).mapToInt(Signature::count).sum();
            return new Result(kept, leakingObjects - left, skipped, keptDump, dumpMillis, analysisMillis, pendingReleaseNanos,
                    retainedBuffers, tracedClasses);
        }

        /** The growing collections the signatures lead to, most objects first. */
        public List<GrowingCollection> collections() {
            return signatures.stream().map(Signature::collection).filter(java.util.Objects::nonNull).distinct().toList();
        }

        /** Objects whose every path goes through a reference accepted by design. */
        public int acceptedObjects() {
            return signatures.stream().filter(Signature::accepted).mapToInt(Signature::count).sum();
        }

        @Override
        public void json(JsonWriter json) {
            LeakTraceReport.json(this, json);
        }

        @Override
        public void html(StringBuilder html, Place place) {
            LeakTraceReport.html(this, html, place);
        }
    }

    private LeakTraces() {
    }

    /**
     * How a trace is taken: references to pass by or to accept, the time limit, whether the dump is
     * kept, and until when a pending one-shot task could still release the objects (0: not asked).
     */
    public record Options(List<ReferenceSpec> ignored, List<ReferenceSpec> accepted, Duration timeout, boolean keepDump,
            long releaseDeadlineNanos) {

        public Options(List<ReferenceSpec> ignored, List<ReferenceSpec> accepted, Duration timeout, boolean keepDump) {
            this(ignored, accepted, timeout, keepDump, 0);
        }
    }

    /** Dumps the heap, analyses it within the time limit, and deletes the dump unless it is to be kept. */
    public static Result find(List<TrackedObject> survivors, String testClass, Options options) {
        List<TrackedObject> representatives = representatives(survivors);
        return traced(testClass, representatives, Targets.SUSPECTS, options);
    }

    /** As {@link #find(List, String, Options)}, with no reference accepted by design. */
    public static Result find(List<TrackedObject> survivors, String testClass, List<ReferenceSpec> userIgnored,
            Duration timeout, boolean keepDump) {
        return find(survivors, testClass, new Options(userIgnored, List.of(), timeout, keepDump));
    }

    /**
     * The paths that hold the instances of {@code classNames} (at most {@code maxPerClass} of each):
     * where a class whose count grows keeps its instances.
     */
    public static Result findInstances(List<String> classNames, int maxPerClass, String testClass, Options options) {
        return traced(testClass, List.of(), Targets.instancesOf(classNames, maxPerClass), options)
                .withTracedClasses(classNames);
    }

    private static Result traced(String testClass, List<TrackedObject> suspects, Targets targets, Options options) {
        Path dump;
        long dumpStart = System.nanoTime();
        try {
            dump = HeapDump.take(suspects, testClass);
        } catch (IOException | RuntimeException e) {
            return Result.skipped("the heap dump failed: " + e.getMessage());
        }
        long dumpMillis = Duration.ofNanos(System.nanoTime() - dumpStart).toMillis();
        boolean keepDump = options.keepDump();
        try {
            Result result = analyseDump(dump, targets, options, dumpStart);
            if (SharkCrossCheck.enabled()) {
                SharkCrossCheck.compare(dump, targets, options, dumpStart, result, testClass);
            }
            return new Result(result.signatures(), result.leakingObjects(), result.skipped(), keepDump ? dump : null,
                    dumpMillis, result.analysisMillis(), result.pendingReleaseNanos(), result.retainedBuffers());
        } finally {
            if (!keepDump) {
                try {
                    Files.deleteIfExists(dump);
                } catch (IOException e) {
                    dump.toFile().deleteOnExit();
                }
            }
        }
    }

    /**
     * Analyses a dump {@link HeapDump} took ({@code dumpStart}: its {@link System#nanoTime()} when
     * it began, for pending tasks' due times); the result's {@code analysisMillis} is this call's time.
     */
    public static Result analyseDump(Path dump, Targets targets, Options options, long dumpStart) {
        long analysisStart = System.nanoTime();
        Result result = IndexAnalysis.analyse(dump, targets, new SharkAnalysis.Matchers(options.ignored(), options.accepted()),
                options.timeout(), dumpStart, options.releaseDeadlineNanos());
        return new Result(result.signatures(), result.leakingObjects(), result.skipped(), null, 0,
                Duration.ofNanos(System.nanoTime() - analysisStart).toMillis(), result.pendingReleaseNanos(),
                result.retainedBuffers());
    }

    static boolean ledByNativeRoots(Result result) {
        return result.skipped() == null && result.topSignature() != null
                && result.topSignature().gcRoot().equals("Global variable in native code");
    }

    /**
     * One survivor per leaked connection: the one a person would look at first (the session object
     * they registered, then their own handlers, Netty's, the engine, the channel), the same choice
     * for every connection. Every object of a leaked connection hangs off the same root, each by a
     * different branch; tracing them all would print one bug as several signatures. Objects the test
     * registered on their own are all traced.
     */
    public static List<TrackedObject> representatives(List<TrackedObject> survivors) {
        Comparator<TrackedObject> firstLook = Comparator
                .comparing((TrackedObject o) -> !o.registeredByUser())
                .thenComparingInt(o -> ClassNames.readingRank(o.className()))
                .thenComparing(TrackedObject::className);
        Map<TrackedConnection, TrackedObject> best = new IdentityHashMap<>();
        List<TrackedObject> result = new ArrayList<>();
        for (TrackedObject s : survivors) {
            if (s.connection() == null) {
                result.add(s);
            } else {
                best.merge(s.connection(), s, (a, b) -> firstLook.compare(b, a) < 0 ? b : a);
            }
        }
        result.addAll(best.values());
        return result;
    }

    /** The finding's text: the grouped paths, or why there are none. */
    public static String describe(Result result) {
        if (result.skipped() != null) {
            return "Reference path: skipped, " + result.skipped() + ".";
        }
        if (result.signatures().isEmpty()) {
            return "Reference path: no strong path from a GC root (the objects were only weakly "
                    + "reachable when the heap was dumped).";
        }
        StringBuilder text = new StringBuilder("Reference path from a GC root (").append(result.leakingObjects())
                .append(result.leakingObjects() == 1 ? " leaking object, " : " leaking objects, ")
                .append(result.signatures().size()).append(result.signatures().size() == 1 ? " signature" : " signatures")
                .append("; dump ").append(result.dumpMillis()).append(" ms, analysis ").append(result.analysisMillis())
                .append(" ms):");
        result.signatures().stream().limit(MAX_SIGNATURES).forEach(s -> text.append("\n    ").append(s.count())
                .append(s.count() == 1 ? " instance:  " : " instances: ").append(s.path()).append("   (GC root: ")
                .append(s.gcRoot()).append(')').append(LeakTraceReport.alsoHeld(s)));
        if (result.signatures().size() > MAX_SIGNATURES) {
            text.append("\n    and ").append(result.signatures().size() - MAX_SIGNATURES).append(" more signatures");
        }
        if (result.retainedBuffers() > 0) {
            text.append("\n  The leaked objects hold ").append(result.retainedBuffers()).append(result.retainedBuffers() == 1
                    ? " Netty buffer" : " Netty buffers").append(" with a reference count above zero, never released: "
                    + "Netty's leak detector cannot report a buffer while something still references it; release them "
                    + "when the connection closes, and the leak above keeps them too.");
        }
        if (result.keptDump() != null) {
            text.append("\n  Heap dump kept at ").append(result.keptDump().toAbsolutePath());
        }
        return text.toString();
    }
}
