package dev.leakproof.internal.trace;

import dev.leakproof.internal.text.ClassNames;
import java.util.ArrayList;
import java.util.List;
import shark.LeakTrace;
import shark.LeakTraceReference;

/**
 * A Shark leak trace as one line a person reads:
 * {@code static LeakRegistry.CONNECTIONS -> ArrayList.elementData[] -> ChatSession.handler -> SslHandler}.
 *
 * <pre>{@code
 * String path = LeakPaths.path(trace);
 * }</pre>
 */
final class LeakPaths {

    private static final int MAX_PATH_ELEMENTS = 12;

    private LeakPaths() {
    }

    /**
     * The first class on the path, from the root, that is not the JDK's: whose code holds the
     * objects. A static field's owner when it is not the JDK's; else the first object on the path
     * whose class is not the JDK's (a lambda registered as a shutdown hook names its host class).
     */
    static String holder(LeakTrace trace) {
        List<LeakTraceReference> references = trace.getReferencePath();
        for (int i = start(references); i < references.size(); i++) {
            LeakTraceReference ref = references.get(i);
            if (ref.getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD && !ClassNames.isJdkClass(ref.getOwningClassName())) {
                return ref.getOwningClassName();
            }
            if (!ClassNames.isJdkClass(ref.getOriginObject().getClassName())) {
                return ref.getOriginObject().getClassName();
            }
        }
        return trace.getLeakingObject().getClassName();
    }

    /** The static field at the root as {@code static com.example.Owner#FIELD}, or empty. */
    static String rootReference(LeakTrace trace) {
        List<LeakTraceReference> references = trace.getReferencePath();
        int start = start(references);
        if (start < references.size()
                && references.get(start).getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD) {
            return "static " + references.get(start).getOwningClassName() + "#" + references.get(start).getReferenceName();
        }
        return "";
    }

    /** Marks a link that repeats (a linked list's {@code next}); signatures group without it. */
    static final String REPEATED = " (repeated)";

    private static boolean sameLink(String link, String previous) {
        return link.equals(previous) || (link + REPEATED).equals(previous);
    }

    /** The name of the thread an object is, from Shark's thread inspector's label; else empty. */
    static String threadName(shark.LeakTraceObject object) {
        for (String label : object.getLabels()) {
            if (label.startsWith("Thread name: '") && label.endsWith("'")) {
                return label.substring("Thread name: '".length(), label.length() - 1);
            }
        }
        return "";
    }

    /** Where the path a person reads starts: the last static field (what leads to its class is noise). */
    static int start(List<LeakTraceReference> references) {
        for (int i = references.size() - 1; i >= 0; i--) {
            if (references.get(i).getReferenceType() == LeakTraceReference.ReferenceType.STATIC_FIELD) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The path as one line. Paths that differ only in where the object sits in a structure read the
     * same, so that they group into one signature: array slots are not numbered, and a run of the
     * same link (a linked list's {@code next}, a tree's {@code left}) reads once, with
     * {@code (repeated)}: a task 3rd in an executor's queue and one 190th are held the same way.
     * A thread at the root is named.
     */
    static String path(LeakTrace trace) {
        return path(trace, trace.getReferencePath().size());
    }

    /**
     * The path from the root to node {@code end} (node {@code i} is reference {@code i}'s origin;
     * the last node is the leaking object), read the same way: where a collection on the path sits.
     */
    static String path(LeakTrace trace, int end) {
        List<LeakTraceReference> references = trace.getReferencePath();
        // A static field is the root a person knows: what leads to its class (the class loader) is noise.
        int start = Math.min(start(references), end);
        List<String> parts = new ArrayList<>();
        for (LeakTraceReference ref : references.subList(start, end)) {
            String owner = ClassNames.readable(ref.getOriginObject().getClassName());
            if (parts.isEmpty() && start == 0) {
                String thread = threadName(ref.getOriginObject());
                owner = thread.isEmpty() ? owner : owner + "('" + thread + "')"; // the root: a thread is named
            }
            switch (ref.getReferenceType()) {
                case STATIC_FIELD -> parts.add("static " + ClassNames.readable(ref.getOwningClassName()) + "."
                        + ref.getReferenceName());
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
            int last = parts.size() - 1;
            if (last > 0 && sameLink(parts.get(last), parts.get(last - 1))) {
                parts.remove(last);
                if (!parts.get(last - 1).endsWith(REPEATED)) {
                    parts.set(last - 1, parts.get(last - 1) + REPEATED);
                }
            }
        }
        parts.add(ClassNames.readable(CollectionRuns.node(trace, end)));
        if (parts.size() > MAX_PATH_ELEMENTS) {
            int keep = MAX_PATH_ELEMENTS / 2;
            List<String> shortened = new ArrayList<>(parts.subList(0, keep));
            shortened.add("... " + (parts.size() - 2 * keep + 1) + " more ...");
            shortened.addAll(parts.subList(parts.size() - keep + 1, parts.size()));
            parts = shortened;
        }
        return String.join(" -> ", parts);
    }
}
