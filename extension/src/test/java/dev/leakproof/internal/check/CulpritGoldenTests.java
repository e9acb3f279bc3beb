package dev.leakproof.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the words for each pattern of growing collection, from fixed inputs: the lead (what it
 * holds), the owner (the project's, a dependency's by its jar's coordinates, the JDK's), and the
 * advice of the pattern, for a growth per repetition and a server's leaked connections.
 */
class CulpritGoldenTests {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final String TEST = "com.example.ClientTests";

    @Test
    void everyPatternsWords() {
        StringBuilder text = new StringBuilder();
        for (GrowingCollection c : List.of(
                collection("static ClientTests.core -> Core.closeHooks -> ArrayList", "java.util.ArrayList", "com.example.lib.Core",
                        "closeHooks", false, 1000, "com.example.lib.Core$Client", List.of(), List.of(), 0, 0,
                        "com.example.ClientTests#core"),
                collection("static HeapAnalyzer.cache -> HashMap", "java.util.HashMap", "shark.HeapAnalyzer", "listeners", false,
                        300, "shark.LeakTrace", List.of(), List.of(), 0, 0, "com.example.ClientTests#analyzer"),
                collection("static Tenants.BY_NAME -> ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap",
                        "com.example.Tenants", "BY_NAME", true, 300, "io.netty.handler.ssl.JdkSslServerContext",
                        List.of("c1.leakproof.test", "c2.leakproof.test", "c3.leakproof.test"), List.of(), 0, 0, ""),
                collection("Thread('audit-writer').target -> ThreadPoolExecutor$Worker.this$0 -> ThreadPoolExecutor.workQueue "
                        + "-> LinkedBlockingQueue", "java.util.concurrent.LinkedBlockingQueue",
                        "java.util.concurrent.ThreadPoolExecutor", "workQueue", false, 199, "java.util.concurrent.FutureTask",
                        List.of(), List.of("audit-writer"), 0, 0, ""),
                collection("Thread('heartbeats-2').target -> ThreadPoolExecutor$Worker.this$0 -> ScheduledThreadPoolExecutor"
                        + ".workQueue -> ScheduledThreadPoolExecutor$DelayedWorkQueue",
                        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue",
                        "java.util.concurrent.ThreadPoolExecutor", "workQueue", false, 200,
                        "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", List.of(), List.of("heartbeats-2"),
                        0, 0, ""),
                collection("Thread('nioEventLoopGroup-3-1').threadLocals -> ThreadLocal$ThreadLocalMap.table[] -> "
                        + "ThreadLocal$ThreadLocalMap$Entry.value -> ArrayList", "java.util.ArrayList",
                        "java.lang.ThreadLocal$ThreadLocalMap$Entry", "value", false, 200, "com.example.Session", List.of(),
                        List.of("nioEventLoopGroup-3-1"), 0, 0, ""),
                collection("static Admin.endpoint -> MetricsEndpoint.listeners -> CopyOnWriteArrayList",
                        "java.util.concurrent.CopyOnWriteArrayList", "com.example.MetricsEndpoint", "listeners", false, 110,
                        "sun.nio.ch.ServerSocketChannelImpl", List.of(), List.of(), 110, 0, ""),
                collection("static QuoteClient.OPEN -> CopyOnWriteArrayList", "java.util.concurrent.CopyOnWriteArrayList",
                        "com.example.QuoteClient", "OPEN", true, 275, "com.example.QuoteClient", List.of(), List.of(), 0, 275, ""),
                collection("static Sessions.ALL -> ArrayList", "java.util.ArrayList", "com.example.Sessions", "ALL", true, -1,
                        "com.example.Session", List.of(), List.of(), 0, 0, ""))) {
            text.append("kind: ").append(Culprit.kind(c)).append('\n')
                    .append("name: ").append(Culprit.name(c)).append('\n')
                    .append("holds: ").append(Culprit.holds(c, "repetition", "repetitions", 1000)).append('\n')
                    .append("owner: ").append(Culprit.owner(c, TEST)).append('\n')
                    .append("advice: ").append(Culprit.advice(c, TEST, "repetition")).append('\n')
                    .append("heap advice: ").append(HeapAdvice.forSignature(new LeakTraces.Signature(200, c.way() + " -> X",
                            "static field", false, c.ownerClass(), "", c), TEST, 200, 4, HeapAdvice.Side.SERVER)).append("\n\n");
        }
        assertGolden("culprits", text.toString());
    }

    private static GrowingCollection collection(String way, String type, String owner, String field, boolean isStatic,
            long entries, String entry, List<String> keys, List<String> threads, int open, int closed, String root) {
        Map<String, Integer> held = new LinkedHashMap<>();
        held.put(entry, 200);
        held.put("io.netty.channel.socket.nio.NioSocketChannel", 200);
        String keeper = owner.startsWith("java.") ? (root.isEmpty() ? "" : root.substring(0, root.indexOf('#'))) : owner;
        return new GrowingCollection(way, type, owner, field, isStatic, keeper, entries, 200, entry, held, keys,
                keys.isEmpty() ? 0 : 300, 200, threads, open, closed, root);
    }

    private static void assertGolden(String name, String actual) {
        Path file = GOLDEN.resolve(name + ".txt");
        try {
            if (Boolean.getBoolean("golden.write") && !Files.exists(file)) {
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
