package dev.leakproof.internal.check;

import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.netty.NettyLeakDetection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Netty's own leak reports ({@code LEAK: ByteBuf.release() was not called}), grouped by where the
 * buffer came from: the last handler it was handed to and the first allocation frame outside Netty,
 * most frequent first, so that 40 reports of two bugs read as two findings.
 *
 * <pre>{@code
 * List<Finding> findings = new NettyBuffersCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NettyBuffersCheck implements Check {

    private static final int MAX_CREATED_AT_LINES = 6;
    private static final int MAX_GROUPS = 3;
    private static final Pattern STACK_FRAME = Pattern.compile("[\\w$./]+\\(.*\\)");

    @Override
    public List<Finding> run(Window window) {
        NettyLeakDetection detection = window.session().nettyLeaks();
        if (!detection.available()) {
            return List.of();
        }
        List<NettyLeakDetection.Leak> leaks = awaitReports(window, detection);
        if (leaks.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.leak(Finding.Kind.NETTY_BUFFERS, message(leaks), 0,
                Map.of("Netty " + leaks.get(0).resourceType(), (long) leaks.size())));
    }

    /**
     * The buffers a full GC since the window's start found unreleased: the heap check's GC serves
     * when it ran one, else one is forced here. No quiet period: Netty's records tell at once.
     */
    private static List<NettyLeakDetection.Leak> awaitReports(Window window, NettyLeakDetection detection) {
        if (GcForcer.forced() == window.forcedGcsAtStart()) {
            GcForcer.fullGc();
        }
        return detection.leaksAfterGc();
    }

    static String message(List<NettyLeakDetection.Leak> leaks) {
        Map<String, List<NettyLeakDetection.Leak>> groups = leaks.stream().collect(Collectors.groupingBy(
                NettyBuffersCheck::origin, TreeMap::new, Collectors.toList()));
        StringBuilder text = new StringBuilder().append(leaks.size()).append(" Netty ")
                .append(leaks.size() == 1 ? "leak" : "leaks").append(" reported by ResourceLeakDetector: ")
                .append(leaks.get(0).resourceType()).append(".release() was not called before it was garbage-collected")
                .append(groups.size() > 1 ? " (" + groups.size() + " different origins)." : ".");
        groups.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, List<NettyLeakDetection.Leak>> e) -> -e.getValue().size()))
                .limit(MAX_GROUPS)
                .forEach(e -> {
                    List<String> lines = recordLines(e.getValue().get(0));
                    text.append("\n  ").append(e.getValue().size()).append(" x ").append(origin(e.getValue().get(0)));
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
    private static String origin(NettyLeakDetection.Leak leak) {
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

    private static String userFrame(List<String> frames) {
        // Netty's records also hold notes ("4 leak records were discarded..."): frames only.
        return frames.stream().filter(f -> STACK_FRAME.matcher(f).matches())
                .filter(f -> !f.startsWith("io.netty.") && !f.startsWith("java.") && !f.startsWith("jdk.")
                        && !f.startsWith("sun.") && !f.startsWith("dev.leakproof.fixture."))
                .findFirst().orElse(null);
    }
}
