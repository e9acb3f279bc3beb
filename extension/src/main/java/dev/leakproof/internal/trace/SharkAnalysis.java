package dev.leakproof.internal.trace;

import dev.leakproof.fixture.Durations;
import dev.leakproof.internal.config.ReferenceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofIndex;
import dev.leakproof.internal.hprof.UnsupportedHprofException;
import org.apiguardian.api.API;
import shark.CloseableHeapGraph;
import shark.DualSourceProvider;
import shark.HeapAnalysis;
import shark.HeapAnalysisFailure;
import shark.HeapAnalysisSuccess;
import shark.HeapAnalyzer;
import shark.HeapField;
import shark.HeapGraph;
import shark.HeapObject;
import shark.HprofHeapGraph;
import shark.IgnoredReferenceMatcher;
import shark.LeakTrace;
import shark.LibraryLeakReferenceMatcher;
import shark.LeakingObjectFinder;
import shark.ObjectInspector;
import shark.ObjectInspectors;
import shark.OnAnalysisProgressListener;
import shark.ReferenceMatcher;
import shark.ReferencePattern;

/**
 * Shark's analysis of a dump taken by {@link HeapDump}: the shortest strong path from a GC root to
 * each suspect, grouped by path shape, on a thread of its own and within a time limit.
 *
 * <pre>{@code
 * LeakTraces.Result result = SharkAnalysis.analyse(dump, new MappedHprofFile(dump), List.of(),
 *         Duration.ofSeconds(30), step -> { });
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SharkAnalysis {

    /**
     * By design, not leaks: a weak, soft, phantom or final reference does not keep its referent
     * alive (this covers the JDK's TLS session caches, the finalizer queue, cleaners and the
     * detector's own weak references).
     */
    static final List<ReferenceMatcher> BUILT_IN_IGNORED = List.of(
            new IgnoredReferenceMatcher(new ReferencePattern.InstanceFieldPattern("java.lang.ref.Reference", "referent")));

    private SharkAnalysis() {
    }

    /**
     * Analyses {@code dump}, read through {@code source}, within {@code timeout}. {@code steps} hears
     * Shark's progress (the benchmark times the steps with it).
     */
    public static LeakTraces.Result analyse(Path dump, DualSourceProvider source, List<ReferenceSpec> userIgnored,
            Duration timeout, OnAnalysisProgressListener steps) {
        return analyse(dump, source, SUSPECTS, new Matchers(userIgnored, List.of()), timeout, steps);
    }

    /** The references a path search must not follow, and those that hold objects by design (accepted leaks). */
    record Matchers(List<ReferenceSpec> ignored, List<ReferenceSpec> accepted, boolean javaRootsOnly) {

        Matchers(List<ReferenceSpec> ignored, List<ReferenceSpec> accepted) {
            this(ignored, accepted, false);
        }

        /** The GC roots a path may start at: without native code's global references when asked. */
        java.util.Set<shark.HprofRecordTag> rootTags() {
            java.util.Set<shark.HprofRecordTag> tags = java.util.EnumSet.copyOf(shark.HprofIndex.Companion.defaultIndexedGcRootTags());
            if (javaRootsOnly) {
                tags.remove(shark.HprofRecordTag.ROOT_JNI_GLOBAL);
            }
            return tags;
        }

        List<ReferenceMatcher> shark() {
            List<ReferenceMatcher> matchers = new ArrayList<>(BUILT_IN_IGNORED);
            for (ReferenceSpec reference : ignored) {
                matchers.add(new IgnoredReferenceMatcher(pattern(reference)));
            }
            for (ReferenceSpec reference : accepted) {
                matchers.add(new LibraryLeakReferenceMatcher(pattern(reference), ACCEPTED, graph -> true));
            }
            return matchers;
        }
    }

    /** How Shark names the accepted references, so that their signatures can be told apart. */
    static final String ACCEPTED = "accepted by design (acceptedLeaks)";

    /**
     * Analyses {@code dump} with {@code finder} choosing the objects to explain, within
     * {@code timeout}. {@code steps} hears Shark's progress (the benchmark times the steps with it).
     */
    static LeakTraces.Result analyse(Path dump, DualSourceProvider source, LeakingObjectFinder finder,
            Matchers references, Duration timeout, OnAnalysisProgressListener steps) {
        return analyse(dump, source, finder, references, timeout, steps, 0, 0);
    }

    /**
     * As above; when {@code releaseDeadlineNanos} is set, also looks in the dump (taken at
     * {@code dumpedAtNanos}) for one-shot tasks due before it that could still release the objects.
     */
    static LeakTraces.Result analyse(Path dump, DualSourceProvider source, LeakingObjectFinder finder,
            Matchers references, Duration timeout, OnAnalysisProgressListener steps, long dumpedAtNanos,
            long releaseDeadlineNanos) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Shark cannot be interrupted mid-step; it is asked to stop at the next step after the deadline.
        OnAnalysisProgressListener stopAtDeadline = step -> {
            steps.onAnalysisProgress(step);
            if (System.nanoTime() > deadline) {
                throw new CancellationException("leak trace analysis passed its time limit");
            }
        };
        List<ReferenceMatcher> matchers = references.shark();
        CompletableFuture<HeapAnalysis> analysis = new CompletableFuture<>();
        long[] pendingRelease = {0};
        int[] retainedBuffers = {0};
        List<Map<LeakTrace, GrowingCollection>> culprits = new ArrayList<>(List.of(Map.of()));
        Set<Long> found = new HashSet<>();
        LeakingObjectFinder remembering = graph -> {
            Set<Long> ids = finder.findLeakingObjectIds(graph);
            found.addAll(ids);
            return ids;
        };
        Thread worker = new Thread(() -> {
            try {
                HeapAnalysis result;
                try (CloseableHeapGraph graph = new ClassIndexedHeapGraph(HprofHeapGraph.Companion.openHeapGraph(source,
                        null, references.rootTags()))) {
                    // Shark first scans every instance for LeakCanary's KeyedWeakReference (an Android
                    // watcher this heap never has), unless the graph's context already holds the answer.
                    graph.getContext().set("KEYED_WEAK_REFERENCE", List.of());
                    // The thread inspector labels a thread at a path's root with its name.
                    result = new HeapAnalyzer(stopAtDeadline).analyze(dump.toFile(), graph, remembering, matchers,
                            false, List.<ObjectInspector>of(ObjectInspectors.THREAD),
                            shark.MetadataExtractor.Companion.getNO_OP());
                }
                // What the paths only name (the collections, the buffers, pending tasks) is read on
                // Leakproof's index, as the verdict's own analysis reads it; a dump it cannot read has none.
                if (result instanceof HeapAnalysisSuccess success) {
                    try (HprofIndex index = HprofIndex.open(dump, PendingReleases.CLASSES)) {
                        HeapView heap = new HeapView(index);
                        retainedBuffers[0] = RetainedBuffers.count(heap, found);
                        culprits.set(0, Culprits.find(heap, Signatures.traces(Signatures.leaks(success))));
                        if (releaseDeadlineNanos > 0) {
                            pendingRelease[0] = PendingReleases.latestDue(heap, dumpedAtNanos, releaseDeadlineNanos);
                        }
                    } catch (UnsupportedHprofException e) {
                        // paths only
                    }
                }
                // Completed only once the graph is closed and out of this frame: the graph's index is
                // as large as the heap, and a verdict or benchmark dumping again right away would find
                // it alive on this thread's stack.
                analysis.complete(result);
            } catch (Throwable t) {
                analysis.completeExceptionally(t);
            }
        }, "leakproof-leak-trace");
        worker.setDaemon(true);
        worker.start();
        try {
            HeapAnalysis result = analysis.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result instanceof HeapAnalysisFailure failure) {
                Throwable cause = failure.getException().getCause();
                if (outOfMemory(failure.getException())) {
                    return LeakTraces.Result.skipped(outOfMemoryAdvice(dump));
                }
                return LeakTraces.Result.skipped(cause instanceof CancellationException
                        ? "the analysis passed its time limit of " + Durations.format(timeout)
                        : "Shark could not analyse the heap dump: " + failure.getException().getMessage());
            }
            LeakTraces.Result traced = Signatures.of(Signatures.leaks((HeapAnalysisSuccess) result), culprits.get(0))
                    .withRetainedBuffers(retainedBuffers[0]);
            return pendingRelease[0] == 0 ? traced : traced.withPendingRelease(pendingRelease[0]);
        } catch (TimeoutException e) {
            return LeakTraces.Result.skipped("the analysis passed its time limit of " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LeakTraces.Result.skipped("interrupted");
        } catch (ExecutionException e) {
            return LeakTraces.Result.skipped(outOfMemory(e) ? outOfMemoryAdvice(dump) : "Shark failed: " + e.getCause());
        }
    }

    private static ReferencePattern pattern(ReferenceSpec reference) {
        return reference.isStatic() ? new ReferencePattern.StaticFieldPattern(reference.ownerClass(), reference.field())
                : new ReferencePattern.InstanceFieldPattern(reference.ownerClass(), reference.field());
    }

    /** Finds this verdict's survivors in the dump: the referents of the references in {@link HeapDump}'s suspects. */
    static final LeakingObjectFinder SUSPECTS = (HeapGraph graph) -> {
        Set<Long> ids = new HashSet<>();
        HeapObject.HeapClass holder = graph.findClassByName(HeapDump.class.getName());
        HeapField field = holder == null ? null : holder.get(HeapDump.SUSPECTS_FIELD);
        HeapObject array = field == null ? null : field.getValue().getAsObject();
        if (!(array instanceof HeapObject.HeapObjectArray references)) {
            return ids;
        }
        for (long referenceId : references.readRecord().getElementIds()) {
            HeapObject reference = graph.findObjectByIdOrNull(referenceId);
            HeapField referent = reference instanceof HeapObject.HeapInstance instance
                    ? instance.get("java.lang.ref.Reference", "referent") : null;
            Long id = referent == null ? null : referent.getValue().getAsNonNullObjectId();
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    };

    /** The objects of these ids: what Leakproof's index chose, so that Shark explains the same ones. */
    static LeakingObjectFinder ids(Set<Long> ids) {
        return graph -> new HashSet<>(ids);
    }

    static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the path is missing when the analysis did not fit: its index of a dump takes 8 bytes per
     * object (about a sixth of the dump's size) on the heap of the test JVM, Shark's more, on top of
     * what the tests hold. The analysis thread ends with the error and its index is gone, so the
     * tests go on.
     */
    static String outOfMemoryAdvice(Path dump) {
        long dumpMib = dump.toFile().length() >> 20;
        long maxMib = Runtime.getRuntime().maxMemory() >> 20;
        return "the leak-path analysis ran out of memory reading a heap dump of " + dumpMib + " MiB in a test JVM of at most " + maxMib
                + " MiB (-Xmx); give the test JVM more heap (Surefire's argLine) or switch the path off with "
                + "leakproof.leakTrace = false (the verdict does not need it)";
    }

    /**
     * Finds every instance of the named classes (at most {@code maxPerClass} each): the objects a
     * growing class count is made of, to explain where the growth is held.
     */
    static LeakingObjectFinder instancesOf(List<String> classNames, int maxPerClass) {
        return (HeapGraph graph) -> {
            Set<Long> ids = new HashSet<>();
            for (String name : classNames) {
                HeapObject.HeapClass heapClass = graph.findClassByName(name);
                if (heapClass == null) {
                    continue;
                }
                int taken = 0;
                for (java.util.Iterator<HeapObject.HeapInstance> it = heapClass.getInstances().iterator();
                        it.hasNext() && taken < maxPerClass;) {
                    // Read by Shark only when Leakproof's index cannot read the dump: a live server's
                    // listener is not told apart here (TargetIds does on the index).
                    ids.add(it.next().getObjectId());
                    taken++;
                }
            }
            return ids;
        };
    }
}
