package dev.leakproof.internal.check;

import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.growth.ResourcePoint;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one judged growth comes to, the same for every way growth is measured (an action handed to
 * {@code ResourceGrowth}, a driven run judged at checkpoints): the notes for what was started once,
 * the path to the growing instances, and the leak, in one message shape and one report section.
 *
 * <pre>{@code
 * Optional<GrowthVerdict.Leak> leak = GrowthVerdict.conclude(session, points, result,
 *         GrowthMessages.Unit.CONNECTION, session::record);
 * }</pre>
 */
final class GrowthVerdict {

    /** Instances of one class traced at most: the path of a few hundred tells as much as of all. */
    private static final int MAX_TRACED_PER_CLASS = 300;
    private static final int MAX_TRACED_CLASSES = 3;

    /**
     * A growth that is a leak.
     *
     * @param message the words, without the report line
     * @param result the judged growth, for the report
     * @param openConnections connections left open by the growth (0 unless connections grow)
     * @param byClass instances added after the warm-up, by growing class
     */
    record Leak(String message, GrowthJudge.Result result, long openConnections, Map<String, Long> byClass) {
    }

    private GrowthVerdict() {
    }

    /**
     * Records the notes (what the warm-up started and kept constant) and the measurement with
     * {@code record}, and returns the leak, if the growth is one. Growth held only through soft or weak
     * references is a note.
     */
    static Optional<Leak> conclude(ClassSession session, List<ResourcePoint> points, GrowthJudge.Result result,
            GrowthMessages.Unit unit, Consumer<Finding> record) {
        GrowthMessages.constants(result, points, unit).forEach(record);
        if (!result.grows()) {
            record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, result));
            return Optional.empty();
        }
        boolean connectionsGrow = grows(result, "open connections");
        // Connections left open explain themselves (what state they are in); the path to an open
        // channel only leads to the selector it is registered with.
        List<OpenConnection> open = connectionsGrow ? session.server().openConnections() : List.of();
        LeakTraces.Result traces = connectionsGrow ? null : trace(session, result);
        traces = traces == null ? null : traces.focused();
        if (onlyReclaimable(result, traces)) {
            record.accept(Finding.note(Finding.Kind.RESOURCE_GROWTH, GrowthMessages.reclaimable(result, unit)));
            record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, result));
            return Optional.empty();
        }
        if (tlsSessionStateOnly(result, traces)) {
            record.accept(Finding.note(Finding.Kind.RESOURCE_GROWTH, GrowthMessages.tlsSessionState(result, unit)));
            record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, traces));
            record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, result));
            return Optional.empty();
        }
        if (traces != null) {
            record.accept(Finding.measured(Finding.Kind.RESOURCE_GROWTH, traces));
        }
        Map<String, Long> byClass = new LinkedHashMap<>();
        result.classes().forEach(c -> byClass.put(c.resource(), c.counts()[c.counts().length - 1] - c.counts()[1]));
        long connections = result.resources().stream().filter(r -> r.resource().equals("open connections") && r.grows())
                .mapToLong(r -> r.counts()[r.counts().length - 1] - r.counts()[1]).sum();
        return Optional.of(new Leak(GrowthMessages.message(result, traces, session.testClass(), open, unit), result,
                connections, byClass));
    }

    static boolean grows(GrowthJudge.Result result, String resource) {
        return result.resources().stream().anyMatch(t -> t.grows() && t.resource().equals(resource));
    }

    /**
     * Whether the growth is held only through soft or weak references: only classes grow (no thread,
     * descriptor, connection or task), and Shark, given the instances of the traced classes (every one
     * of the JDK's, the first few hundred of others), found no strong path from a GC root to any. A full
     * GC keeps softly reachable objects (a cache the JVM clears only when memory runs short), so a class
     * histogram counts them; the JVM clears them before it throws an {@code OutOfMemoryError}, so they
     * cannot leak.
     */
    private static boolean onlyReclaimable(GrowthJudge.Result result, LeakTraces.Result traces) {
        return traces != null && traces.skipped() == null && !result.classes().isEmpty()
                && result.resources().stream().noneMatch(GrowthJudge.Trend::grows)
                && 10L * traces.leakingObjects() < addedAndTraced(result, traces);
    }

    /**
     * Instances the growth added, of the classes traced, as many as were traced: when Shark finds a
     * strong path to fewer than a tenth of them, the few it found are older objects of the same
     * classes (a library's queue from before the run), and the growth itself is softly held.
     */
    private static long addedAndTraced(GrowthJudge.Result result, LeakTraces.Result traces) {
        return result.classes().stream().filter(c -> traces.tracedClasses().contains(c.resource()))
                .mapToLong(c -> Math.min(live(c) - c.counts()[1], MAX_TRACED_PER_CLASS)).sum();
    }

    /**
     * Whether only classes grow and every path to them runs through the JDK's TLS session state (a
     * client that reuses one {@code SSLContext} keeps sessions and resumption tickets, up to the
     * JDK's own bounds): by design, as the README says, not a leak.
     */
    private static boolean tlsSessionStateOnly(GrowthJudge.Result result, LeakTraces.Result traces) {
        return traces != null && traces.skipped() == null && !traces.signatures().isEmpty()
                && result.resources().stream().noneMatch(GrowthJudge.Trend::grows)
                && traces.signatures().stream().filter(s -> !s.accepted()).allMatch(s -> s.path().contains("SSLSession")
                        || s.holder().startsWith("sun.security.ssl."));
    }

    /** The paths holding the growing classes' instances: the user's and libraries' classes first. */
    private static LeakTraces.Result trace(ClassSession session, GrowthJudge.Result result) {
        LeakSettings settings = session.settings();
        if (!settings.get(Settings.LEAK_TRACE) || result.classes().isEmpty()) {
            return null;
        }
        // Netty's leak detector's own records grow with every buffer it samples: bookkeeping, whose
        // paths lead to the detector, not to what keeps the growth.
        List<GrowthJudge.Trend> traced = result.classes().stream().filter(c -> c.origin() != GrowthJudge.Origin.JDK)
                .filter(c -> !c.resource().startsWith("io.netty.util.ResourceLeakDetector"))
                .limit(MAX_TRACED_CLASSES).toList();
        if (traced.isEmpty() && onlyDescriptorsGrow(result)) {
            // Descriptors that grow with only the JDK's classes: channels or streams kept open. Their
            // path says who keeps them, and the dump whether they were ever closed.
            traced = result.classes().stream().filter(c -> c.resource().matches(".*(Channel|Socket)\\w*(Impl)?"))
                    .limit(MAX_TRACED_CLASSES).toList();
        }
        if (traced.isEmpty()) {
            if (result.resources().stream().anyMatch(GrowthJudge.Trend::grows)) {
                return null; // the JDK's objects of a growing thread or connection: the resource says more than their paths
            }
            // Only the JDK's classes grow (a map of strings, counters per key): trace the ones the growth
            // makes up most of, where most instances traced are the growth's own.
            List<GrowthJudge.Trend> owned = result.classes().stream().filter(GrowthVerdict::mostlyGrowth)
                    .sorted(Comparator.comparingLong(GrowthVerdict::live)).limit(MAX_TRACED_CLASSES).toList();
            if (!owned.isEmpty()) {
                return LeakTraces.findInstances(owned.stream().map(GrowthJudge.Trend::resource).toList(),
                        MAX_TRACED_PER_CLASS, session.testClass(), options(settings));
            }
            traced = result.classes().stream().limit(MAX_TRACED_CLASSES).toList();
        }
        // A dump tells no instance's age: the paths of a class are the growth's only when every
        // instance is traced. Among the JDK's tens of thousands of strings, any few hundred lead to
        // the JVM's own tables and would point at the wrong holder.
        GrowthJudge.Trend crowded = traced.stream().filter(t -> t.origin() == GrowthJudge.Origin.JDK
                        && t.counts()[t.counts().length - 1] > MAX_TRACED_PER_CLASS)
                .findFirst().orElse(null);
        if (crowded != null) {
            return LeakTraces.Result.skipped("only the JDK's own classes grow, and a heap dump cannot tell the "
                    + String.format(Locale.ROOT, "%,d", crowded.counts()[crowded.counts().length - 1])
                    + " instances of " + ClassNames.readable(crowded.resource()) + " the action added from the JVM's own;"
                    + " look for a collection the action adds to (a static list, map or cache)");
        }
        return LeakTraces.findInstances(traced.stream().map(GrowthJudge.Trend::resource).toList(), MAX_TRACED_PER_CLASS,
                session.testClass(), options(settings));
    }

    private static boolean onlyDescriptorsGrow(GrowthJudge.Result result) {
        return result.resources().stream().filter(GrowthJudge.Trend::grows).map(GrowthJudge.Trend::resource).toList()
                .equals(List.of("file descriptors"));
    }

    private static LeakTraces.Options options(LeakSettings settings) {
        return new LeakTraces.Options(settings.get(Settings.LEAK_TRACE_IGNORE), settings.get(Settings.ACCEPTED_LEAKS),
                settings.get(Settings.LEAK_TRACE_TIMEOUT), settings.get(Settings.KEEP_HEAP_DUMP));
    }

    /** Live instances at the last point. */
    private static long live(GrowthJudge.Trend t) {
        return t.counts()[t.counts().length - 1];
    }

    /**
     * Whether the instances added since the warm-up are at least half of the class's live ones, and few
     * enough to trace: then the traced instances' most common path is the growth's, not the JVM's own.
     */
    private static boolean mostlyGrowth(GrowthJudge.Trend t) {
        long added = live(t) - t.counts()[1];
        return live(t) <= 4L * MAX_TRACED_PER_CLASS && 2 * added >= live(t);
    }
}
