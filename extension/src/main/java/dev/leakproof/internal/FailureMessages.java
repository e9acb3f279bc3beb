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

    static String survivors(Survivors s, GcForcer.Result gc, long openConnections, long verdictStartNanos,
            String leakTrace, String topPath) {
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
            text.append("\n  Tracked by the test and still alive: ").append(counted(s.testObjectsByDescription)).append('.');
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
        if (leakTrace != null) {
            text.append("\n  ").append(leakTrace);
        }
        text.append("\n  ").append(adviceFor(topPath));
        return text.toString();
    }

    /** What to do next, told from the path that holds the leak when there is one. */
    static String adviceFor(String path) {
        if (path == null) {
            return WHAT_TO_DO_HEAP;
        }
        if (path.contains("scheduledTaskQueue") || path.contains("ScheduledFutureTask") || path.contains("ScheduledThreadPool")) {
            return "What to do next: a scheduled task still references the connection after it closed (a heartbeat, "
                    + "a timeout): keep its ScheduledFuture and cancel it in channelInactive() or handlerRemoved().";
        }
        if (path.contains("threadLocals")) {
            return "What to do next: a ThreadLocal on a long-lived thread (the event loop) keeps the last connection: "
                    + "remove() it when the work is done, or keep per-connection state in a channel attribute.";
        }
        if (path.startsWith("static ")) {
            String field = path.split(" -> ")[0].substring("static ".length()).replace("[]", "");
            return "What to do next: the static field " + field + " keeps these connections after they closed: "
                    + "remove the connection's entry in channelInactive(), which every close path (a polite close, a "
                    + "reset, an idle timeout) goes through, or hold it by a weak reference.";
        }
        if (path.toLowerCase(java.util.Locale.ROOT).contains("listener") || path.contains("callback")) {
            return "What to do next: a listener or callback registered per connection is never removed: unregister it "
                    + "in channelInactive().";
        }
        return WHAT_TO_DO_HEAP;
    }

    static String openConnections(List<OpenConnection> open, Duration waited, long connections, int allowedIdle) {
        long idle = open.stream().filter(OpenConnection::idleBetweenRequests).count();
        StringBuilder text = new StringBuilder();
        text.append(open.size()).append(open.size() == 1 ? " connection" : " connections")
                .append(" still open at the fixture server ").append(Durations.format(waited))
                .append(" after the test (").append(connections).append(" connections in all");
        if (idle > 0 || allowedIdle > 0) {
            text.append("; ").append(idle).append(" idle between requests, allowed up to ").append(allowedIdle);
        }
        text.append("): ").append(grouped(open));
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
    /**
     * Open connections grouped by situation, so that six connections stuck the same way read as one
     * line: {@code 6 x client ports 41234, 41240, 41250 and 3 more (opened 0.4 s to 0.7 s ago):
     * sending response 1: 4063232 of 32000000 bytes written, the client is not reading the rest}.
     */
    static String grouped(List<OpenConnection> open) {
        Map<String, List<OpenConnection>> bySituation = open.stream().collect(Collectors.groupingBy(
                OpenConnection::situation, java.util.LinkedHashMap::new, Collectors.toList()));
        return bySituation.entrySet().stream().limit(MAX_OPEN_LISTED).map(e -> {
            List<OpenConnection> group = e.getValue();
            if (group.size() == 1) {
                return group.get(0).describe();
            }
            String ports = group.stream().limit(3).map(c -> Integer.toString(c.remotePort()))
                    .collect(Collectors.joining(", ")) + (group.size() > 3 ? " and " + (group.size() - 3) + " more" : "");
            Duration youngest = group.stream().map(OpenConnection::age).min(Duration::compareTo).orElse(Duration.ZERO);
            Duration oldest = group.stream().map(OpenConnection::age).max(Duration::compareTo).orElse(Duration.ZERO);
            return group.size() + " x client ports " + ports + " (opened " + Durations.format(youngest) + " to "
                    + Durations.format(oldest) + " ago)" + (e.getKey().isEmpty() ? "" : ": " + e.getKey());
        }).collect(Collectors.joining("; "))
                + (bySituation.size() > MAX_OPEN_LISTED
                        ? "; and " + (bySituation.size() - MAX_OPEN_LISTED) + " more situations" : "");
    }

    static String fileDescriptors(long leaked, long connections, Map<String, Long> byKind, Map<Integer, String> examples) {
        return leaked + " file descriptors opened during the test are still open after every connection closed ("
                + connections + " connections; counted before any GC, because a GC would close unreachable streams and "
                + "hide the leak): " + counted(byKind)
                + ". For example: " + examples.entrySet().stream().map(e -> "fd " + e.getKey() + " -> " + e.getValue())
                        .collect(Collectors.joining(", ")) + "."
                + "\n  What to do next: close what each connection opens (files, sockets to back ends, pipes) in "
                + "channelInactive(), or open it with try-with-resources; do not leave it to the garbage collector.";
    }

    /** {@code 3 x socket, 1 x pipe}. */
    private static String counted(Map<String, Long> countsByName) {
        return countsByName.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    static String pendingTasks(Map<String, Long> tasks, long connections) {
        long total = tasks.values().stream().mapToLong(Long::longValue).sum();
        return total + " scheduled " + (total == 1 ? "task is" : "tasks are") + " still pending on the server's event "
                + "loops after every connection closed (" + connections + " connections): "
                + counted(tasks)
                + ".\n  What to do next: a task scheduled per connection (a heartbeat, a timeout) must be cancelled when "
                + "its connection closes: keep the ScheduledFuture and cancel it in channelInactive().";
    }

    static String threads(List<Thread> threads, long connections, String when) {
        return threads.size() + (threads.size() == 1 ? " thread" : " threads") + " started " + when + " "
                + (threads.size() == 1 ? "is" : "are") + " still running (" + connections + " connections): "
                + threads.stream().limit(MAX_OPEN_LISTED).map(ThreadSnapshot::describe).collect(Collectors.joining("; "))
                + (threads.size() > MAX_OPEN_LISTED ? "; and " + (threads.size() - MAX_OPEN_LISTED) + " more" : "")
                + ".\n  What to do next: stop threads and shut down executors a connection starts when it closes, or "
                + "share one bounded pool; a thread that lives by design can be allowed with threadAllowlist.";
    }

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

    /**
     * Where a leaked buffer came from, in the user's code: the first frame outside Netty, the JDK and
     * the fixture of its allocation, and of its most recent access (Netty lists it first).
     */
    private static String leakSignature(NettyLeakDetection.Leak leak) {
        List<String> lines = recordLines(leak);
        int created = lines.indexOf("Created at:");
        List<String> accesses = created < 0 ? lines : lines.subList(0, created);
        int firstRecord = accesses.indexOf("#1:");
        int secondRecord = accesses.indexOf("#2:");
        List<String> lastAccess = firstRecord < 0 ? List.of()
                : accesses.subList(firstRecord + 1, secondRecord > firstRecord ? secondRecord : accesses.size());
        String allocated = created < 0 ? null : userFrame(lines.subList(created + 1, lines.size()));
        String accessed = userFrame(lastAccess);
        String handedTo = lastAccess.stream().filter(l -> l.startsWith("Hint:")).findFirst()
                .map(l -> l.substring("Hint:".length()).strip().replace(" will handle the message from this point.", ""))
                .orElse(null);
        StringBuilder signature = new StringBuilder(allocated != null ? "allocated in " + allocated
                : "allocated by Netty (e.g. read from the socket)");
        if (accessed != null && !accessed.equals(allocated)) {
            signature.append(", last used in ").append(accessed);
        }
        if (handedTo != null) {
            signature.append(", last handed to ").append(handedTo);
        }
        return signature.toString();
    }

    private static final java.util.regex.Pattern STACK_FRAME = java.util.regex.Pattern.compile("[\\w$./]+\\(.*\\)");

    private static String userFrame(List<String> frames) {
        // Netty's records also hold notes ("4 leak records were discarded..."): frames only.
        return frames.stream().filter(f -> STACK_FRAME.matcher(f).matches())
                .filter(f -> !f.startsWith("io.netty.") && !f.startsWith("java.") && !f.startsWith("jdk.")
                        && !f.startsWith("sun.") && !f.startsWith("dev.leakproof.fixture."))
                .findFirst().orElse(null);
    }

    static String overBudget(RetainedSize size, long budget) {
        String top = size.topClasses().stream().limit(6)
                .map(c -> ClassNames.simple(ClassHistogram.readable(c.className())) + " " + ReportWriter.bytes(c.bytesPerConnection()))
                .collect(Collectors.joining(", "));
        return "retained " + ReportWriter.bytes(size.jolBytesPerConnection()) + " per connection, budget "
                + ReportWriter.bytes(budget) + " (JOL " + ReportWriter.bytes(size.jolBytesPerConnection()) + ", heap slope "
                + ReportWriter.bytes(size.heapSlopeBytesPerConnection()) + ", " + size.connections()
                + " connections held open from another JVM); top classes per connection: " + top + "."
                + (size.disagreement() > 0.15 ? "\n  " + disagreement(size) : "")
                + "\n  What to do next: look at what each connection keeps while it is open (buffers sized for the "
                + "largest message, per-connection caches, copies of shared data), or raise the budget if the cost is intended.";
    }

    static String memoryNotReturned(RetainedSize size) {
        return "memory did not return after the connections closed: " + ReportWriter.bytes(size.residualBytesPerConnection())
                + " per connection still in use (used heap after a full GC, after all " + size.connections()
                + " closed, against before any opened; an open connection retains "
                + ReportWriter.bytes(size.jolBytesPerConnection()) + ")."
                + "\n  What to do next: something shared grows per connection and does not shrink when it closes: "
                + "a registry, a cache, statistics by client; turn on growthCycles to see which class grows.";
    }

    static String disagreement(RetainedSize size) {
        return String.format(java.util.Locale.ROOT, "JOL (%s) and the heap slope (%s) disagree by %.0f %%: memory outside "
                + "the connections' object graphs changes with the number of connections (a shared structure that "
                + "grows with them, or other work in this JVM during the measurement).",
                ReportWriter.bytes(size.jolBytesPerConnection()), ReportWriter.bytes(size.heapSlopeBytesPerConnection()),
                size.disagreement() * 100);
    }

    static String growth(List<GrowthCheck.Growth> growing, int step) {
        String classes = growing.stream().limit(MAX_CLASSES)
                .map(g -> String.format(java.util.Locale.ROOT, "%s +%d, +%d (%.2f per cycle)", g.className(), g.firstStep(),
                        g.secondStep(), g.perCycle()))
                .collect(Collectors.joining("; "));
        return growing.size() + (growing.size() == 1 ? " class grows" : " classes grow")
                + " in proportion to the connection cycles (live instances added by " + step + " and then by "
                + (2 * step) + " more cycles, after a warm-up): " + classes + "."
                + "\n  What to do next: a shared structure gains entries per connection and never loses them (a map "
                + "keyed by client, a list of past sessions, a listener list). If it is bounded by design, add its "
                + "class to growthAllowlist.";
    }

    static String stepLoadNotReturned(StepLoad.Result result, List<String> problems) {
        String steps = result.steps().stream().map(st -> st.open() + " open: heap " + ReportWriter.bytes(st.heapBytes())
                + ", " + st.fileDescriptors() + " fds, " + st.threads() + " threads").collect(Collectors.joining("; "));
        return "after the step load (" + steps + "), the server did not come back to its baseline once every "
                + "connection closed: " + String.join("; ", problems) + "."
                + "\n  What to do next: something the connections made stays after they close: a cache or registry "
                + "that grows, descriptors or threads started per connection. The report plots every step.";
    }
}
