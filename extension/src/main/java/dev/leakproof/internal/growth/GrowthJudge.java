package dev.leakproof.internal.growth;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.text.ClassNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Tells growth in proportion to the repetitions of an action from noise and from one-time costs.
 * The points are taken after a warm-up, then after K more repetitions and 2K more (and, to confirm
 * a candidate, 2K more again). A leak adds the same amount per repetition in every step: twice as
 * much in a 2K step as in the K step. Noise does not keep that rate (buffers and boxes come and go
 * with the JIT and the allocator's pools), and what a library starts once (a global event loop, a
 * cache filled on first use) appears during the warm-up and then stays constant.
 *
 * <pre>{@code
 * GrowthJudge.Result result = GrowthJudge.judge(points, 50, "com.example.ClientTests", List.of(),
 *         GrowthJudge.RATE_TOLERANCE);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class GrowthJudge {

    /**
     * Smallest growth per repetition that counts, for resources counted one by one (connections,
     * threads, descriptors, tasks, tracked objects) and for the user's and libraries' classes: one
     * in ten repetitions.
     */
    static final double MIN_RATE = 0.1;
    /**
     * For the JDK's own classes (byte arrays, boxes, map nodes), which move with the allocator and
     * the JIT: half an instance per repetition. A leak of the user's objects grows their classes
     * too, so the leak is still named.
     */
    static final double MIN_RATE_JDK = 0.5;
    /**
     * For the JDK's classes when nothing else grows: one instance per repetition, less a margin. An
     * action that leaks the JDK's objects itself (a string added to a static list, an entry to a map)
     * keeps at least one per repetition in every step.
     */
    static final double MIN_RATE_JDK_ALONE = 0.95;
    /**
     * The classes whose counts the JVM's interned strings are taken out of: each one is a
     * {@code String} and its {@code byte[]}. A clean client built on Netty and the JDK's TLS kept
     * 0.82, 0.89 and 0.78 strings per repetition in three steps on a loaded CI machine (JDK 17), and
     * 1.08, 1.22 and 1.39 on JDK 25: string literals its classes resolved as their code ran or was
     * compiled, one for one the growth of the JVM's string table (InternedStrings).
     */
    static final Set<String> HOLD_INTERNED_STRINGS = Set.of("java.lang.String", "[B");
    /**
     * Two steps' rates may differ by this fraction of the larger one and still be "the same rate",
     * for an action handed to {@code ResourceGrowth} (a client's repetitions vary with the JIT and
     * the allocator).
     */
    public static final double RATE_TOLERANCE = 0.4;
    /**
     * The same, for the connections of a driven run: a server's leak per connection keeps its rate
     * within a few percent (1.00, 1.00, 1.00 per connection for a cache keyed by server name; 1.03,
     * 1.00, 1.01 for strings of a map per path), while what accumulates with time while the run goes
     * on (heartbeats queued on connections the test holds open: 5.4, 8.0, 11.1 per connection) drifts.
     */
    public static final double RATE_TOLERANCE_PER_CONNECTION = 0.25;
    /**
     * A rate per repetition steadier than this (coefficient of variation over the steps) is growth per
     * repetition, however steady the rate per second is.
     */
    static final double STEADY = 0.05;

    /** By design, not leaks: the JDK's TLS session caches, and the detector's own bookkeeping. */
    static final List<Pattern> BUILT_IN_ALLOWLIST = List.of(
            Pattern.compile("sun\\.security\\.ssl\\..*Session.*"),
            Pattern.compile("sun\\.security\\.util\\.(Memory)?Cache.*"),
            Pattern.compile("sun\\.security\\.ssl\\.SessionId"),
            Pattern.compile("dev\\.leakproof\\.(internal|fixture)\\..*")); // the detector's and the fixture's own

    /** Where a class comes from, in the order a person reads growing classes. */
    public enum Origin { USER, LIBRARY, JDK }

    /**
     * One resource's counts at the points and what they mean.
     *
     * @param resource what is counted, e.g. {@code threads} or a class name
     * @param counts the count before the warm-up, after it, and after each step
     * @param grows whether it grows in proportion to the repetitions
     * @param perRepetition the growth per repetition over the steps
     * @param origin for a class, where it comes from
     */
    public record Trend(String resource, long[] counts, boolean grows, double perRepetition, Origin origin) {

        /** What the warm-up added: a one-time cost when nothing grows after it. */
        public long warmUpGrowth() {
            return counts[1] - counts[0];
        }

        /** What each step after the warm-up added. */
        public long[] stepGrowth() {
            long[] steps = new long[counts.length - 2];
            for (int i = 2; i < counts.length; i++) {
                steps[i - 2] = counts[i] - counts[i - 1];
            }
            return steps;
        }
    }

    /**
     * What the points show.
     *
     * @param warmUp repetitions of the warm-up
     * @param step K: the steps were K, 2K (and 2K to confirm)
     * @param repetitions repetitions in all
     * @param classes classes that grow, the user's first
     * @param resources every counted resource, growing or not
     * @param internedStrings the JVM's interned strings at each point, left out of the counts of
     *        java.lang.String and byte[]; {@code null} where the JVM cannot count them
     */
    public record Result(int warmUp, int step, int repetitions, List<Trend> classes, List<Trend> resources,
            long[] internedStrings) implements Evidence.Row {

        public boolean grows() {
            return !classes.isEmpty() || resources.stream().anyMatch(Trend::grows);
        }

        /** Whether a confirming step was taken (a candidate showed up after the first two). */
        public boolean confirmed() {
            return !resources.isEmpty() && resources.get(0).counts().length > 4;
        }

        @Override
        public String table() {
            return "growth";
        }

        @Override
        public void jsonRow(JsonWriter json, Place place) {
            GrowthReport.jsonRow(this, json, place);
        }

        @Override
        public String htmlHead() {
            return GrowthReport.HTML_HEAD;
        }

        @Override
        public void htmlRow(StringBuilder html, Place place) {
            GrowthReport.htmlRow(this, html, place);
        }

        @Override
        public String figureOf(String className) {
            return GrowthReport.figureOf(this, className);
        }
    }

    private GrowthJudge() {
    }

    /**
     * Judges {@code points}: before the warm-up, after it, after K, after 2K more, and optionally
     * after 2K more again. {@code testClass} tells the user's classes from libraries'.
     */
    public static Result judge(List<ResourcePoint> points, int step, String testClass, List<Pattern> allowlist,
            double tolerance) {
        int warmUp = points.get(1).repetitions() - points.get(0).repetitions();
        Steps steps = new Steps(points.stream().mapToLong(ResourcePoint::repetitions).toArray(),
                points.stream().mapToLong(ResourcePoint::atNanos).toArray(), step, tolerance);
        List<Trend> resources = List.of(
                trend("open connections", points, ResourcePoint::openConnections, steps, MIN_RATE, null),
                trend("threads", points, p -> p.threads().count(), steps, MIN_RATE, null),
                trend("file descriptors", points, ResourcePoint::fileDescriptors, steps, MIN_RATE, null),
                trend("scheduled tasks", points, ResourcePoint::scheduledTasks, steps, MIN_RATE, null),
                trend("tracked objects", points, ResourcePoint::trackedObjects, steps, MIN_RATE, null));
        Set<String> names = new LinkedHashSet<>(points.get(points.size() - 1).classes().classes());
        long[] interned = points.stream().allMatch(p -> p.internedStrings() >= 0)
                ? points.stream().mapToLong(ResourcePoint::internedStrings).toArray() : null;
        List<Trend> classes = new ArrayList<>();
        for (String jvmName : names) {
            String name = ClassNames.withoutLambdaNumbers(ClassNames.fromJvmName(jvmName));
            if (allowed(name, allowlist)) {
                continue;
            }
            Origin origin = origin(name, testClass);
            boolean lessInterned = interned != null && HOLD_INTERNED_STRINGS.contains(jvmName);
            Trend trend = trend(name, points, p -> p.classes().instances(jvmName) - (lessInterned ? p.internedStrings() : 0),
                    steps, origin == Origin.JDK ? MIN_RATE_JDK : MIN_RATE, origin);
            if (trend.grows()) {
                classes.add(trend);
            }
        }
        if (classes.stream().allMatch(c -> c.origin() == Origin.JDK)
                && resources.stream().noneMatch(Trend::grows)) {
            classes.removeIf(c -> !trend(c.resource(), c.counts(), steps, MIN_RATE_JDK_ALONE, c.origin()).grows());
        }
        // The user's classes, then the libraries' (their channels first: a connection's handle is what a
        // person looks for), then the JDK's; faster growth first within each.
        classes.sort(Comparator.comparing(Trend::origin)
                .thenComparing(t -> !t.resource().endsWith("Channel"))
                .thenComparing(Comparator.comparingDouble(Trend::perRepetition).reversed())
                .thenComparing(Trend::resource));
        int repetitions = points.get(points.size() - 1).repetitions() - points.get(0).repetitions();
        return new Result(warmUp, step, repetitions, classes, resources, interned);
    }

    /** Whether anything is a candidate after the first two steps: worth a confirming step. */
    public static boolean candidate(List<ResourcePoint> points, int step, String testClass, List<Pattern> allowlist,
            double tolerance) {
        return judge(points, step, testClass, allowlist, tolerance).grows();
    }

    /** The points' repetitions and times, the step K and the rate tolerance: what every trend is judged by. */
    private record Steps(long[] repetitions, long[] nanos, int step, double tolerance) {

        /**
         * Whether {@code counts} follow the time between the points better than the repetitions: the
         * rate per second is steadier over the steps than the rate per repetition, which is not steady
         * itself. What accumulates with time (a timer's work kept on a queue, a log) grows with the
         * run's length, not with its repetitions.
         */
        boolean followsTime(long[] counts) {
            int n = counts.length - 2;
            double[] perRepetition = new double[n];
            double[] perSecond = new double[n];
            for (int i = 2; i < counts.length; i++) {
                double added = counts[i] - counts[i - 1];
                perRepetition[i - 2] = added / Math.max(1, repetitions[i] - repetitions[i - 1]);
                perSecond[i - 2] = added / Math.max(1e-3, (nanos[i] - nanos[i - 1]) / 1e9);
            }
            double byRepetition = variation(perRepetition);
            return byRepetition > STEADY && variation(perSecond) < byRepetition;
        }

        private static double variation(double[] rates) {
            double mean = java.util.Arrays.stream(rates).average().orElse(0);
            if (mean <= 0) {
                return Double.MAX_VALUE;
            }
            double variance = java.util.Arrays.stream(rates).map(r -> (r - mean) * (r - mean)).average().orElse(0);
            return Math.sqrt(variance) / mean;
        }
    }

    private static Trend trend(String resource, List<ResourcePoint> points, ToLongFunction<ResourcePoint> count,
            Steps steps, double minRate, Origin origin) {
        return trend(resource, points.stream().mapToLong(count).toArray(), steps, minRate, origin);
    }

    private static Trend trend(String resource, long[] counts, Steps steps, double minRate, Origin origin) {
        int step = steps.step();
        boolean grows = counts.length >= 4;
        double previousRate = -1;
        double total = 0;
        int repetitions = 0;
        for (int i = 2; i < counts.length && grows; i++) {
            int length = (i == 2 ? 1 : 2) * step;
            long added = counts[i] - counts[i - 1];
            double rate = added / (double) length;
            // Rounding: a count moves by whole instances, so small rates get a slack of one.
            if (rate < minRate || added < 2) {
                grows = false;
            } else if (previousRate >= 0
                    && Math.abs(rate - previousRate) > steps.tolerance() * Math.max(rate, previousRate) + 1.0 / length) {
                grows = false;
            }
            previousRate = rate;
            total += added;
            repetitions += length;
        }
        grows = grows && !steps.followsTime(counts);
        return new Trend(resource, counts, grows, repetitions == 0 ? 0 : total / repetitions, origin);
    }

    private static boolean allowed(String className, List<Pattern> userAllowlist) {
        return BUILT_IN_ALLOWLIST.stream().anyMatch(p -> p.matcher(className).matches())
                || userAllowlist.stream().anyMatch(p -> p.matcher(className).matches());
    }

    /** The user's classes share the test's top two package names; the JDK's are its own packages. */
    static Origin origin(String className, String testClass) {
        String element = className.replace("[]", "");
        if (ClassNames.isJdkClass(element)) {
            return Origin.JDK;
        }
        return ClassNames.isUserClass(element, testClass) ? Origin.USER : Origin.LIBRARY;
    }
}
