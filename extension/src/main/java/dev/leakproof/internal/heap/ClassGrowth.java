package dev.leakproof.internal.heap;

import dev.leakproof.internal.text.ClassNames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Java counterpart of objgraph's {@code show_growth}: classes whose live instance count grows in
 * proportion to the connection cycles. Histograms are taken after a warm-up, after K more cycles
 * and after 2K more. Growth in proportion to the cycles adds twice as much in the second step as
 * in the first; growth that comes with each step whatever its length (the histograms themselves
 * are objects, and so is one-time initialisation) adds the same in both, and cancels out of the
 * difference. A class is reported when that difference is at least one instance per
 * {@value #CYCLES_PER_INSTANCE} cycles (per {@value #CYCLES_PER_JDK_INSTANCE} cycles for the JDK's
 * own classes; at least {@value #MIN_GROWTH}), and it accounts for at least half of the first
 * step's growth and the second step added at most 2.5 times the first.
 *
 * <pre>{@code
 * List<ClassGrowth.Growth> growing = ClassGrowth.growing(warm, afterK, after2K, k, List.of(), Set.of());
 * }</pre>
 */
public final class ClassGrowth {

    static final int CYCLES_PER_INSTANCE = 100;
    static final int MIN_GROWTH = 10;
    /**
     * The JDK's own classes (arrays, lists, boxes, map nodes) move with the JIT, the allocator and
     * the machine's load: seen here at 0.04 per cycle in a clean run on a loaded machine. They count
     * from one instance per two cycles; a leak of the user's objects grows their own classes too.
     */
    static final int CYCLES_PER_JDK_INSTANCE = 2;

    /**
     * By design, not leaks: the JDK's TLS session caches grow by one or two sessions per connection
     * up to their size limit, with the objects each session holds.
     */
    static final List<Pattern> BUILT_IN_ALLOWLIST = List.of(
            Pattern.compile("sun\\.security\\.ssl\\..*Session.*"),
            Pattern.compile("sun\\.security\\.util\\.(Memory)?Cache.*"),
            Pattern.compile("sun\\.security\\.ssl\\.SessionId"),
            Pattern.compile("dev\\.leakproof\\.(internal|fixture)\\..*")); // the detector's and the fixture's own bookkeeping

    /** One growing class: instances added in the K step and in the 2K step, and the growth per cycle. */
    public record Growth(String className, long firstStep, long secondStep, int cyclesPerStep, boolean connectionClass) {
        public double perCycle() {
            return (secondStep - firstStep) / (double) cyclesPerStep;
        }
    }

    private ClassGrowth() {
    }

    public static List<Growth> growing(ClassHistogram warm, ClassHistogram afterOne, ClassHistogram afterTwo, int cyclesPerStep,
            List<Pattern> userAllowlist, Set<String> connectionClasses) {
        long threshold = Math.max(MIN_GROWTH, cyclesPerStep / CYCLES_PER_INSTANCE);
        long jdkThreshold = Math.max(MIN_GROWTH, cyclesPerStep / CYCLES_PER_JDK_INSTANCE);
        List<Growth> growing = new ArrayList<>();
        for (String jvmName : afterTwo.classes()) {
            long first = afterOne.instances(jvmName) - warm.instances(jvmName);
            long second = afterTwo.instances(jvmName) - afterOne.instances(jvmName);
            long proportional = second - first; // the part that doubled with the doubled step
            // Growth in proportion doubles with the doubled step: the second step adds about twice the
            // first. Much less is a constant part per step (noise on top); much more is growth that
            // speeds up as the JVM warms (code paths compiled, caches filled), not per connection.
            String name = ClassNames.fromJvmName(jvmName);
            long needed = ClassNames.isJdkClass(name) ? jdkThreshold : threshold;
            if (proportional < needed || 2 * proportional < first || 2 * second > 5 * first) {
                continue;
            }
            if (allowed(name, BUILT_IN_ALLOWLIST) || allowed(name, userAllowlist)) {
                continue;
            }
            growing.add(new Growth(name, first, second, cyclesPerStep, connectionClasses.contains(name)));
        }
        // The connection's own classes and the user's classes first: they are where the fix goes.
        growing.sort(Comparator.comparing((Growth g) -> !g.connectionClass())
                .thenComparing(g -> ClassNames.isLibraryClass(g.className()))
                .thenComparing(Comparator.comparingDouble(Growth::perCycle).reversed()));
        return growing;
    }

    private static boolean allowed(String className, List<Pattern> allowlist) {
        return allowlist.stream().anyMatch(p -> p.matcher(className).matches());
    }
}
