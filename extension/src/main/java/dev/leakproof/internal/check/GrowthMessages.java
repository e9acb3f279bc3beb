package dev.leakproof.internal.check;

import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.ResourcePoint;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.GrowingCollection;
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

    /**
     * What repeats: an action the test hands to {@code ResourceGrowth}, or a connection of a run the
     * extension drove (or a test's {@code ConnectionDriver} run), judged at checkpoints inside it.
     */
    enum Unit {
        REPETITION("Each repetition of the action", "repetitions", "repetition"),
        CONNECTION("Each connection of the driven run", "connections", "connection");

        final String subject;
        final String plural;
        final String singular;

        Unit(String subject, String plural, String singular) {
            this.subject = subject;
            this.plural = plural;
            this.singular = singular;
        }
    }

    private GrowthMessages() {
    }

    static String message(GrowthJudge.Result r, LeakTraces.Result traces, String testClass, List<OpenConnection> open) {
        return message(r, traces, testClass, open, Unit.REPETITION);
    }

    static String message(GrowthJudge.Result r, LeakTraces.Result traces, String testClass, List<OpenConnection> open,
            Unit unit) {
        List<String> headline = new ArrayList<>();
        // Counted resources first (a thread or a connection per repetition says the most), then classes.
        r.resources().stream().filter(GrowthJudge.Trend::grows)
                .forEach(t -> headline.add(rate(t.perRepetition()) + " " + t.resource()));
        GrowingCollection culprit = traces == null || traces.topSignature() == null ? null
                : traces.topSignature().collection();
        // The collection's entries first, then the classes of the user's code and of the libraries it
        // calls, before Netty's, the fixture's and the JDK's: a client library's failure names its own.
        String entryClass = culprit == null ? "" : culprit.entryClass();
        r.classes().stream().sorted(java.util.Comparator.comparingInt((GrowthJudge.Trend c) ->
                        c.resource().equals(entryClass) ? 0 : ClassNames.isLibraryClass(c.resource()) ? 2 : 1))
                .limit(MAX_HEADLINE).forEach(c -> headline.add(rate(c.perRepetition()) + " x "
                        + ClassNames.readable(c.resource())));
        int moreClasses = Math.max(0, r.classes().size() - MAX_HEADLINE);
        StringBuilder text = new StringBuilder(unit.subject).append(culprit == null ? "" : " adds an entry to "
                + Culprit.name(culprit) + " and").append(" leaves ")
                .append(String.join(", ", headline)).append(moreClasses > 0 ? " and " + moreClasses
                        + (moreClasses == 1 ? " more class" : " more classes") : "")
                .append(" behind, after a full GC (").append(r.repetitions()).append(' ').append(unit.plural).append(": a warm-up of ")
                .append(r.warmUp()).append(", then ").append(steps(r)).append(" more, the same rate in each step).");
        if (culprit != null) {
            List<String> shown = traces.signatures().stream().filter(s -> s.collection() != null)
                    .flatMap(s -> s.collection().held().keySet().stream()).toList();
            List<String> throughEntries = traces.tracedClasses().stream().filter(c -> !shown.contains(c)).toList();
            text.append("\n  ").append(Culprit.holds(culprit, unit.singular, unit.plural, r.repetitions(), throughEntries));
            String owner = Culprit.owner(culprit, testClass);
            text.append(owner.isEmpty() ? "" : " " + owner);
        }
        if (!r.classes().isEmpty()) {
            text.append("\n  Classes that grow, instances added in each step: ").append(r.classes().stream()
                    .limit(MAX_CLASSES).map(c -> c.resource() + " " + added(c.counts()) + " (" + rate(c.perRepetition())
                            + " per " + unit.singular + ")").collect(Collectors.joining("; ")));
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
        text.append("\n  ").append(advice(r, traces, testClass, unit));
        return text.toString();
    }

    private static String advice(GrowthJudge.Result r, LeakTraces.Result traces, String testClass, Unit unit) {
        LeakTraces.Signature top = traces == null ? null : traces.topSignature();
        if (top != null && top.collection() != null && !Culprit.ownedByTest(top.collection(), testClass)
                && Culprit.saysMore(top.collection(), testClass)) {
            return Culprit.advice(top.collection(), testClass, unit.singular);
        }
        if (top != null) {
            return unit == Unit.CONNECTION ? perConnectionAdvice(top) : HeapAdvice.forClientSignature(top, testClass);
        }
        if (r.resources().stream().anyMatch(t -> t.grows() && t.resource().equals("threads"))) {
            return "What to do next: each " + unit.singular + " starts threads that never end: shut down the executor or event "
                    + "loop group the action creates (or close the client that owns it), or share one for all.";
        }
        if (r.resources().stream().anyMatch(t -> t.grows() && t.resource().equals("open connections"))) {
            return "What to do next: each " + unit.singular + " leaves a connection open: close the client (or its connection "
                    + "pool) when you are done with it, or reuse one client for all requests.";
        }
        return "What to do next: something the action creates is still referenced after it ends: a registry, a "
                + "listener or close hook that is never removed, a cache without a bound. Release it when the action "
                + "ends (close(), dispose(), unregister).";
    }

    /**
     * For growth per driven connection with a path: nothing per connection is tracked and alive (that
     * is the heap check's story), so what grows is a shared structure that gains an entry for every
     * connection, most often keyed by something each client sends differently.
     */
    private static String perConnectionAdvice(LeakTraces.Signature top) {
        String owner = growingCollectionOwner(top.path());
        if (owner == null) {
            owner = top.path().startsWith("static ") ? "the static field " + top.path().split(" -> ")[0].substring(7)
                    .replace("[]", "") : ClassNames.readable(top.holder());
        }
        return "What to do next: " + owner + " gains an entry for every connection and never loses one: a map or cache "
                + "keyed by what each client sends (its TLS server name, a path, a header, a user name), or a registry "
                + "or listener list not cleaned when the connection closes. Bound it (an LRU, an expiry) or remove the "
                + "entry when the connection closes; a cache keyed by client input without a bound is also a "
                + "denial-of-service risk.";
    }

    /** A collection of the JDK's, as a path names it: {@code ConcurrentHashMap.table[]}, {@code Collections$SynchronizedList.c[]}. */
    private static final java.util.regex.Pattern JDK_COLLECTION = java.util.regex.Pattern.compile(
            "(\\w*(List|Map|Set|Deque|Queue|Vector|Stack)(\\$\\w+)?|Collections\\$\\w+|Object\\[\\])\\..*|Object\\[\\].*");

    /**
     * The field that holds the growing collection: on the path from the GC root, the last field of a
     * class that is not one of the JDK's collections, followed by one of them (which holds the
     * growing entries). On {@code ... -> DefaultListableBeanFactory.singletonObjects[] ->
     * RecentExchangesFilter.recent -> Collections$SynchronizedRandomAccessList.c[] -> Exchange} it is
     * {@code RecentExchangesFilter.recent}, not the GC root's thread nor the bean factory.
     */
    static String growingCollectionOwner(String path) {
        String[] steps = path.split(" -> ");
        for (int i = steps.length - 2; i >= 0; i--) {
            String step = steps[i].startsWith("static ") ? steps[i].substring(7) : steps[i];
            if (!JDK_COLLECTION.matcher(step).matches() && JDK_COLLECTION.matcher(steps[i + 1]).matches()) {
                String field = step.replaceAll("\\(.*\\)", "").replace("[]", "");
                return (steps[i].startsWith("static ") ? "the static field " : "the field ") + field;
            }
        }
        return null;
    }

    /** A note for growth held by the JDK's TLS session state: by design. */
    static String tlsSessionState(GrowthJudge.Result r, Unit unit) {
        String classes = r.classes().stream().limit(MAX_HEADLINE).map(t -> rate(t.perRepetition()) + " x "
                + ClassNames.readable(t.resource())).collect(Collectors.joining(", "));
        return classes + " per " + unit.singular + " stayed over " + r.repetitions() + " " + unit.plural
                + ", held by the JDK's TLS session state (the session cache and resumption tickets of an SSLContext that "
                + "is reused): by design and bounded by the JDK (javax.net.ssl.sessionCacheSize, the session timeout), "
                + "not a leak";
    }

    /** A note for growth found held only through soft or weak references. */
    static String reclaimable(GrowthJudge.Result r, Unit unit) {
        String classes = r.classes().stream().map(t -> rate(t.perRepetition()) + " x " + ClassNames.readable(t.resource()))
                .collect(Collectors.joining(", "));
        return classes + " per " + unit.singular + " stayed after a full GC over " + r.repetitions()
                + " " + unit.plural + ", held only through soft or weak references (no strong path from a GC root"
                + " to the newest of them): a cache the JVM clears before it runs out of memory, not a leak";
    }

    /** Notes for resources the warm-up added and that stayed constant after it: one-time costs, by design. */
    static List<Finding> constants(GrowthJudge.Result r, List<ResourcePoint> points, Unit unit) {
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
                    + " " + unit.plural + " after it (started once, by design: not a leak)" + detail));
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
