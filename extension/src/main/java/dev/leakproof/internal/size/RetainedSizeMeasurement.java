package dev.leakproof.internal.size;

import dev.leakproof.fixture.ClientProcess;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.PerConnection;
import dev.leakproof.internal.gc.UsedHeap;
import dev.leakproof.internal.wait.Waits;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import org.apiguardian.api.API;

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
 *
 * <pre>{@code
 * RetainedSize size = RetainedSizeMeasurement.measure(server, 200, LineScript.of("> ping", "< ping"), Set.of());
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RetainedSizeMeasurement {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int TOP_CLASSES = 8;

    private RetainedSizeMeasurement() {
    }

    public static RetainedSize measure(TlsFixtureServer server, int connections, LineScript script,
            Set<Class<?>> connectionObjectClasses) {
        long start = System.nanoTime();
        int[] counts = {0, connections / 4, connections / 2, connections};
        List<RetainedSize.Point> points = new ArrayList<>();
        Map<String, long[]> classesAtHalf = null;
        Map<String, long[]> classesAtFull = null;
        long heapAfterClose;
        List<RetainedSize.ClassShare> top;
        try (ClientProcess client = ClientProcess.start(server)) {
            // The first connections of a JVM fill caches that live as long as the server (classes, JIT,
            // security providers): a full round of them first keeps that one-time growth out of the slope.
            client.open(connections, script);
            settle(server, connections);
            // JOL's own first use (its agent, its class caches, ours) and this class's code run for the
            // first time (its lambdas and comparators) stay in the heap: before the first reading.
            Map<String, long[]> warmUp = new HashMap<>();
            connectionGraphBytes(server, warmUp, connectionObjectClasses);
            topClasses(warmUp, warmUp, connections);
            client.closeAll();
            settle(server, 0);
            int held = 0;
            for (int count : counts) {
                if (count > held) {
                    held = client.open(count - held, script);
                }
                settle(server, count);
                long heap = UsedHeap.afterFullGc();
                Map<String, long[]> byClass = new HashMap<>();
                long jol = count == 0 ? 0 : connectionGraphBytes(server, byClass, connectionObjectClasses);
                points.add(new RetainedSize.Point(count, heap, jol));
                if (count == connections / 2) {
                    classesAtHalf = byClass;
                } else if (count == connections) {
                    classesAtFull = byClass;
                }
            }
            // The per-class tables are the measurement's own and would count as memory that did not return.
            top = topClasses(classesAtHalf, classesAtFull, connections - connections / 2);
            classesAtHalf = null;
            classesAtFull = null;
            client.closeAll();
            settle(server, 0);
            heapAfterClose = UsedHeap.afterFullGc();
        }
        double jolSlope = LeastSquares.slope(points.stream().filter(p -> p.open() > 0).toList(),
                RetainedSize.Point::open, RetainedSize.Point::jolConnectionBytes);
        double heapSlope = LeastSquares.slope(points, RetainedSize.Point::open, RetainedSize.Point::usedHeapBytes);
        double residual = (heapAfterClose - points.get(0).usedHeapBytes()) / (double) connections;
        return new RetainedSize(connections, jolSlope, heapSlope, residual,
                top, points,
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
                || (IO_REGISTRATION != null && IO_REGISTRATION.isInstance(o))
                || o instanceof ScheduledFuture
                || o instanceof PerConnection;
    }

    /** Netty 4.2's per-channel registration with its event loop; Netty 4.1 has no such class. */
    private static final Class<?> IO_REGISTRATION = classOrNull("io.netty.channel.IoRegistration");

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, Channel.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
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
        long held = Waits.until(() -> server.counts().open(), n -> n == open, SETTLE, Duration.ofMillis(5));
        if (held != open) {
            throw new IllegalStateException("the server holds " + held + " connections, expected " + open + " after "
                    + SETTLE.toSeconds() + " s");
        }
        if (open == 0) {
            server.awaitNoOpenConnections(SETTLE);
        }
        server.awaitEventLoops(SETTLE);
    }
}
