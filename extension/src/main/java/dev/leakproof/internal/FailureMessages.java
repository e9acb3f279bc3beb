package dev.leakproof.internal;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.OpenConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The words of every verdict. Failure messages are the product: what, how many of how many, what next. */
final class FailureMessages {

    private static final int MAX_CLASSES = 8;
    private static final int MAX_PORTS = 5;
    private static final int MAX_OPEN_LISTED = 5;
    private static final int MAX_RECORD_LINES = 24;

    static final String WHAT_TO_DO_HEAP = "What to do next: something long-lived still references these objects after "
            + "the connection closed: a static collection or registry, a listener or callback that is never removed, "
            + "a scheduled task that is never cancelled, a ThreadLocal, or a cache keyed by connection. Remove the "
            + "reference in channelInactive() or handlerRemoved(), and cancel per-connection tasks there.";

    private FailureMessages() {
    }

    static String survivors(Survivors s, GcForcer.Result gc, long openConnections, long verdictStartNanos) {
        StringBuilder text = new StringBuilder();
        String classes = s.classesInReadingOrder().stream().limit(MAX_CLASSES)
                .map(e -> e.getValue() + " x " + ClassNames.simple(e.getKey()))
                .collect(Collectors.joining(", "));
        if (s.connectionObjectsByClass.size() > MAX_CLASSES) {
            classes += " and " + (s.connectionObjectsByClass.size() - MAX_CLASSES) + " more classes";
        }
        if (s.leakedConnections > 0) {
            text.append(s.leakedConnections).append(" of ").append(s.connections).append(" connections leaked: ")
                    .append(classes).append(" survived a full GC");
        } else {
            text.append("0 of ").append(s.connections).append(" connections leaked, but objects tracked by the test")
                    .append(" survived a full GC");
        }
        text.append(" (").append(gc.method()).append(" ran ").append(gc.collections())
                .append(gc.collections() == 1 ? " collection" : " collections").append("). Open connections at fixture server: ")
                .append(openConnections).append('.');
        if (!s.testObjectsByDescription.isEmpty()) {
            text.append("\n  Tracked by the test and still alive: ").append(s.testObjectsByDescription.entrySet().stream()
                    .map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "))).append('.');
        }
        if (s.leakedConnections > 0) {
            text.append("\n  Leaked connections (first ").append(Math.min(MAX_PORTS, s.leakedConnections)).append("): ")
                    .append(s.leakedConnectionsByPort.stream().limit(MAX_PORTS)
                            .map(c -> "client port " + c.remotePort + (c.closedAtNanos == 0 ? " (never closed)"
                                    : " (closed " + Durations.format(Duration.ofNanos(Math.max(0, verdictStartNanos - c.closedAtNanos)))
                                    + " before the verdict)"))
                            .collect(Collectors.joining(", ")))
                    .append('.');
            text.append("\n  Surviving classes, full names: ").append(s.classesInReadingOrder().stream().limit(MAX_CLASSES)
                    .map(Map.Entry::getKey).collect(Collectors.joining(", "))).append('.');
        }
        text.append("\n  ").append(WHAT_TO_DO_HEAP);
        return text.toString();
    }

    static String openConnections(List<OpenConnection> open, Duration waited, long connections) {
        StringBuilder text = new StringBuilder();
        text.append(open.size()).append(open.size() == 1 ? " connection" : " connections")
                .append(" still open at the fixture server ").append(Durations.format(waited))
                .append(" after the test (").append(connections).append(" connections in all): ")
                .append(open.stream().limit(MAX_OPEN_LISTED).map(OpenConnection::describe).collect(Collectors.joining("; ")));
        if (open.size() > MAX_OPEN_LISTED) {
            text.append("; and ").append(open.size() - MAX_OPEN_LISTED).append(" more");
        }
        text.append(".\n  What to do next: every connection must be closed by the client or by the server; an open one "
                + "keeps everything it references alive. Close it in the client (try-with-resources, read or discard "
                + "the response), or make the server close idle peers.");
        return text.toString();
    }

    static String nettyLeaks(List<NettyLeakDetection.Leak> leaks) {
        NettyLeakDetection.Leak first = leaks.get(0);
        String records = first.records().lines().limit(MAX_RECORD_LINES).collect(Collectors.joining("\n    "));
        return leaks.size() + " Netty " + (leaks.size() == 1 ? "leak" : "leaks") + " reported by ResourceLeakDetector: "
                + first.resourceType() + ".release() was not called before it was garbage-collected."
                + "\n  Most recent access first (first leak of " + leaks.size() + "):\n    " + records
                + "\n  What to do next: release every reference-counted message you consume and do not pass on "
                + "(ReferenceCountUtil.release(msg), or extend SimpleChannelInboundHandler).";
    }
}
