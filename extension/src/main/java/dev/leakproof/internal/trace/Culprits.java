package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;

import dev.leakproof.internal.text.ClassNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shark.LeakTrace;
import shark.LeakTraceReference;

/**
 * The growing collections of an analysis: the traces that enter the same collection the same way
 * are one culprit, however many classes hang off its entries. Read while the heap graph is open,
 * for what the path only names: the entries the collection holds now, its executor's threads,
 * whether the channels it keeps were ever closed.
 *
 * <pre>{@code
 * Map<LeakTrace, GrowingCollection> culprits = Culprits.find(graph, traces);
 * }</pre>
 */
final class Culprits {

    private static final int MAX_KEYS = 3;
    private static final int MAX_ENTRIES_READ = 300;

    /** Keys in the order a person counts them: {@code c9} before {@code c10}. */
    private static final java.util.Comparator<String> NATURAL = java.util.Comparator.comparingInt(String::length)
            .thenComparing(java.util.Comparator.naturalOrder());

    private Culprits() {
    }

    /** Each trace that enters a collection, with the collection it enters (shared by its group). */
    static Map<LeakTrace, GrowingCollection> find(HeapView graph, List<LeakTrace> traces) {
        Map<LeakTrace, CollectionRuns.Run> runs = CollectionRuns.choose(traces);
        Map<String, List<LeakTrace>> groups = new LinkedHashMap<>();
        for (LeakTrace trace : traces) {
            CollectionRuns.Run run = runs.get(trace);
            if (run != null) {
                groups.computeIfAbsent(CollectionRuns.way(trace, run), k -> new ArrayList<>()).add(trace);
            }
        }
        Map<LeakTrace, GrowingCollection> result = new HashMap<>();
        groups.forEach((way, group) -> {
            GrowingCollection collection = collection(graph, way, group, runs);
            group.forEach(t -> result.put(t, collection));
        });
        return result;
    }

    private static GrowingCollection collection(HeapView graph, String way, List<LeakTrace> group,
            Map<LeakTrace, CollectionRuns.Run> runs) {
        LeakTrace first = group.get(0);
        CollectionRuns.Run run = runs.get(first);
        List<LeakTraceReference> refs = first.getReferencePath();
        LeakTraceReference ownerRef = run.from() > 0 ? refs.get(run.from() - 1) : null;
        boolean fieldOwner = ownerRef != null && (ownerRef.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD
                || ownerRef.getReferenceType() == LeakTraceReference.ReferenceType.INSTANCE_FIELD);
        Set<String> entries = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        Map<String, Integer> held = new LinkedHashMap<>();
        Map<String, Integer> entryClasses = new LinkedHashMap<>();
        int open = 0;
        int closed = 0;
        for (LeakTrace trace : group) {
            CollectionRuns.Run r = runs.get(trace);
            entries.add(r.entry());
            if (r.key() != null) {
                keys.add(r.key());
            }
            String leaking = trace.getLeakingObject().getClassName();
            held.merge(leaking, 1, Integer::sum);
            entryClasses.merge(CollectionRuns.node(trace, r.to() + 1), 1, Integer::sum);
        }
        // Whether the channels the entries hold were ever closed: read per entry, so that channels of the
        // same class elsewhere in the heap (the fixture's, a server's live listener) do not count.
        int looked = 0;
        for (LeakTrace trace : group) {
            if (looked++ == MAX_ENTRIES_READ) {
                break;
            }
            Boolean state = HeapCollections.channelHeld(HeapCollections.resolve(graph, trace, runs.get(trace).to() + 1));
            if (state != null) {
                open += state ? 1 : 0;
                closed += state ? 0 : 1;
            }
        }
        HeapView.HeapObject collection = HeapCollections.resolve(graph, first, run.from());
        HeapView.HeapObject holder = run.from() > 0 ? HeapCollections.resolve(graph, first, run.from() - 1) : null;
        List<String> threads = new ArrayList<>(HeapCollections.executorThreads(holder));
        String rootThread = LeakPaths.threadName(first.getReferencePath().get(0).getOriginObject());
        if (threads.isEmpty() && !rootThread.isEmpty()) {
            threads.add(rootThread);
        }
        return new GrowingCollection(way, CollectionRuns.node(first, run.from()),
                fieldOwner ? ownerRef.getOwningClassName() : "", fieldOwner ? ownerRef.getReferenceName() : "",
                fieldOwner && ownerRef.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD,
                keeper(first, run), collection == null ? -1 : CollectionEntries.of(collection), entries.size(),
                mostCommon(entryClasses), sorted(held), keys.stream().sorted(NATURAL).limit(MAX_KEYS).toList(), keys.size(), group.size(),
                threads, open, closed, rootReference(first));
    }

    /**
     * Whose code keeps the collection: the nearest class on the path, from the collection back to
     * the root, that is not the JDK's (a {@code ThreadPoolExecutor}'s queue is kept by the class
     * whose field holds the executor); empty when the whole path is the JDK's.
     */
    private static String keeper(LeakTrace trace, CollectionRuns.Run run) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        for (int i = run.from() - 1; i >= LeakPaths.start(refs); i--) {
            String owner = refs.get(i).getOwningClassName();
            if (refs.get(i).getReferenceType() != LeakTraceReference.ReferenceType.LOCAL && !ClassNames.isJdkClass(owner)) {
                return owner;
            }
        }
        return "";
    }

    /** The static field at the root ({@code MyTests.core}) when the path starts at one, else empty. */
    private static String rootReference(LeakTrace trace) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        LeakTraceReference root = refs.get(LeakPaths.start(refs));
        return root.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD
                ? root.getOwningClassName() + "#" + root.getReferenceName() : "";
    }

    private static String mostCommon(Map<String, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
