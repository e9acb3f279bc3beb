package dev.leakproof.internal.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import shark.HeapAnalysisSuccess;
import shark.Leak;
import shark.LeakTrace;
import shark.LeakTraceReference;
import shark.LibraryLeak;

/**
 * Shark's leaks, regrouped as a person reads them. Shark tells paths apart by every link, so 200
 * tasks in one executor queue would be 200 signatures, one per queue position; read without
 * positions they are one. And the objects that enter one growing collection the same way are one
 * signature, whatever hangs off its entries: a registry of clients whose every entry holds a
 * channel, a promise and a cache is one culprit, not three.
 *
 * <pre>{@code
 * LeakTraces.Result result = Signatures.of(leaks, culprits);
 * }</pre>
 */
final class Signatures {

    private Signatures() {
    }

    /** Every trace of the leaks, in their order. */
    static List<LeakTrace> traces(List<Leak> leaks) {
        List<LeakTrace> traces = new ArrayList<>();
        for (Leak leak : leaks) {
            traces.addAll(leak.getLeakTraces());
        }
        return traces;
    }

    /** Shark's leaks, application leaks first. */
    static List<Leak> leaks(HeapAnalysisSuccess success) {
        List<Leak> leaks = new ArrayList<>(success.getApplicationLeaks());
        leaks.addAll(success.getLibraryLeaks());
        return leaks;
    }

    static LeakTraces.Result of(List<Leak> leaks, Map<LeakTrace, GrowingCollection> culprits) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, LeakTraces.Signature> firstSeen = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> pathsSeen = new LinkedHashMap<>();
        int objects = 0;
        for (Leak leak : leaks) {
            boolean accepted = leak instanceof LibraryLeak library && library.getDescription().equals(SharkAnalysis.ACCEPTED);
            for (LeakTrace trace : leak.getLeakTraces()) {
                objects++;
                boolean fromStatic = trace.getReferencePath().stream()
                        .anyMatch(r -> r.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD);
                String gcRoot = fromStatic ? "static field" : trace.getGcRootType().getDescription();
                String path = LeakPaths.path(trace);
                GrowingCollection collection = culprits.get(trace);
                // The first task in a queue is held by the queue's head, the others by a run of
                // next links: one way of holding, one signature, shown with the run.
                String key = accepted + "|" + gcRoot + "|" + (collection != null ? "collection " + collection.way()
                        : path.replace(LeakPaths.REPEATED, ""));
                counts.computeIfAbsent(key, k -> new int[1])[0]++;
                pathsSeen.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(path, 1, Integer::sum);
                LeakTraces.Signature seen = firstSeen.get(key);
                if (seen == null || path.length() > seen.path().length()) {
                    firstSeen.put(key, new LeakTraces.Signature(0, path, gcRoot, accepted,
                            LeakPaths.holder(trace), LeakPaths.rootReference(trace), collection));
                }
            }
        }
        List<LeakTraces.Signature> signatures = new ArrayList<>();
        firstSeen.forEach((key, s) -> signatures.add(new LeakTraces.Signature(counts.get(key)[0],
                s.collection() == null ? s.path() : commonest(pathsSeen.get(key), s.path()), s.gcRoot(), s.accepted(),
                s.holder(), s.rootReference(), s.collection())));
        signatures.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return new LeakTraces.Result(withTasksInProgress(signatures), objects, null, null, 0, 0);
    }

    /**
     * An executor's thread holds the task it is running in a local variable, the others in its queue:
     * one executor, one signature. The objects held by the local variable of a thread whose queue is
     * a growing collection are counted with the queue's.
     */
    private static List<LeakTraces.Signature> withTasksInProgress(List<LeakTraces.Signature> signatures) {
        List<LeakTraces.Signature> merged = new ArrayList<>(signatures);
        for (LeakTraces.Signature local : signatures) {
            if (local.collection() != null || !local.path().startsWith("local variable of thread Thread('")) {
                continue;
            }
            String thread = local.path().substring("local variable of thread Thread('".length(), local.path().indexOf("')"));
            for (int i = 0; i < merged.size(); i++) {
                LeakTraces.Signature queue = merged.get(i);
                if (queue.collection() != null && queue.collection().threads().contains(thread) && queue.accepted() == local.accepted()) {
                    merged.set(i, new LeakTraces.Signature(queue.count() + local.count(), queue.path(), queue.gcRoot(),
                            queue.accepted(), queue.holder(), queue.rootReference(), queue.collection()));
                    merged.remove(local);
                    break;
                }
            }
        }
        return merged;
    }

    /**
     * The path most of a collection's objects are held by (the longest of those, with a queue's
     * run of links): the one shown for the collection; what else hangs off its entries is summarised.
     */
    private static String commonest(Map<String, Integer> paths, String fallback) {
        Map<String, Integer> grouped = new LinkedHashMap<>();
        Map<String, String> longest = new LinkedHashMap<>();
        paths.forEach((path, n) -> {
            String shape = path.replace(LeakPaths.REPEATED, "");
            grouped.merge(shape, n, Integer::sum);
            longest.merge(shape, path, (a, b) -> b.length() > a.length() ? b : a);
        });
        return grouped.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> longest.get(e.getKey()))
                .orElse(fallback);
    }
}
