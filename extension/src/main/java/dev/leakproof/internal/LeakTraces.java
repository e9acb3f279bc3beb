package dev.leakproof.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.leakproof.fixture.Durations;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
import shark.HprofIndex;
import shark.IgnoredReferenceMatcher;
import shark.Leak;
import shark.LeakTrace;
import shark.LeakTraceReference;
import shark.LeakingObjectFinder;
import shark.ObjectInspector;
import shark.OnAnalysisProgressListener;
import shark.ReferenceMatcher;
import shark.ReferencePattern;

/**
 * The reference path from a GC root to each leaked object, the way LeakCanary shows it: a live
 * heap dump taken in-process, analysed with Shark. Paths of the same shape are grouped, so a
 * thousand leaks of one bug read as one signature.
 */
final class LeakTraces {

    static final Path DUMP_DIRECTORY = Path.of("target", "leak-reports", "heap-dumps");
    private static final int MAX_SIGNATURES = 5;
    private static final int MAX_PATH_ELEMENTS = 12;
    private static final AtomicInteger DUMPS = new AtomicInteger();

    /**
     * This verdict's survivors while the heap is dumped, so the analysis finds them by one static field
     * read instead of a scan over every instance in the dump. The array holds the tracker's weak
     * references, not the survivors: it adds no strong path.
     */
    private static volatile TrackedObject[] suspects;

    /**
     * By design, not leaks: a weak, soft, phantom or final reference does not keep its referent
     * alive (this covers the JDK's TLS session caches, the finalizer queue, cleaners and the
     * detector's own weak references).
     */
    static final List<ReferenceMatcher> BUILT_IN_IGNORED = List.of(
            new IgnoredReferenceMatcher(new ReferencePattern.InstanceFieldPattern("java.lang.ref.Reference", "referent")));

    /** One group of leak traces with the same path shape. */
    record Signature(int count, String path, String gcRoot) {
    }

    /** What the analysis found, or why there is no trace. */
    record Result(List<Signature> signatures, int leakingObjects, String skipped, Path keptDump, long dumpMillis,
            long analysisMillis) {
    }

    private LeakTraces() {
    }

    static Result find(List<TrackedObject> survivors, String testClass, List<ReferenceMatcher> userIgnored,
            Duration timeout, boolean keepDump) {
        survivors = representatives(survivors);
        Path dump;
        long dumpStart = System.nanoTime();
        try {
            dump = dumpHeap(survivors, testClass);
        } catch (IOException | RuntimeException e) {
            return new Result(List.of(), 0, "the heap dump failed: " + e.getMessage(), null, 0, 0);
        }
        long dumpMillis = Duration.ofNanos(System.nanoTime() - dumpStart).toMillis();
        long analysisStart = System.nanoTime();
        try {
            Result result = analyse(dump, userIgnored, timeout);
            return new Result(result.signatures(), result.leakingObjects(), result.skipped(), keepDump ? dump : null,
                    dumpMillis, Duration.ofNanos(System.nanoTime() - analysisStart).toMillis());
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
     * One survivor per leaked connection: the one a person would look at first (the session object
     * they registered, then their own handlers, Netty's, the engine, the channel), the same choice
     * for every connection. Every object of a leaked connection hangs off the same root, each by a
     * different branch; tracing them all would print one bug as several signatures. Objects the test
     * registered on their own are all traced.
     */
    static List<TrackedObject> representatives(List<TrackedObject> survivors) {
        java.util.Comparator<TrackedObject> firstLook = java.util.Comparator
                .comparing((TrackedObject o) -> !o.registeredByUser())
                .thenComparingInt(o -> Survivors.rank(o.className))
                .thenComparing(o -> o.className);
        java.util.Map<TrackedConnection, TrackedObject> best = new java.util.IdentityHashMap<>();
        List<TrackedObject> result = new ArrayList<>();
        for (TrackedObject s : survivors) {
            if (s.connection == null) {
                result.add(s);
            } else {
                best.merge(s.connection, s, (a, b) -> firstLook.compare(b, a) < 0 ? b : a);
            }
        }
        result.addAll(best.values());
        return result;
    }

    static Path dumpHeap(List<TrackedObject> survivors, String testClass) throws IOException {
        Files.createDirectories(DUMP_DIRECTORY);
        Path dump = DUMP_DIRECTORY.resolve(testClass + "-" + ProcessHandle.current().pid() + "-"
                + DUMPS.incrementAndGet() + ".hprof");
        Files.deleteIfExists(dump);
        synchronized (LeakTraces.class) {
            suspects = survivors.toArray(TrackedObject[]::new);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
            } finally {
                suspects = null;
            }
        }
        try {
            // A heap dump holds everything the test JVM held: readable by its owner only.
            Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
        return dump;
    }

    private static Result analyse(Path dump, List<ReferenceMatcher> userIgnored, Duration timeout) {
        return analyse(dump, new MappedHprofFile(dump), userIgnored, timeout, step -> { });
    }

    /**
     * Shark's analysis of a dump taken by {@link #dumpHeap}, on a thread of its own, within the time
     * limit, read through {@code source}. {@code steps} hears Shark's progress (the benchmark times
     * the steps with it).
     */
    static Result analyse(Path dump, DualSourceProvider source, List<ReferenceMatcher> userIgnored, Duration timeout,
            OnAnalysisProgressListener steps) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Shark cannot be interrupted mid-step; it is asked to stop at the next step after the deadline.
        OnAnalysisProgressListener stopAtDeadline = step -> {
            steps.onAnalysisProgress(step);
            if (System.nanoTime() > deadline) {
                throw new CancellationException("leak trace analysis passed its time limit");
            }
        };
        List<ReferenceMatcher> matchers = new ArrayList<>(BUILT_IN_IGNORED);
        matchers.addAll(userIgnored);
        CompletableFuture<HeapAnalysis> analysis = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                HeapAnalysis result;
                try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(source, null,
                        HprofIndex.Companion.defaultIndexedGcRootTags())) {
                    // Shark first scans every instance for LeakCanary's KeyedWeakReference (an Android
                    // watcher this heap never has), unless the graph's context already holds the answer.
                    // Saves a pass over the heap (0.2-0.3 s at 256 MiB); should the key change, Shark
                    // scans again and the answer is the same.
                    graph.getContext().set("KEYED_WEAK_REFERENCE", List.of());
                    result = new HeapAnalyzer(stopAtDeadline).analyze(dump.toFile(), graph, SURVIVORS, matchers,
                            false, List.<ObjectInspector>of(), shark.MetadataExtractor.Companion.getNO_OP());
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
                return skipped(cause instanceof CancellationException
                        ? "the analysis passed its time limit of " + Durations.format(timeout)
                        : "Shark could not analyse the heap dump: " + failure.getException().getMessage());
            }
            return signatures((HeapAnalysisSuccess) result);
        } catch (TimeoutException e) {
            return skipped("the analysis passed its time limit of " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted");
        } catch (ExecutionException e) {
            return skipped("Shark failed: " + e.getCause());
        }
    }

    private static Result skipped(String reason) {
        return new Result(List.of(), 0, reason, null, 0, 0);
    }

    /** Finds this verdict's survivors in the dump: the referents of the references in {@link #suspects}. */
    private static final LeakingObjectFinder SURVIVORS = (HeapGraph graph) -> {
        Set<Long> ids = new HashSet<>();
        HeapObject.HeapClass traces = graph.findClassByName(LeakTraces.class.getName());
        HeapField field = traces == null ? null : traces.get("suspects");
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

    private static Result signatures(HeapAnalysisSuccess success) {
        List<Signature> signatures = new ArrayList<>();
        int objects = 0;
        List<Leak> leaks = new ArrayList<>(success.getApplicationLeaks());
        leaks.addAll(success.getLibraryLeaks());
        leaks.sort((a, b) -> Integer.compare(b.getLeakTraces().size(), a.getLeakTraces().size()));
        for (Leak leak : leaks) {
            objects += leak.getLeakTraces().size();
            LeakTrace trace = leak.getLeakTraces().get(0);
            boolean fromStatic = trace.getReferencePath().stream()
                    .anyMatch(r -> r.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD);
            signatures.add(new Signature(leak.getLeakTraces().size(), path(trace),
                    fromStatic ? "static field" : trace.getGcRootType().getDescription()));
        }
        return new Result(signatures, objects, null, null, 0, 0);
    }

    /** {@code static LeakRegistry.CONNECTIONS -> ArrayList.elementData[] -> ChatSession.handler -> SslHandler}. */
    static String path(LeakTrace trace) {
        List<LeakTraceReference> references = trace.getReferencePath();
        // A static field is the root a person knows: what leads to its class (the class loader) is noise.
        int start = 0;
        for (int i = references.size() - 1; i >= 0; i--) {
            if (references.get(i).getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD) {
                start = i;
                break;
            }
        }
        List<String> parts = new ArrayList<>();
        for (LeakTraceReference ref : references.subList(start, references.size())) {
            String owner = readable(ref.getOriginObject().getClassName());
            switch (ref.getReferenceType()) {
                case STATIC_FIELD -> parts.add("static " + readable(ref.getOwningClassName()) + "." + ref.getReferenceName());
                case INSTANCE_FIELD -> parts.add(owner + "." + ref.getReferenceName());
                case ARRAY_ENTRY -> {
                    // "ArrayList.elementData" then "Object[][12]" read better as "ArrayList.elementData[]"
                    if (!parts.isEmpty() && !parts.get(parts.size() - 1).endsWith("]")) {
                        parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[]");
                    } else {
                        parts.add(owner + "[]");
                    }
                }
                case LOCAL -> parts.add("local variable of thread " + owner);
                default -> parts.add(owner + "." + ref.getReferenceName());
            }
        }
        parts.add(readable(trace.getLeakingObject().getClassName()));
        if (parts.size() > MAX_PATH_ELEMENTS) {
            int keep = MAX_PATH_ELEMENTS / 2;
            List<String> shortened = new ArrayList<>(parts.subList(0, keep));
            shortened.add("... " + (parts.size() - 2 * keep + 1) + " more ...");
            shortened.addAll(parts.subList(parts.size() - keep + 1, parts.size()));
            parts = shortened;
        }
        return String.join(" -> ", parts);
    }

    /** Simple class name, with lambda classes named by their host class only (their numbers change per run). */
    static String readable(String className) {
        return ClassNames.simple(className).replaceAll("\\$\\$Lambda[$/+0-9a-fx]*", "\\$\\$Lambda");
    }

    static String describe(Result result) {
        if (result.skipped() != null) {
            return "Reference path: skipped, " + result.skipped() + ".";
        }
        if (result.signatures().isEmpty()) {
            return "Reference path: Shark found no strong path from a GC root (the objects were only weakly "
                    + "reachable when the heap was dumped).";
        }
        StringBuilder text = new StringBuilder("Reference path from a GC root (Shark: ").append(result.leakingObjects())
                .append(result.leakingObjects() == 1 ? " leaking object, " : " leaking objects, ")
                .append(result.signatures().size()).append(result.signatures().size() == 1 ? " signature" : " signatures")
                .append("; dump ").append(result.dumpMillis()).append(" ms, analysis ").append(result.analysisMillis())
                .append(" ms):");
        result.signatures().stream().limit(MAX_SIGNATURES).forEach(s -> text.append("\n    ").append(s.count())
                .append(s.count() == 1 ? " instance:  " : " instances: ").append(s.path()).append("   (GC root: ")
                .append(s.gcRoot()).append(')'));
        if (result.signatures().size() > MAX_SIGNATURES) {
            text.append("\n    and ").append(result.signatures().size() - MAX_SIGNATURES).append(" more signatures");
        }
        if (result.keptDump() != null) {
            text.append("\n  Heap dump kept at ").append(result.keptDump().toAbsolutePath());
        }
        return text.toString();
    }

    /** Parses user patterns: {@code static com.example.Registry#CACHE} or {@code com.example.Session#listener}. */
    static List<ReferenceMatcher> parseIgnored(List<String> patterns) {
        return patterns.stream().map(p -> {
            boolean isStatic = p.startsWith("static ");
            String spec = isStatic ? p.substring("static ".length()).strip() : p.strip();
            int hash = spec.indexOf('#');
            if (hash <= 0 || hash == spec.length() - 1) {
                throw new IllegalArgumentException("'" + p + "' is not a reference: use com.example.Owner#field or "
                        + "static com.example.Owner#FIELD");
            }
            String owner = spec.substring(0, hash);
            String field = spec.substring(hash + 1);
            ReferencePattern pattern = isStatic ? new ReferencePattern.StaticFieldPattern(owner, field)
                    : new ReferencePattern.InstanceFieldPattern(owner, field);
            return (ReferenceMatcher) new IgnoredReferenceMatcher(pattern);
        }).collect(Collectors.toList());
    }

}
