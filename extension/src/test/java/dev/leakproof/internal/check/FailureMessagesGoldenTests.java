package dev.leakproof.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.PresenceSession;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.growth.GrowthJudge;
import dev.leakproof.internal.heap.Survivors;
import dev.leakproof.internal.netty.NettyLeakDetection;
import dev.leakproof.internal.os.SocketTable;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.StepLoad;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.tracking.TrackedConnection;
import dev.leakproof.internal.tracking.TrackedObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins every kind of failure message word for word, from fixed inputs: a restructuring of the code
 * that writes them must not change a single character. The expected texts live in
 * {@code src/test/resources/golden/}; they were written by the code as it stood before the
 * restructuring, and a change to them is a change of the product, to be made on purpose.
 */
class FailureMessagesGoldenTests {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    // Objects the survivors' weak references point at: held strongly for the test's length.
    private final List<Object> referents = new ArrayList<>();

    @Test
    void survivorsWithPathAndTestObjects() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        List<TrackedObject> objects = new ArrayList<>();
        long closedAt = 1_000_000_000L;
        for (int i = 0; i < 3; i++) {
            TrackedConnection connection = new TrackedConnection(i + 1, 41234 + i);
            connection.markClosed(closedAt);
            objects.add(tracked(new PresenceSession(), "PresenceSession", connection, queue));
            objects.add(tracked(new StringBuilder(), null, connection, queue));
        }
        objects.add(tracked(new Object(), "ChatSession alice", null, queue));
        Survivors survivors = new Survivors(objects, 10);
        String trace = "Reference path from a GC root (3 leaking objects, 1 signature; dump 12 ms, analysis 34 ms):\n"
                + "    3 instances: static OnlineUsers.ONLINE[] -> PresenceSession   (GC root: static field)";
        assertGolden("survivors", HeapSurvivorsCheck.message(survivors, new GcForcer.Result("gcRun", 9), 0,
                closedAt + 1_200_000_000L, trace, HeapAdvice.forPath("static OnlineUsers.ONLINE[] -> PresenceSession")));
    }

    @Test
    void tlsPeersOfAServerTheTestStarted() {
        String trace = "Reference path from a GC root (50 leaking objects, 1 signature; dump 12 ms, analysis 34 ms):\n"
                + "    50 instances: static AccessLog.EXCHANGES[] -> HttpsExchangeImpl.impl -> ExchangeImpl.connection "
                + "-> HttpConnection.engine -> SSLEngineImpl   (GC root: static field)";
        String closed = TlsPeersCheck.message(TrackedObject.TlsPeer.SERVER, 50, 50, 0, Map.of("SSLEngineImpl", 50L),
                trace, HeapAdvice.forPath("static AccessLog.EXCHANGES[] -> SSLEngineImpl"));
        String neverClosed = TlsPeersCheck.neverClosedMessage(20, 20, Map.of("SSLEngineImpl", 20L),
                trace.replace("50", "20"));
        assertGolden("tls-peers", closed + "\n\n" + neverClosed + "\n");
    }

    @Test
    void survivorsOfTestObjectsOnly() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        List<TrackedObject> objects = List.of(tracked(new Object(), "ChatSession alice", null, queue));
        assertGolden("survivors-test-objects", HeapSurvivorsCheck.message(new Survivors(objects, 20),
                new GcForcer.Result("gcRun", 1), 2, 0, null, HeapAdvice.forPath(null)));
    }

    @Test
    void adviceForEveryKindOfPath() {
        StringBuilder text = new StringBuilder();
        for (String path : new String[] {null,
                "Thread.threadLocals -> ThreadLocal$ThreadLocalMap.table[] -> TenantSession",
                "static Heartbeats.SCHEDULER -> ScheduledThreadPoolExecutor.workQueue -> HeartbeatSession",
                "static OnlineUsers.ONLINE[] -> PresenceSession",
                "Notifier.listeners[] -> TlsConnection",
                "SomeHolder.value -> Session"}) {
            text.append(path).append('\n').append(HeapAdvice.forPath(path)).append("\n\n");
        }
        assertGolden("advice", text.toString());
    }

    @Test
    void openConnections() {
        List<OpenConnection> open = List.of(
                openConnection(41234, 1100, "sending response 1: 4456448 of 32000000 bytes written, the client is not reading the rest", false),
                openConnection(41240, 1300, "sending response 1: 4456448 of 32000000 bytes written, the client is not reading the rest", false),
                openConnection(41250, 700, "response fully sent, idle between requests", true));
        assertGolden("open-connections", OpenConnectionsCheck.message(open, Duration.ofMillis(500), 12, 2));
    }

    @Test
    void fileDescriptors() {
        // A server that never closes what its peers closed (9 in CLOSE_WAIT, 7 reset) and a log per connection.
        SortedMap<Integer, String> left = new TreeMap<>();
        Map<String, SocketTable.Entry> table = new HashMap<>();
        for (int fd = 41; fd <= 56; fd++) {
            left.put(fd, "socket:[" + (12300 + fd) + "]");
            if (fd <= 49) {
                table.put("socket:[" + (12300 + fd) + "]", new SocketTable.Entry("TCP", "CLOSE_WAIT", 8443, 40000 + fd));
            }
        }
        left.put(57, "/tmp/session-1.log");
        left.put(58, "/tmp/session-2.log");
        // A library's server channel left open after each failed bind, and its listener never closed.
        SortedMap<Integer, String> neverConnected = new TreeMap<>();
        for (int fd = 60; fd < 160; fd++) {
            neverConnected.put(fd, "socket:[" + (20000 + fd) + "]");
        }
        neverConnected.put(160, "socket:[30000]");
        table.put("socket:[30000]", new SocketTable.Entry("TCP", "LISTEN", 8080, 0));
        assertGolden("file-descriptors", LeftOpenDescriptors.message(left, SocketTable.of(table), 200, 0)
                + "\n\n" + LeftOpenDescriptors.message(neverConnected, SocketTable.of(table), 20, 0));
    }

    @Test
    void pendingTasks() {
        assertGolden("pending-tasks", ScheduledTasksCheck.message(new TreeMap<>(Map.of("HeartbeatHandler$$Lambda", 50L)), 50)
                + "\n\n" + ScheduledTasksCheck.message(Map.of("Timeout", 1L), 1));
    }

    @Test
    void threads() {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            threads.add(new Thread(() -> { }, "session-worker-" + i)); // never started: NEW, no frames
        }
        assertGolden("threads", Threads.message(threads, 20, "during the test") + "\n\n"
                + Threads.message(threads.subList(0, 1), 300, "by this test class"));
    }

    @Test
    void nettyLeaks() {
        String records = "\nRecent access records: \n#1:\n\tHint: 'handler' will handle the message from this point.\n"
                + "\tio.netty.channel.DefaultChannelPipeline.fireChannelRead(DefaultChannelPipeline.java:1)\n"
                + "\tcom.example.CommandDecoder.decode(CommandDecoder.java:42)\n"
                + "#2:\n\tio.netty.buffer.AbstractByteBuf.readBytes(AbstractByteBuf.java:1)\n"
                + "Created at:\n\tio.netty.buffer.PooledByteBufAllocator.newDirectBuffer(PooledByteBufAllocator.java:1)\n"
                + "\tcom.example.CommandDecoder.decode(CommandDecoder.java:40)\n"
                + "\tio.netty.handler.codec.ByteToMessageDecoder.callDecode(ByteToMessageDecoder.java:1)\n";
        String other = "\nCreated at:\n\tio.netty.buffer.UnpooledByteBufAllocator.heapBuffer(UnpooledByteBufAllocator.java:1)\n"
                + "\tcom.example.Greeter.channelActive(Greeter.java:17)\n";
        List<NettyLeakDetection.Leak> leaks = List.of(new NettyLeakDetection.Leak("ByteBuf", records),
                new NettyLeakDetection.Leak("ByteBuf", records), new NettyLeakDetection.Leak("ByteBuf", other));
        assertGolden("netty-leaks", NettyBuffersCheck.message(leaks));
    }

    @Test
    void retainedSize() {
        RetainedSize size = new RetainedSize(200, 7300, 9100, 2048,
                List.of(new RetainedSize.ClassShare("[B", 2100, 3), new RetainedSize.ClassShare(
                        "sun.security.ssl.SSLEngineImpl", 900, 1), new RetainedSize.ClassShare("[Ljava.lang.Object;", 300, 2)),
                List.of(new RetainedSize.Point(0, 10_000_000, 0), new RetainedSize.Point(200, 11_800_000, 1_460_000)), 4000);
        assertGolden("retained-size", RetainedSizeCheck.overBudget(size, 4096) + "\n\n"
                + RetainedSizeCheck.memoryNotReturned(size) + "\n\n" + RetainedSizeCheck.disagreement(size));
    }

    @Test
    void growth() {
        List<GrowthJudge.Trend> resources = List.of(
                new GrowthJudge.Trend("open connections", new long[] {0, 0, 0, 0, 0}, false, 0, null),
                new GrowthJudge.Trend("threads", new long[] {3, 3, 3, 3, 3}, false, 0, null),
                new GrowthJudge.Trend("file descriptors", new long[] {70, 74, 74, 74, 74}, false, 0, null),
                new GrowthJudge.Trend("scheduled tasks", new long[] {0, 0, 0, 0, 0}, false, 0, null),
                new GrowthJudge.Trend("tracked objects", new long[] {0, 0, 0, 0, 0}, false, 0, null));
        List<GrowthJudge.Trend> classes = List.of(
                new GrowthJudge.Trend("com.example.Visit", new long[] {0, 30, 84, 192, 300}, true, 1.0,
                        GrowthJudge.Origin.USER),
                new GrowthJudge.Trend("java.util.concurrent.ConcurrentHashMap$Node", new long[] {12, 42, 96, 204, 312},
                        true, 1.0, GrowthJudge.Origin.JDK));
        GrowthJudge.Result result = new GrowthJudge.Result(30, 54, 300, classes, resources, null);
        LeakTraces.Result trace = new LeakTraces.Result(List.of(new LeakTraces.Signature(300,
                "static VisitLog.HISTORY -> ConcurrentHashMap.table[] -> ConcurrentHashMap$Node.val -> Visit",
                "static field")), 300, null, null, 120, 1900);
        assertGolden("growth", GrowthMessages.message(result, trace, "com.example.VisitTests", List.of(),
                GrowthMessages.Unit.CONNECTION) + "\n\n" + GrowthMessages.constants(result, List.of(), GrowthMessages.Unit.CONNECTION)
                        .stream().map(Finding::message).reduce("", String::concat)
                + "\n\n" + DrivenRunGrowth.shortRunNote(60));
    }

    @Test
    void stepLoad() {
        StepLoad.Step base = new StepLoad.Step(0, 20_000_000, 200_000_000, 40, 30, 0, -1);
        StepLoad.Result result = new StepLoad.Result(base, List.of(
                new StepLoad.Step(20, 21_000_000, 210_000_000, 60, 30, 40, 512),
                new StepLoad.Step(100, 26_000_000, 230_000_000, 140, 31, 200, 520.5)),
                new StepLoad.Step(0, 25_000_000, 229_000_000, 52, 31, 0, -1), Duration.ofSeconds(2),
                List.of("session-reaper (TIMED_WAITING)"));
        assertGolden("step-load", StepLoadCheck.message(result, StepLoad.notReturned(result)));
    }

    @Test
    void leakTraceDescriptions() {
        List<LeakTraces.Signature> signatures = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            signatures.add(new LeakTraces.Signature(10 - i, "static Registry.MAP -> HashMap.table[] -> Session" + i,
                    i == 0 ? "static field" : "Thread object"));
        }
        String text = LeakTraces.describe(new LeakTraces.Result(signatures, 49, null, Path.of("/tmp/kept.hprof"), 151, 1306))
                + "\n\n" + LeakTraces.describe(new LeakTraces.Result(signatures.subList(0, 1), 1, null, null, 10, 20))
                + "\n\n" + LeakTraces.describe(new LeakTraces.Result(List.of(), 0, "the analysis passed its time limit of 1 ms",
                        null, 0, 0))
                + "\n\n" + LeakTraces.describe(new LeakTraces.Result(List.of(), 0, null, null, 0, 0));
        assertGolden("leak-traces", text);
    }

    private TrackedObject tracked(Object referent, String description, TrackedConnection connection,
            ReferenceQueue<Object> queue) {
        referents.add(referent);
        TrackedObject tracked = new TrackedObject(referent, description, connection, queue);
        if (connection != null) {
            connection.addIfAbsent(referent, () -> tracked);
        }
        return tracked;
    }

    private static OpenConnection openConnection(int port, long ageMillis, String state, boolean idle) {
        return new OpenConnection(new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(ageMillis),
                Duration.ofMillis(ageMillis / 2), 517, 4_456_448, true, state, idle, "ESTABLISHED");
    }

    /** Compares with the golden file; {@code -Dgolden.write=true} writes it instead (only to add a new one). */
    private static void assertGolden(String name, String actual) {
        Path file = GOLDEN.resolve(name + ".txt");
        try {
            if (Boolean.getBoolean("golden.write") && !Files.exists(file)) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
