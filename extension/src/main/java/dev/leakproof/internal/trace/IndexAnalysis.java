package dev.leakproof.internal.trace;

import dev.leakproof.fixture.Durations;
import dev.leakproof.internal.config.ReferenceSpec;
import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofIndex;
import dev.leakproof.internal.hprof.PathSearch;
import dev.leakproof.internal.hprof.ReferenceRules;
import dev.leakproof.internal.hprof.References;
import dev.leakproof.internal.hprof.ThreadLocals;
import dev.leakproof.internal.hprof.UnsupportedHprofException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import shark.Leak;

/**
 * The analysis of a dump {@link HeapDump} took, over Leakproof's own index of the memory-mapped file
 * ({@link HprofIndex}): the paths Shark would find, found by the same rules without Shark's index of
 * the whole heap, then the growing collections, the Netty buffers the objects hold and the pending
 * tasks that could still release them, all read on the same index. On a thread of its own, within
 * the time limit; a dump the index does not read (not HotSpot's) goes to Shark.
 *
 * <pre>{@code
 * LeakTraces.Result result = IndexAnalysis.analyse(dump, Targets.SUSPECTS, matchers, Duration.ofSeconds(30), 0, 0);
 * }</pre>
 */
final class IndexAnalysis {

    private IndexAnalysis() {
    }

    /** What one search found: Shark's leaks and their signatures. */
    private record Found(List<Leak> leaks, LeakTraces.Result result, boolean cancelled) {
    }

    static LeakTraces.Result analyse(Path dump, Targets targets, SharkAnalysis.Matchers references, Duration timeout,
            long dumpedAtNanos, long releaseDeadlineNanos) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<LeakTraces.Result> analysis = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                analysis.complete(analyseNow(dump, targets, references, () -> System.nanoTime() > deadline,
                        dumpedAtNanos, releaseDeadlineNanos, timeout));
            } catch (Throwable t) {
                analysis.completeExceptionally(t);
            }
        }, "leakproof-leak-trace");
        worker.setDaemon(true);
        worker.start();
        try {
            return analysis.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return LeakTraces.Result.skipped("the analysis passed its time limit of " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LeakTraces.Result.skipped("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedHprofException) {
                return SharkAnalysis.analyse(dump, new MappedHprofFile(dump), targets.classNames() == null
                        ? SharkAnalysis.SUSPECTS : SharkAnalysis.instancesOf(targets.classNames(), targets.maxPerClass()),
                        references, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), step -> { }, dumpedAtNanos,
                        releaseDeadlineNanos);
            }
            return LeakTraces.Result.skipped(SharkAnalysis.outOfMemory(e) ? SharkAnalysis.outOfMemoryAdvice(dump)
                    : "the heap dump analysis failed: " + e.getCause());
        }
    }

    private static LeakTraces.Result analyseNow(Path dump, Targets targets, SharkAnalysis.Matchers references,
            BooleanSupplier late, long dumpedAtNanos, long releaseDeadlineNanos, Duration timeout) {
        List<String> collect = new ArrayList<>(TargetIds.classesToCollect(targets));
        collect.addAll(PendingReleases.CLASSES);
        LeakTraces.Result result;
        // Completed once the index is closed: its tables are as large as the heap's object count, and a
        // verdict dumping again right away would find them alive on this thread's stack.
        try (HprofIndex index = HprofIndex.open(dump, collect)) {
            HeapView heap = new HeapView(index);
            Set<Long> ids = TargetIds.of(heap, targets);
            ThreadLocals locals = new ThreadLocals(index);
            References reader = new References(index, rules(references), locals);
            Found found = search(index, heap, reader, locals, ids, false, late);
            if (!found.cancelled() && ledByNativeRoots(found.result())) {
                // Native code's global references (an OpenSSL context's callbacks) are the shortest way to
                // objects whose native owner a Java object keeps alive: the path a person can act on
                // starts at a Java root, so the search runs again without the native ones; kept when Java
                // roots explain most of them.
                Found javaRooted = search(index, heap, reader, locals, ids, true, late);
                if (!javaRooted.cancelled()
                        && 2 * javaRooted.result().leakingObjects() >= found.result().leakingObjects()) {
                    found = javaRooted;
                }
            }
            if (found.cancelled()) {
                return LeakTraces.Result.skipped("the analysis passed its time limit of " + Durations.format(timeout));
            }
            int buffers = RetainedBuffers.count(heap, ids);
            LeakTraces.Result traced = Signatures.of(found.leaks(), Culprits.find(heap, Signatures.traces(found.leaks())))
                    .withRetainedBuffers(buffers);
            long pending = releaseDeadlineNanos > 0 ? PendingReleases.latestDue(heap, dumpedAtNanos, releaseDeadlineNanos) : 0;
            result = pending == 0 ? traced : traced.withPendingRelease(pending);
        }
        return result;
    }

    private static Found search(HprofIndex index, HeapView heap, References reader, ThreadLocals locals, Set<Long> ids,
            boolean javaRootsOnly, BooleanSupplier late) {
        PathSearch.Result paths = PathSearch.find(index, reader, locals, ids, javaRootsOnly, late);
        List<Leak> leaks = IndexTraces.leaks(paths.paths(), reader, heap);
        return new Found(leaks, Signatures.of(leaks, java.util.Map.of()), paths.cancelled());
    }

    private static boolean ledByNativeRoots(LeakTraces.Result result) {
        return result.topSignature() != null && result.topSignature().gcRoot().equals("Global variable in native code");
    }

    /** Shark's built-in rule (a reference's referent is not held by it) and the user's. */
    static ReferenceRules rules(SharkAnalysis.Matchers references) {
        ReferenceRules rules = new ReferenceRules().ignoreInstanceField("java.lang.ref.Reference", "referent");
        for (ReferenceSpec reference : references.ignored()) {
            if (reference.isStatic()) {
                rules.ignoreStaticField(reference.ownerClass(), reference.field());
            } else {
                rules.ignoreInstanceField(reference.ownerClass(), reference.field());
            }
        }
        for (ReferenceSpec reference : references.accepted()) {
            if (reference.isStatic()) {
                rules.acceptStaticField(reference.ownerClass(), reference.field());
            } else {
                rules.acceptInstanceField(reference.ownerClass(), reference.field());
            }
        }
        return rules;
    }
}
