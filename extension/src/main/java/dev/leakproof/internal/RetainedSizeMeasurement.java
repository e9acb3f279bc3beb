package dev.leakproof.internal;

import dev.leakproof.fixture.ClientProcess;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.internal.ServerConnections;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.IoRegistration;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;

/**
 * Measures the server-side memory of an open connection, two ways, with the client in another JVM
 * so that only the server's half of each connection is in this heap:
 * <ol>
 *   <li>JOL: the size of everything reachable from the open connections' channels that the shared
 *       server (listener, event loops, SslContext, allocator, security providers) does not
 *       reach; the slope of that size over several connection counts, so that a singleton first
 *       reached through a connection does not count as per-connection memory;</li>
 *   <li>the heap: the least-squares slope of used heap after a full GC over the same counts.</li>
 * </ol>
 * After every connection closed, the heap must come back to where it was before any opened.
 */
final class RetainedSizeMeasurement {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int TOP_CLASSES = 8;

    private RetainedSizeMeasurement() {
    }

    static RetainedSize measure(TlsFixtureServer server, int connections, LineScript script,
            Set<Class<?>> connectionObjectClasses) {
        long start = System.nanoTime();
        int[] counts = {0, connections / 4, connections / 2, connections};
        List<RetainedSize.Point> points = new ArrayList<>();
        Map<String, long[]> classesAtHalf = null;
        Map<String, long[]> classesAtFull = null;
        long heapAfterClose;
        try (ClientProcess client = ClientProcess.start(server)) {
            // The first connections of a JVM fill caches that live as long as the server (classes, JIT,
            // security providers): a full round of them first keeps that one-time growth out of the slope.
            client.open(connections, script);
            settle(server, connections);
            // JOL's own first use (its agent, its class caches, ours) stays in the heap: before the first reading.
            connectionGraphBytes(server, new HashMap<>(), connectionObjectClasses);
            client.closeAll();
            settle(server, 0);
            int held = 0;
            for (int count : counts) {
                if (count > held) {
                    held = client.open(count - held, script);
                }
                settle(server, count);
                long heap = usedHeapAfterFullGc();
                Map<String, long[]> byClass = new HashMap<>();
                long jol = count == 0 ? 0 : connectionGraphBytes(server, byClass, connectionObjectClasses);
                points.add(new RetainedSize.Point(count, heap, jol));
                if (count == connections / 2) {
                    classesAtHalf = byClass;
                } else if (count == connections) {
                    classesAtFull = byClass;
                }
            }
            client.closeAll();
            settle(server, 0);
            heapAfterClose = usedHeapAfterFullGc();
        }
        double jolSlope = LeastSquares.slope(points.stream().filter(p -> p.open() > 0).toList(),
                RetainedSize.Point::open, RetainedSize.Point::jolConnectionBytes);
        double heapSlope = LeastSquares.slope(points, RetainedSize.Point::open, RetainedSize.Point::usedHeapBytes);
        double residual = (heapAfterClose - points.get(0).usedHeapBytes()) / (double) connections;
        return new RetainedSize(connections, jolSlope, heapSlope, residual,
                topClasses(classesAtHalf, classesAtFull, connections - connections / 2), points,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** JOL size of the open connections' own graphs, given the shared server graph walked first. */
    private static long connectionGraphBytes(TlsFixtureServer server, Map<String, long[]> byClass,
            Set<Class<?>> connectionObjectClasses) {
        Channel serverChannel = server.serverChannel();
        List<Channel> open = server.openChannels();
        List<Object> shared = new ArrayList<>(List.of(serverChannel, server.sslContext(), server.childEventLoops(),
                ByteBufAllocator.DEFAULT, serverChannel.config().getAllocator()));
        shared.addAll(List.of(Security.getProviders()));
        ObjectGraphWalker walker = new ObjectGraphWalker();
        walker.walk(shared, belongsToAConnection(serverChannel).or(o -> connectionObjectClasses.contains(o.getClass())));
        ObjectGraphWalker.Sizes sizes = walker.walk(open, o -> false);
        sizes.byClass.forEach((type, entry) -> byClass.put(type.getName(), entry));
        return sizes.bytes;
    }

    /**
     * Objects the shared side must not walk into, because each belongs to one connection: shared
     * structures (the selector's key set, the event loop's task queue, the fixture's registry, the
     * server's own session registry) point at them, but they are the connection's memory.
     */
    private static Predicate<Object> belongsToAConnection(Channel serverChannel) {
        return o -> (o instanceof Channel c && c != serverChannel)
                || (o instanceof java.nio.channels.SocketChannel)
                || (o instanceof SelectionKey key && !(key.channel() instanceof ServerSocketChannel))
                || o instanceof SSLEngine
                || (o instanceof ChannelHandlerContext ctx && ctx.channel() != serverChannel)
                || (o instanceof ChannelPipeline p && p.channel() != serverChannel)
                || o instanceof IoRegistration
                || o instanceof ScheduledFuture
                || o instanceof ServerConnections.Connection;
    }

    private static List<RetainedSize.ClassShare> topClasses(Map<String, long[]> half, Map<String, long[]> full,
            int connectionsBetween) {
        if (half == null || full == null || connectionsBetween <= 0) {
            return List.of();
        }
        List<RetainedSize.ClassShare> shares = new ArrayList<>();
        full.forEach((name, f) -> {
            long[] h = half.getOrDefault(name, new long[2]);
            double bytes = (f[0] - h[0]) / (double) connectionsBetween;
            if (bytes > 0) {
                shares.add(new RetainedSize.ClassShare(name, bytes, (f[1] - h[1]) / (double) connectionsBetween));
            }
        });
        shares.sort(Comparator.comparingDouble(RetainedSize.ClassShare::bytesPerConnection).reversed());
        return shares.subList(0, Math.min(TOP_CLASSES, shares.size()));
    }

    /** Waits until the server holds exactly {@code open} connections and its event loops are idle. */
    private static void settle(TlsFixtureServer server, int open) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (server.counts().open() != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server holds " + server.counts().open() + " connections, expected "
                        + open + " after " + SETTLE.toSeconds() + " s");
            }
            sleep(5);
        }
        if (open == 0) {
            server.awaitNoOpenConnections(SETTLE);
        }
        server.awaitEventLoops(SETTLE);
    }

    /**
     * Used heap right after a full GC, as the collector reported it. Reading the heap's usage a moment
     * later would count the garbage allocated in between, and a server whose connections send
     * heartbeats allocates in proportion to its connections: that garbage would look like memory
     * per connection.
     */
    static long usedHeapAfterFullGc() {
        GcForcer.fullGc();
        GcForcer.fullGc(); // the second collects what the first one's reference processing freed
        long afterGc = heapAfterLastFullCollection();
        return afterGc >= 0 ? afterGc : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static final Pattern FULL_COLLECTORS =
            Pattern.compile(".*(Old Generation|MarkSweep|Major Cycles|ZGC Cycles|Shenandoah Cycles).*");

    /** Heap used after the latest full collection, from its GcInfo; -1 where the JVM does not say. */
    private static long heapAfterLastFullCollection() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean hotspot && FULL_COLLECTORS.matcher(gc.getName()).matches()) {
                GcInfo info = hotspot.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return -1;
        }
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring retained size", e);
        }
    }
}
