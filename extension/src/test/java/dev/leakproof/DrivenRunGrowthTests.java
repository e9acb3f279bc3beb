package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Every driven run is judged by growth per connection, by default: a shared structure that gains an
 * entry per connection without keeping any per-connection object (so every weak reference is
 * cleared and every connection closes) fails the test with the growing class and its path; its
 * bounded twin passes. The inputs vary per connection (the TLS server name, the HTTP path and
 * header), so a cache keyed by them grows too.
 */
class DrivenRunGrowthTests {

    /** What a server remembers of each visit: no Channel, no handler, nothing the tracker follows. */
    record Visit(String remote, long at) {
    }

    /** A history of visits kept by a static field, unbounded or (the fixed twin) the last 16. */
    static final Map<Integer, Visit> HISTORY = new ConcurrentHashMap<>();
    static final Map<Integer, Visit> RECENT = Collections.synchronizedMap(lruOf(16));
    static final AtomicLong VISITS = new AtomicLong();

    static <K, V> Map<K, V> lruOf(int size) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    @AfterEach
    void forget() {
        HISTORY.clear();
        RECENT.clear();
        METRICS.clear();
        BOUNDED_METRICS.clear();
        SNI_CONTEXTS.clear();
        BOUNDED_SNI_CONTEXTS.clear();
    }

    /** Records each visit where it is told: the unbounded history, or the bounded one. */
    static final class VisitRecorder extends ChannelInboundHandlerAdapter {
        private final Map<Integer, Visit> into;

        VisitRecorder(Map<Integer, Visit> into) {
            this.into = into;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            into.put((int) VISITS.incrementAndGet(), new Visit(String.valueOf(ctx.channel().remoteAddress()), System.nanoTime()));
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class VisitHistoryTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new VisitRecorder(HISTORY));
                }
            };
        }

        @Test
        void visitorsComeAndGo() {
            // no connection of its own: the automatic cycles are judged by growth
        }
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class BoundedVisitHistoryTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new VisitRecorder(RECENT));
                }
            };
        }

        @Test
        void visitorsComeAndGo() {
        }
    }

    @Test
    void aHistoryThatGainsAnEntryPerConnectionFailsTheAutomaticCycles() {
        Events tests = TestKit.tests(VisitHistoryTestCase.class);
        tests.assertStatistics(s -> s.failed(1));
        String failure = TestKit.onlyFailureMessage(tests);
        assertThat(failure)
                .startsWith("Each connection of the driven run ")
                .contains("x DrivenRunGrowthTests$Visit")
                .contains("(300 connections: a warm-up of 30, then 54, 108 and 108 more, the same rate in each step)")
                .contains("static DrivenRunGrowthTests.HISTORY")
                .contains("gains an entry for every connection and never loses one");
    }

    @Test
    void aBoundedHistoryPasses() {
        Events tests = TestKit.tests(BoundedVisitHistoryTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        tests.assertStatistics(s -> s.succeeded(1));
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class InjectedDriverTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new VisitRecorder(HISTORY));
                }
            };
        }

        @Test
        void aTestsOwnRun(ConnectionDriver driver) {
            DriverStats stats = driver.run(200);
            assertThat(stats.failures()).isZero();
        }
    }

    @Test
    void aTestsOwnDriverRunIsJudgedToo() {
        Events tests = TestKit.tests(InjectedDriverTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("aTestsOwnRun"),
                finishedWithFailure(instanceOf(ConnectionLeakError.class),
                        message(m -> m.startsWith("Each connection of the driven run ")
                                && m.contains("(200 connections: a warm-up of 25, then 35, 70 and 70 more")))));
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s", judgeGrowth = false)
    static class GrowthSwitchedOffTestCase extends VisitHistoryTestCase {
    }

    @Test
    void judgeGrowthFalseSwitchesItOffForTheClass() {
        Events tests = TestKit.tests(GrowthSwitchedOffTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
    }

    @DetectConnectionLeaks(cycles = 60, gracePeriod = "1s")
    static class ShortRunTestCase extends VisitHistoryTestCase {
    }

    @Test
    void aShortRunIsNotJudgedAndTheReportSaysSo() throws Exception {
        Events tests = TestKit.tests(ShortRunTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        Path json = Path.of("target/leak-reports", ShortRunTestCase.class.getName() + ".json");
        assertThat(Files.readString(json)).contains("Growth per connection was not judged for a run of 60 cycles: "
                + "judging it inside a run takes at least 125")
                .contains("growth.assertDoesNotGrowInBatches(n -> driver.run(n))");
    }

    // --- HTTP: a metrics map with a tag per request URI, on a pipeline the class hosts.

    static final Map<String, AtomicLong> METRICS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> BOUNDED_METRICS = Collections.synchronizedMap(lruOf(16));

    /** Counts requests per URI into {@code metrics}, and answers 200. */
    static ChannelInitializer<Channel> metricsServer(Map<String, AtomicLong> metrics) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                metrics.computeIfAbsent(request.uri(), uri -> new AtomicLong()).incrementAndGet();
                                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK);
                                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                ctx.writeAndFlush(response);
                            }
                        });
            }
        };
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class MetricsPerUriTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return metricsServer(METRICS);
        }

        @Test
        void requests() {
        }
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class BoundedMetricsTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return metricsServer(BOUNDED_METRICS);
        }

        @Test
        void requests() {
        }
    }

    @Test
    void aHostedHttpPipelineIsSentVariedRequestsAndItsMetricsPerUriFail() {
        Events tests = TestKit.tests(MetricsPerUriTestCase.class);
        tests.assertStatistics(s -> s.failed(1));
        assertThat(TestKit.onlyFailureMessage(tests))
                .startsWith("Each connection of the driven run ")
                .contains("static DrivenRunGrowthTests.METRICS");
        assertThat(METRICS).containsKey("/leakproof/7?c=7");
    }

    @Test
    void boundedMetricsPass() {
        Events tests = TestKit.tests(BoundedMetricsTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
    }

    // --- SNI: a server of the test's own that builds and caches a TLS context per server name.

    static final Map<String, SslContext> SNI_CONTEXTS = new ConcurrentHashMap<>();
    static final Map<String, SslContext> BOUNDED_SNI_CONTEXTS = Collections.synchronizedMap(lruOf(16));

    /** A Netty TLS server with its own SniHandler, its contexts cached per name in {@code cache}. */
    static final class SniServer implements AutoCloseable {
        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final Channel channel;

        SniServer(TlsFixtureServer fixture, Map<String, SslContext> cache) throws InterruptedException {
            Mapping<String, SslContext> mapping = name -> cache.computeIfAbsent(String.valueOf(name), n -> {
                try {
                    return SslContextBuilder.forServer(fixture.keyManagerFactory()).build();
                } catch (SSLException e) {
                    throw new IllegalStateException(e);
                }
            });
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new SniHandler(mapping));
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) channel.localAddress();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class ContextPerServerNameTestCase {
        static SniServer server;

        @BeforeAll
        static void start(TlsFixtureServer fixture) throws InterruptedException {
            server = new SniServer(fixture, SNI_CONTEXTS);
        }

        @AfterAll
        static void stop() {
            server.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return server.address();
        }

        @Test
        void clientsNameTheServer() {
        }
    }

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class BoundedContextsTestCase {
        static SniServer server;

        @BeforeAll
        static void start(TlsFixtureServer fixture) throws InterruptedException {
            server = new SniServer(fixture, BOUNDED_SNI_CONTEXTS);
        }

        @AfterAll
        static void stop() {
            server.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return server.address();
        }

        @Test
        void clientsNameTheServer() {
        }
    }

    @Test
    void aTlsContextCachedPerServerNameFailsWithTheVariedNames() {
        Events tests = TestKit.tests(ContextPerServerNameTestCase.class);
        tests.assertStatistics(s -> s.failed(1));
        assertThat(TestKit.onlyFailureMessage(tests))
                .startsWith("Each connection of the driven run ")
                .contains("static DrivenRunGrowthTests.SNI_CONTEXTS");
        assertThat(SNI_CONTEXTS).containsKey("c7.leakproof.test");
    }

    @Test
    void aBoundedContextCachePasses() {
        Events tests = TestKit.tests(BoundedContextsTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
    }
}
