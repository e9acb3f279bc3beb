package dev.leakproof.internal;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.OpenConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The words of every verdict. Failure messages are the product: what, how many of how many, what next. */
final class FailureMessages {

    private static final int MAX_CLASSES = 8;
    private static final int MAX_PORTS = 5;
    private static final int MAX_OPEN_LISTED = 5;
    private static final int MAX_CREATED_AT_LINES = 6;
    private static final int MAX_LEAK_GROUPS = 3;

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

    /**
     * Netty leak reports grouped by where the buffer came from (the last handler it was handed to
     * and the first allocation frame outside Netty), most frequent first, so that 40 reports of two
     * bugs read as two findings.
     */
    static String nettyLeaks(List<NettyLeakDetection.Leak> leaks) {
        Map<String, List<NettyLeakDetection.Leak>> groups = leaks.stream().collect(Collectors.groupingBy(
                FailureMessages::leakSignature, java.util.TreeMap::new, Collectors.toList()));
        StringBuilder text = new StringBuilder().append(leaks.size()).append(" Netty ")
                .append(leaks.size() == 1 ? "leak" : "leaks").append(" reported by ResourceLeakDetector: ")
                .append(leaks.get(0).resourceType()).append(".release() was not called before it was garbage-collected")
                .append(groups.size() > 1 ? " (" + groups.size() + " different origins)." : ".");
        groups.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, List<NettyLeakDetection.Leak>> e) -> -e.getValue().size()))
                .limit(MAX_LEAK_GROUPS)
                .forEach(e -> {
                    List<String> lines = recordLines(e.getValue().get(0));
                    text.append("\n  ").append(e.getValue().size()).append(" x ").append(leakSignature(e.getValue().get(0)));
                    int created = lines.indexOf("Created at:");
                    if (created >= 0) {
                        text.append("\n    Created at:\n      ").append(lines.subList(created + 1, lines.size()).stream()
                                .limit(MAX_CREATED_AT_LINES).collect(Collectors.joining("\n      ")));
                    }
                });
        text.append("\n  What to do next: release every reference-counted message you consume and do not pass on "
                + "(ReferenceCountUtil.release(msg), or extend SimpleChannelInboundHandler), and every buffer you "
                + "allocate and do not write.");
        return text.toString();
    }

    private static List<String> recordLines(NettyLeakDetection.Leak leak) {
        return leak.records().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String leakSignature(NettyLeakDetection.Leak leak) {
        List<String> lines = recordLines(leak);
        String hint = lines.stream().filter(l -> l.startsWith("Hint:")).findFirst()
                .map(l -> "last handed to " + l.substring("Hint:".length()).strip().replace(" will handle the message from this point.", ""))
                .orElse("never handed to a handler");
        int created = lines.indexOf("Created at:");
        String origin = created < 0 ? "unknown" : lines.subList(created + 1, lines.size()).stream()
                .filter(l -> !l.startsWith("io.netty.")).findFirst().orElse(lines.get(Math.min(created + 1, lines.size() - 1)));
        return "allocated in " + origin + ", " + hint;
    }
}
