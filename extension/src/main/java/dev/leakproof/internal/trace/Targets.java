package dev.leakproof.internal.trace;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Which objects of a heap dump an analysis explains: this verdict's survivors (the referents of
 * {@link HeapDump}'s suspects), or the instances of some classes, at most {@code maxPerClass} of
 * each (where a growing class count is held).
 *
 * <pre>{@code
 * Targets targets = Targets.instancesOf(List.of("com.example.Session"), 200);
 * }</pre>
 *
 * @param classNames the classes whose instances are explained; {@code null} for the suspects
 * @param maxPerClass instances of each class explained at most
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Targets(List<String> classNames, int maxPerClass) {

    /** The verdict's survivors, found through {@link HeapDump}'s suspects. */
    public static final Targets SUSPECTS = new Targets(null, 0);

    public static Targets instancesOf(List<String> classNames, int maxPerClass) {
        return new Targets(List.copyOf(classNames), maxPerClass);
    }
}
