package dev.leakproof.internal.check;

import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.ResourcePoint;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The words of the repeated-action growth check: what grows per repetition (the user's and the
 * libraries' classes before the JDK's), the other resources' counts, the path, what to do; and the
 * notes for what the warm-up started and kept constant.
 *
 * <pre>{@code
 * String message = GrowthMessages.message(result, traces, "com.example.ClientTests");
 * }</pre>
 */
final class GrowthMessages {

    private static final int MAX_HEADLINE = 3;
    private static final int MAX_CLASSES = 8;
    private static final int MAX_THREADS_NAMED = 4;

    private GrowthMessages() {
    }

    static String message(GrowthJudge.Result r, LeakTraces.Result traces, String testClass, List<OpenConnection> open) {
        List<String> headline = new ArrayList<>();
        // Counted resources first (a thread or a connection per repetition says the most), then classes.
        r.resources().stream().filter(GrowthJudge.Trend::grows)
                .forEach(t -> headline.add(rate(t.perRepetition()) + " " + t.resource()));
        r.classes().stream().limit(MAX_HEADLINE).forEach(c -> headline.add(rate(c.perRepetition()) + " x "
                + ClassNames.readable(c.resource())));
        int moreClasses = Math.max(0, r.classes().size() - MAX_HEADLINE);
        StringBuilder text = new StringBuilder("Each repetition of the action leaves ")
                .append(String.join(", ", headline)).append(moreClasses > 0 ? " and " + moreClasses
                        + (moreClasses == 1 ? " more class" : " more classes") : "")
                .append(" behind, after a full GC (").append(r.repetitions()).append(" repetitions: a warm-up of ")
                .append(r.warmUp()).append(", then ").append(steps(r)).append(" more, the same rate in each step).");
        if (!r.classes().isEmpty()) {
            text.append("\n  Classes that grow, instances added in each step: ").append(r.classes().stream()
                    .limit(MAX_CLASSES).map(c -> c.resource() + " " + added(c.counts()) + " (" + rate(c.perRepetition())
                            + " per repetition)").collect(Collectors.joining("; ")));
            if (r.classes().size() > MAX_CLASSES) {
                text.append("; and ").append(r.classes().size() - MAX_CLASSES).append(" more");
            }
            text.append('.');
            if (r.internedStrings() != null && r.classes().stream().limit(MAX_CLASSES)
                    .anyMatch(c -> c.resource().equals("java.lang.String") || c.resource().equals("byte[]"))) {
                text.append(" Left out of java.lang.String and byte[]: the strings the JVM interned (the literals its "
                        + "code resolves as it runs or is compiled), ").append(added(r.internedStrings())).append('.');
            }
        }
        text.append("\n  Every resource, counted at each point: ").append(r.resources().stream()
                .map(t -> t.resource() + " " + Arrays.stream(t.counts()).mapToObj(Long::toString)
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "))).append('.');
        if (!open.isEmpty()) {
            text.append("\n  Open at the fixture server now: ").append(OpenConnectionGroups.grouped(open)).append('.');
            return text.append(OpenConnectionGrowthCheck.advice(open)).toString();
        }
        if (traces != null) {
            text.append("\n  ").append(LeakTraces.describe(traces).replace("Reference path from a GC root",
                    "Reference path from a GC root to the growing instances"));
        }
        text.append("\n  ").append(advice(r, traces, testClass));
        return text.toString();
    }

    private static String advice(GrowthJudge.Result r, LeakTraces.Result traces, String testClass) {
        LeakTraces.Signature top = traces == null ? null : traces.topSignature();
        if (top != null) {
            return HeapAdvice.forClientSignature(top, testClass);
        }
        if (r.resources().stream().anyMatch(t -> t.grows() && t.resource().equals("threads"))) {
            return "What to do next: each repetition starts threads that never end: shut down the executor or event "
                    + "loop group the action creates (or close the client that owns it), or share one for all.";
        }
        if (r.resources().stream().anyMatch(t -> t.grows() && t.resource().equals("open connections"))) {
            return "What to do next: each repetition leaves a connection open: close the client (or its connection "
                    + "pool) when you are done with it, or reuse one client for all requests.";
        }
        return "What to do next: something the action creates is still referenced after it ends: a registry, a "
                + "listener or close hook that is never removed, a cache without a bound. Release it when the action "
                + "ends (close(), dispose(), unregister).";
    }

    /** Notes for resources the warm-up added and that stayed constant after it: one-time costs, by design. */
    /** A note for growth Shark found held only through soft or weak references. */
    static String reclaimable(GrowthJudge.Result r) {
        String classes = r.classes().stream().map(t -> rate(t.perRepetition()) + " x " + ClassNames.readable(t.resource()))
                .collect(Collectors.joining(", "));
        return classes + " per repetition stayed after a full GC over " + r.repetitions()
                + " repetitions, held only through soft or weak references (Shark found no strong path from a GC root"
                + " to the newest of them): a cache the JVM clears before it runs out of memory, not a leak";
    }

    static List<Finding> constants(GrowthJudge.Result r, List<ResourcePoint> points) {
        List<Finding> notes = new ArrayList<>();
        for (GrowthJudge.Trend t : r.resources()) {
            if (t.grows() || t.warmUpGrowth() <= 0 || Arrays.stream(t.stepGrowth()).anyMatch(g -> g != 0)) {
                continue;
            }
            String detail = t.resource().equals("threads") ? ": " + startedThreads(points) : "";
            String resource = t.warmUpGrowth() == 1 ? t.resource().replaceAll("s$", "")
                    : t.resource();
            notes.add(Finding.note(Finding.Kind.RESOURCE_GROWTH, t.warmUpGrowth() + " " + resource
                    + " added during the warm-up of " + r.warmUp() + " and constant over the " + (r.repetitions() - r.warmUp())
                    + " repetitions after it (started once, by design: not a leak)" + detail));
        }
        return notes;
    }

    private static String startedThreads(List<ResourcePoint> points) {
        List<String> started = points.get(points.size() - 1).threads().startedSince(points.get(0).threads());
        return started.stream().limit(MAX_THREADS_NAMED).collect(Collectors.joining(", "))
                + (started.size() > MAX_THREADS_NAMED ? " and " + (started.size() - MAX_THREADS_NAMED) + " more" : "");
    }

    private static String steps(GrowthJudge.Result r) {
        return r.confirmed() ? r.step() + ", " + 2 * r.step() + " and " + 2 * r.step() : r.step() + " and " + 2 * r.step();
    }

    /** What each step after the warm-up added to {@code counts} (one count per point). */
    private static String added(long[] counts) {
        StringBuilder steps = new StringBuilder();
        for (int i = 2; i < counts.length; i++) {
            long g = counts[i] - counts[i - 1];
            steps.append(steps.length() > 0 ? ", " : "").append(g >= 0 ? "+" : "").append(g);
        }
        return steps.toString();
    }

    private static String rate(double perRepetition) {
        return String.format(Locale.ROOT, "%.2f", perRepetition);
    }
}
