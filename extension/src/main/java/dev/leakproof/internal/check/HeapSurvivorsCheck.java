package dev.leakproof.internal.check;

import dev.leakproof.fixture.Durations;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.heap.Survivors;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.tracking.TrackedObject;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Every per-connection object must be collected: full GCs are forced until they are, or until the
 * survivors are proven to stay ({@link Collection}), within the grace period. Survivors are explained with the
 * reference path that holds them (a heap dump analysed with Shark) when {@code leakTrace} is on.
 *
 * <pre>{@code
 * List<Finding> findings = new HeapSurvivorsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HeapSurvivorsCheck implements Check {

    private static final int MAX_CLASSES = 8;
    private static final int MAX_PORTS = 5;

    @Override
    public List<Finding> run(Window window) {
        List<Finding> findings = new ArrayList<>(judge(window));
        stillOpen(window).ifPresent(findings::add);
        return findings;
    }

    /**
     * A note for the objects the test registered whose connection is still open (a pooled channel idle
     * in its pool): not a leak yet, judged by the first verdict after it closes.
     */
    static Optional<Finding> stillOpen(Window window) {
        List<TrackedObject> open = window.session().tracker().stillOpen();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> byDescription = open.stream().collect(Collectors.groupingBy(TrackedObject::description,
                TreeMap::new, Collectors.counting()));
        return Optional.of(Finding.note(Finding.Kind.HEAP, window.name() + ": " + Counts.counted(byDescription)
                + " tracked and still open, idle in a pool: judged when " + (open.size() == 1 ? "it closes" : "they close")));
    }

    private static List<Finding> judge(Window window) {
        ConnectionTracker tracker = window.session().tracker();
        LeakSettings settings = window.session().settings();
        if (tracker.expungeCleared() == 0) {
            return List.of();
        }
        Collection.Outcome outcome = Collection.collect(() -> {
            tracker.expungeCleared();
            return tracker.survivors();
        }, window);
        if (outcome.survivors().isEmpty()) {
            return List.of();
        }
        Survivors survivors = new Survivors(tracker.survivors(), window.connections());
        LeakTraces.Result traces = null;
        if (settings.get(Settings.LEAK_TRACE)) {
            long graceEnd = window.startNanos() + settings.get(Settings.GRACE_PERIOD).toNanos();
            traces = trace(survivors, window, graceEnd);
            if (traces.pendingReleaseNanos() > 0) {
                // A one-shot task in the heap (a delayed clean-up on an executor we have no handle on) is
                // due before the grace period ends: what it releases when it runs is not a leak.
                Waits.hold(Duration.ofNanos(Math.max(0, Math.min(traces.pendingReleaseNanos(), graceEnd) - System.nanoTime())));
                outcome = Collection.collect(() -> {
                    tracker.expungeCleared();
                    return tracker.survivors();
                }, window);
                if (outcome.survivors().isEmpty()) {
                    return List.of();
                }
                survivors = new Survivors(tracker.survivors(), window.connections());
                traces = trace(survivors, window, 0);
            }
            if (traces.skipped() == null && !traces.signatures().isEmpty() && traces.topSignature() == null) {
                // Every path goes through a reference the user accepted as held by design.
                return List.of(new Finding(Finding.Kind.HEAP, Finding.Outcome.NOTE, accepted(survivors, traces,
                        window.name()), 0, Map.of(), traces));
            }
        }
        String advice = traces == null ? HeapAdvice.GENERAL : HeapAdvice.forSignature(traces.topSignature(),
                window.session().testClass(), survivors.leakedConnections(), eventLoopThreads(window),
                // a server the test started is not a Netty pipeline of the fixture's: no channelInactive() there
                window.session().targetAddress().isPresent() ? HeapAdvice.Side.OWN_SERVER : HeapAdvice.Side.SERVER);
        String message = message(survivors, outcome.gc(), window.openConnections(),
                window.startNanos(), traces == null ? null : LeakTraces.describe(traces), advice);
        return List.of(new Finding(Finding.Kind.HEAP, Finding.Outcome.LEAK, message, survivors.leakedConnections(),
                survivors.byClass(), traces));
    }

    private static LeakTraces.Result trace(Survivors survivors, Window window, long releaseDeadlineNanos) {
        LeakSettings settings = window.session().settings();
        return LeakTraces.find(survivors.objects(), window.session().testClass(), new LeakTraces.Options(
                settings.get(Settings.LEAK_TRACE_IGNORE), settings.get(Settings.ACCEPTED_LEAKS),
                settings.get(Settings.LEAK_TRACE_TIMEOUT), settings.get(Settings.KEEP_HEAP_DUMP), releaseDeadlineNanos));
    }

    static String accepted(Survivors survivors, LeakTraces.Result traces, String windowName) {
        return windowName + ": " + survivors.leakedConnections() + " of " + survivors.connections()
                + " connections are still referenced after a full GC, every one through a reference accepted as held by "
                + "design (acceptedLeaks): " + traces.signatures().stream().map(s -> s.count() + " x " + s.path())
                        .collect(Collectors.joining("; "));
    }

    /** How many threads run the server's connections: a ThreadLocal on each could keep one connection. */
    private static long eventLoopThreads(Window window) {
        long threads = 0;
        for (io.netty.util.concurrent.EventExecutor loop : window.session().server().childEventLoops()) {
            threads++;
        }
        return threads;
    }

    static String message(Survivors s, GcForcer.Result gc, long openConnections, long verdictStartNanos,
            String leakTrace, String advice) {
        StringBuilder text = new StringBuilder();
        String classes = s.classesInReadingOrder().stream().limit(MAX_CLASSES)
                .map(e -> e.getValue() + " x " + ClassNames.simple(e.getKey()))
                .collect(Collectors.joining(", "));
        if (s.connectionObjectsByClass().size() > MAX_CLASSES) {
            classes += " and " + (s.connectionObjectsByClass().size() - MAX_CLASSES) + " more classes";
        }
        if (s.leakedConnections() > 0) {
            text.append(s.leakedConnections()).append(" of ").append(s.connections()).append(" connections leaked: ")
                    .append(classes).append(" survived a full GC");
        } else {
            text.append("0 of ").append(s.connections()).append(" connections leaked, but objects tracked by the test")
                    .append(" survived a full GC");
        }
        text.append(" (").append(gc.method()).append(" ran ").append(gc.collections())
                .append(gc.collections() == 1 ? " collection" : " collections").append("). Open connections at fixture server: ")
                .append(openConnections).append('.');
        if (!s.testObjectsByDescription().isEmpty()) {
            text.append("\n  Tracked by the test and still alive: ").append(Counts.counted(s.testObjectsByDescription()))
                    .append('.');
        }
        if (s.leakedConnections() > 0) {
            text.append("\n  Leaked connections (first ").append(Math.min(MAX_PORTS, s.leakedConnections())).append("): ")
                    .append(s.leakedConnectionsInOrder().stream().limit(MAX_PORTS)
                            .map(c -> "client port " + c.remotePort() + (c.closedAtNanos() == 0 ? " (never closed)"
                                    : " (closed " + Durations.format(Duration.ofNanos(Math.max(0,
                                            verdictStartNanos - c.closedAtNanos()))) + " before the verdict)"))
                            .collect(Collectors.joining(", ")))
                    .append('.');
            text.append("\n  Surviving classes, full names: ").append(s.classesInReadingOrder().stream().limit(MAX_CLASSES)
                    .map(Map.Entry::getKey).collect(Collectors.joining(", "))).append('.');
        }
        if (leakTrace != null) {
            text.append("\n  ").append(leakTrace);
        }
        text.append("\n  ").append(advice);
        return text.toString();
    }
}
