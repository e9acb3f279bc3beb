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
            String owner = ClassNames.readable(ref.getOriginObject().getClassName());
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
        }
        parts.add(ClassNames.readable(trace.getLeakingObject().getClassName()));
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
