package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;

import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A client's pooled channel, tracked with {@link LeakTracker#track(Object, String)}: idle in its pool
 * and open at the end of each test, it is not a leak yet (a note); it is judged once the pool closed it
 * in {@code @AfterAll}. Collected then, the class passes; kept by a static list, the class fails with
 * the path, as a {@link ConnectionLeakError}.
 */
class PooledChannelTests {

    /** Every channel the leaky client ever acquired: closed by the pool, still referenced here. */
    static final List<Channel> ACQUIRED = new CopyOnWriteArrayList<>();
    static final BlockingQueue<String> BODIES = new LinkedBlockingQueue<>();

    /** An HTTP client over a Netty channel pool and one event loop, as a client library keeps them. */
    static final class PooledLineClient {
        private final EventLoopGroup group;
        private final SimpleChannelPool pool;
        private final boolean keepAcquired;

        @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event loop group on both Netty 4.1 and 4.2
        PooledLineClient(TlsFixtureServer server, boolean keepAcquired) throws Exception {
            this.keepAcquired = keepAcquired;
            SslContext tls = SslContextBuilder.forClient().trustManager(server.trustManagerFactory()).build();
            this.group = new NioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "pool-client-loop"));
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .remoteAddress(server.address());
            this.pool = new SimpleChannelPool(bootstrap, new AbstractChannelPoolHandler() {
                @Override
                public void channelCreated(Channel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.hostName(), server.port()),
                            new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                    BODIES.add(response.content().toString(StandardCharsets.UTF_8));
                                }
                            });
                }
            });
        }

        /** One keep-alive request on a pooled channel, tracked by the test, released to the pool after. */
        String get(LeakTracker tracker) throws Exception {
            Channel channel = pool.acquire().get(5, TimeUnit.SECONDS);
            tracker.track(channel, "pooled channel");
            if (keepAcquired) {
                ACQUIRED.add(channel);
            }
            try {
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/small");
                request.headers().set(HttpHeaderNames.HOST, "localhost");
                channel.writeAndFlush(request).sync();
                return BODIES.poll(5, TimeUnit.SECONDS);
            } finally {
                pool.release(channel).sync();
            }
        }

        /**
         * Closes the pool's channels, then the event loop. A quiet period, however short, lets the loop
         * select once more after the channels' deregistration ran; without one (0, 0) a channel closed just
         * before stays in the closed selector's key table, reachable for as long as the group is.
         */
        void close() {
            pool.close();
            group.shutdownGracefully(10, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @DetectConnectionLeaks(service = BuiltInService.HTTP, cycles = 4, concurrency = 2, maxOpenConnections = 1, gracePeriod = "2s")
    static class PoolClosedInAfterAllTestCase {
        static PooledLineClient client;

        @BeforeAll
        static void start(TlsFixtureServer server) throws Exception {
            client = new PooledLineClient(server, false);
        }

        @AfterAll
        static void stop() {
            client.close();
        }

        @Test
        void first(LeakTracker tracker) throws Exception {
            assertThat(client.get(tracker)).hasSize(6);
        }

        @Test
        void second(LeakTracker tracker) throws Exception {
            assertThat(client.get(tracker)).hasSize(6);
        }
    }

    @DetectConnectionLeaks(service = BuiltInService.HTTP, cycles = 4, concurrency = 2, maxOpenConnections = 1, gracePeriod = "2s")
    static class ChannelsKeptAfterThePoolClosedTestCase {
        static PooledLineClient client;

        @BeforeAll
        static void start(TlsFixtureServer server) throws Exception {
            client = new PooledLineClient(server, true);
        }

        @AfterAll
        static void stop() {
            client.close();
        }

        @Test
        void first(LeakTracker tracker) throws Exception {
            assertThat(client.get(tracker)).hasSize(6);
        }

        @Test
        void second(LeakTracker tracker) throws Exception {
            assertThat(client.get(tracker)).hasSize(6);
        }
    }

    @Test
    void aPooledChannelIdleBetweenTestsAndClosedWithThePoolPasses() throws Exception {
        EngineExecutionResults results = TestKit.run(PoolClosedInAfterAllTestCase.class);
        assertThat(TestKit.failures(results.allEvents())).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        String json = Files.readString(Path.of("target/leak-reports", PoolClosedInAfterAllTestCase.class.getName() + ".json"));
        assertThat(json).contains("first(LeakTracker): 1 x pooled channel tracked and still open, idle in a pool: "
                + "judged when it closes");
        assertThat(json).contains("second(LeakTracker): 1 x pooled channel tracked and still open, idle in a pool: "
                + "judged when it closes");
    }

    @Test
    void aPooledChannelKeptAfterThePoolClosedItFailsAtTheClassEnd() {
        ACQUIRED.clear();
        try {
            EngineExecutionResults results = TestKit.run(ChannelsKeptAfterThePoolClosedTestCase.class);
            // Open and idle in the pool at the end of each test: not judged there.
            results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
            results.containerEvents().assertThatEvents().haveExactly(1, event(
                    container(ChannelsKeptAfterThePoolClosedTestCase.class), finishedWithFailure()));
            Throwable failure = TestKit.containerFailure(results, ChannelsKeptAfterThePoolClosedTestCase.class);
            assertThat(failure).isInstanceOf(ConnectionLeakError.class);
            assertThat(failure.getMessage()).contains("objects tracked by the test survived a full GC")
                    .contains("Tracked by the test and still alive: 1 x pooled channel.")
                    .contains("PooledChannelTests.ACQUIRED");
            ConnectionLeakError leak = (ConnectionLeakError) failure;
            assertThat(leak.leakedConnections()).isZero();
            assertThat(leak.survivorsByClass()).containsEntry("pooled channel", 1L);
        } finally {
            ACQUIRED.clear();
        }
    }
}
