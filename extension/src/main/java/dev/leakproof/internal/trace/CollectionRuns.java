package dev.leakproof.internal.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import shark.LeakTrace;
import shark.LeakTraceReference;

/**
 * Where, on a leak trace, the objects enter a collection: the run of a collection's own objects (an
 * {@code ArrayList}, the {@code Object[]} behind it, a map's nodes, a queue's linked nodes) between
 * the field that holds the collection and the entry it holds. Of several collections on one path
 * (a {@code ThreadLocal}'s map, then the list kept in it), the growing one is the one whose entries
 * differ most among the traced objects: a thousand objects in one list reach it through a thousand
 * entries, through the thread's map by one.
 *
 * <pre>{@code
 * Map<LeakTrace, CollectionRuns.Run> runs = CollectionRuns.choose(traces);
 * }</pre>
 */
final class CollectionRuns {

    /**
     * The collections' own classes: the JDK's collections and their nodes and arrays, a
     * {@code ThreadLocal}'s map, and the queues of Netty's executors (JCTools', Netty's priority queue).
     */
    private static final Pattern COLLECTION_CLASS = Pattern.compile(
            "(java\\.util\\.[\\w.]*(List|Map|Set|Queue|Deque|Vector|Stack|Table)(\\$\\w+)*"
                    + "|java\\.util\\.Collections\\$\\w+|java\\.util\\.[\\w.]*(List|Map|Set|Queue|Deque)\\$\\w+"
                    + "|java\\.lang\\.ThreadLocal\\$ThreadLocalMap(\\$\\w+)*"
                    + "|java\\.util\\.concurrent\\.ScheduledThreadPoolExecutor\\$DelayedWorkQueue"
                    + "|io\\.netty\\.util\\.internal\\.(shaded\\.org\\.jctools\\.queues\\.\\w+|DefaultPriorityQueue)(\\$\\w+)*)");

    /**
     * One collection on one trace: nodes {@code from} (the collection) to {@code to} (its last own
     * object) of the trace, whose node {@code to + 1} is the entry.
     *
     * @param from index of the collection's node (node {@code i} is reference {@code i}'s origin)
     * @param to index of its last own node
     * @param entry how the entry is reached inside it: array slots, keys, links, as Shark names them
     * @param key the entry's key when Shark names it (a map's {@code String} key), else {@code null}
     */
    record Run(int from, int to, String entry, String key) {
    }

    private CollectionRuns() {
    }

    /** Whether a node of this class belongs to a collection (a collection, its array, its nodes). */
    static boolean isCollectionClass(String className) {
        return className.endsWith("[]") || COLLECTION_CLASS.matcher(className).matches();
    }

    /** The class name of node {@code i}: reference {@code i}'s origin, or the leaking object. */
    static String node(LeakTrace trace, int i) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        return i < refs.size() ? refs.get(i).getOriginObject().getClassName() : trace.getLeakingObject().getClassName();
    }

    /** Every collection the trace passes through after {@code start}, the root's side first. */
    static List<Run> runs(LeakTrace trace, int start) {
        List<LeakTraceReference> refs = trace.getReferencePath();
        List<Run> runs = new ArrayList<>();
        int i = start;
        while (i < refs.size()) {
            if (!isCollectionClass(node(trace, i))) {
                i++;
                continue;
            }
            int to = i;
            while (to + 1 < refs.size() && isCollectionClass(node(trace, to + 1))) {
                to++;
            }
            StringBuilder entry = new StringBuilder();
            for (int r = i; r <= to; r++) {
                entry.append(refs.get(r).getReferenceName()).append('/');
            }
            String last = refs.get(to).getReferenceName();
            String key = refs.get(to).getReferenceType() == LeakTraceReference.ReferenceType.ARRAY_ENTRY
                    && last.length() > 1 && last.startsWith("\"") && last.endsWith("\"") ? last.substring(1, last.length() - 1) : null;
            runs.add(new Run(i, to, entry.toString(), key));
            i = to + 1;
        }
        return runs;
    }

    /**
     * The growing collection of each trace that passes through one: of its collections, the one whose
     * entries differ most among the traces that reach it by the same way (ties: nearest the root).
     */
    static Map<LeakTrace, Run> choose(List<LeakTrace> traces) {
        Map<LeakTrace, List<Run>> all = new HashMap<>();
        Map<String, Set<String>> entriesByWay = new HashMap<>();
        for (LeakTrace trace : traces) {
            List<Run> runs = runs(trace, LeakPaths.start(trace.getReferencePath()));
            all.put(trace, runs);
            for (Run run : runs) {
                entriesByWay.computeIfAbsent(way(trace, run), k -> new HashSet<>()).add(run.entry());
            }
        }
        Map<LeakTrace, Run> chosen = new HashMap<>();
        all.forEach((trace, runs) -> {
            Run best = null;
            int bestSpread = 0;
            for (Run run : runs) {
                int spread = entriesByWay.get(way(trace, run)).size();
                if (spread > bestSpread) {
                    best = run;
                    bestSpread = spread;
                }
            }
            if (best != null) {
                chosen.put(trace, best);
            }
        });
        return chosen;
    }

    /** How the trace reaches the collection, as one key: the path to it, without array slots. */
    static String way(LeakTrace trace, Run run) {
        return LeakPaths.path(trace, run.from());
    }
}
