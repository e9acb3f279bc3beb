package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionCounts;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.ConnectionErrorKind;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The chat server under abuse, hosted behind the fixture the way its leak suite hosts it: a burst of
 * connections past the cap, lines that are not UTF-8, overlong lines and a flood, garbage under TLS
 * after a login. Each bad client is answered or closed as the protocol says ({@link ChatHandler})
 * and counted, good clients are served all along, and after every test the extension proves that
 * none of those connections left anything behind; the last test runs the leak suite's cycles after
 * the abuse. The case runs through the engine, so that its verdicts are what is asserted here.
 */
class ChatServerAbuseTests {

    @Test
    void eachBadClientIsAnsweredClosedAndCountedGoodOnesAreServedAndNothingLeaks() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(AbusedChatServerTestCase.class)).execute();
        assertThat(results.allEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable().map(Throwable::getMessage).orElse("?"))
                .toList()).as("failures of the abused chat server").isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(0));
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class AbusedChatServerTestCase {
        // Room for the bad clients, the good client's connections and the ones still closing at the server.
        static final int MAX_CONNECTIONS = 24;
        static final int BURST = 50;
        /** Bound on each client read and wait: far beyond what the busiest machine needs, short of a hang. */
        static final Duration TIMEOUT = Duration.ofSeconds(20);
        static final ChatHub HUB = new ChatHub();

        @ServerPipeline
        static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
            HUB.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
            return new ChatServerInitializer(ChatServerConfig.builder()
                    // An admitted connection hears a PING soon without saying a word; a refused one hears
                    // ERR server full: the first line tells them apart with no race against the close.
                    .heartbeatInterval(Duration.ofMillis(200))
                    // Held clients do not answer heartbeats: no idle close may free the cap mid-test.
                    .idleTimeout(Duration.ofMinutes(5))
                    .maxConnections(MAX_CONNECTIONS)
                    .build(), HUB);
        }

        @AfterEach
        void everythingIsForgotten(TlsFixtureServer server) {
            assertThat(server.awaitNoOpenConnections(TIMEOUT)).as("open connections: %s", server.openConnections())
                    .isTrue();
            awaitTrue("the hub forgets every connection: " + HUB,
                    () -> HUB.sessionCount() == 0 && HUB.roomCount() == 0 && HUB.connectionCount() == 0);
        }

        @Test
        @Order(1)
        void aBurstPastTheCapIsRefusedAndCountedWhileMembersKeepChatting(TlsFixtureServer server,
                ConnectionDriver driver) throws Exception {
            SSLContext tls = server.clientSslContext();
            List<ChatClient> members = new ArrayList<>();
            List<ChatClient> burst = Collections.synchronizedList(new ArrayList<>());
            try {
                for (int i = 0; i < 4; i++) {
                    ChatClient member = connect(server, tls);
                    members.add(member);
                    member.send("LOGIN member" + i);
                    assertThat(member.readLineSkippingPings()).isEqualTo("OK welcome member" + i);
                    member.send("JOIN lobby");
                    assertThat(member.readLineSkippingPings()).isEqualTo("OK joined lobby");
                }
                long refusedBefore = HUB.refusals(ChatHub.Refusal.SERVER_FULL);
                AtomicInteger admitted = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                inParallel(BURST, i -> {
                    go.await();
                    ChatClient client = connect(server, tls);
                    burst.add(client);
                    String first = client.readLine();
                    if ("ERR server full".equals(first)) {
                        client.assertClosedByServer();
                        refused.incrementAndGet();
                    } else {
                        assertThat(first).as("the first line of an admitted connection").isEqualTo("PING");
                        admitted.incrementAndGet();
                    }
                    return null;
                }, go::countDown);

                assertThat(admitted.get()).as("admitted of the burst of %d with 4 members in", BURST).isEqualTo(MAX_CONNECTIONS - 4);
                assertThat(refused.get()).as("refused of the burst of %d", BURST).isEqualTo(BURST - (MAX_CONNECTIONS - 4));
                assertThat(HUB.refusals(ChatHub.Refusal.SERVER_FULL) - refusedBefore).as("refusals counted")
                        .isEqualTo(refused.get());
                assertThat(HUB.connectionCount()).isEqualTo(MAX_CONNECTIONS);
                // Members are served all along: a message still reaches every one of them.
                members.get(0).send("PUB lobby still here");
                for (ChatClient member : members) {
                    assertThat(member.readLineSkippingPings()).isEqualTo("MSG lobby member0 still here");
                }
                print("burst past the cap", server);

                burst.forEach(AbusedChatServerTestCase::closeQuietly);
                awaitTrue("the burst's connections released from the cap: " + HUB, () -> HUB.connectionCount() == 4);
                DriverStats afterwards = driver.run(50, CloseStyle.CLIENT_CLOSE, GOOD_EXCHANGE);
                assertThat(afterwards.failuresByCause()).as("new clients once the cap has room").isEmpty();
            } finally {
                burst.forEach(AbusedChatServerTestCase::closeQuietly);
                members.forEach(AbusedChatServerTestCase::closeQuietly);
            }
        }

        @Test
        @Order(2)
        void linesThatAreNotUtf8AreAnsweredAndOverlongLinesAnsweredAndClosed(TlsFixtureServer server,
                ConnectionDriver driver) throws Exception {
            SSLContext tls = server.clientSslContext();
            long invalidBefore = HUB.refusals(ChatHub.Refusal.INVALID_UTF8);
            long tooLongBefore = HUB.refusals(ChatHub.Refusal.LINE_TOO_LONG);
            List<byte[]> notUtf8 = List.of(
                    latin1("PUB lobby caf\u00e9\n"),                       // Latin-1, not UTF-8
                    bytes(0x50, 0x55, 0x42, 0x20, 0xc0, 0xaf, 0x0a),     // an overlong '/'
                    bytes(0x4c, 0x4f, 0x47, 0x49, 0x4e, 0x20, 0xed, 0xa0, 0x80, 0x0a), // an encoded surrogate
                    bytes(0xff, 0xfe, 0x80, 0x0a));                      // bytes UTF-8 never uses
            ChatClient listener = connect(server, tls);
            try (GoodClient good = GoodClient.start(driver)) {
                listener.send("LOGIN listener");
                assertThat(listener.readLineSkippingPings()).isEqualTo("OK welcome listener");
                listener.send("JOIN lobby");
                assertThat(listener.readLineSkippingPings()).isEqualTo("OK joined lobby");

                inParallel(8, i -> {
                    ChatClient client = connect(server, tls);
                    try {
                        client.send("LOGIN mangler" + i);
                        assertThat(client.readLineSkippingPings()).isEqualTo("OK welcome mangler" + i);
                        client.send("JOIN lobby");
                        assertThat(client.readLineSkippingPings()).isEqualTo("OK joined lobby");
                        for (byte[] line : notUtf8) {
                            client.sendBytes(line);
                            assertThat(client.readLineSkippingPings()).isEqualTo("ERR invalid UTF-8");
                        }
                        client.send("PING");
                        assertThat(client.readLineSkippingPings()).as("still served after bad lines").isEqualTo("PONG");
                        client.send("x".repeat(ChatServerConfig.DEFAULT_MAX_LINE_LENGTH + 1000));
                        assertThat(client.readLineSkippingPings()).isEqualTo("ERR line too long");
                        client.assertClosedByServer();
                    } finally {
                        closeQuietly(client);
                    }
                    return null;
                }, () -> { });

                // A flood: a megabyte with no line end. The server refuses it once past the maximum and
                // closes, it does not buffer it; the answer may be lost to the reset that closing with
                // unread input makes, so the count says it was refused.
                ChatClient flood = connect(server, tls);
                try {
                    flood.send("LOGIN flood");
                    assertThat(flood.readLineSkippingPings()).isEqualTo("OK welcome flood");
                    try {
                        flood.sendBytes("y".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
                    } catch (UncheckedIOException closedWhileSending) {
                        // the server closed before the megabyte was through
                    }
                    awaitTrue("the flood refused", () -> HUB.refusals(ChatHub.Refusal.LINE_TOO_LONG) - tooLongBefore == 9);
                } finally {
                    closeQuietly(flood);
                }

                // None of the bad lines reached the room, mangled or not: the next line is the answer.
                listener.send("PING");
                assertThat(listener.readLineSkippingPings()).isEqualTo("PONG");
                assertThat(good.failures()).as("failures of the good client").isEmpty();
            } finally {
                closeQuietly(listener);
            }
            assertThat(HUB.refusals(ChatHub.Refusal.INVALID_UTF8) - invalidBefore).isEqualTo(8 * notUtf8.size());
            assertThat(HUB.refusals(ChatHub.Refusal.LINE_TOO_LONG) - tooLongBefore).isEqualTo(8 + 1);
            print("lines not UTF-8, overlong lines, a flood", server);
        }

        @Test
        @Order(3)
        void garbageUnderTlsAfterALoginClosesTheConnectionAndIsCounted(TlsFixtureServer server, ConnectionDriver driver)
                throws Exception {
            SSLContext tls = server.clientSslContext();
            long notTlsBefore = server.counts().errors(ConnectionErrorKind.NOT_TLS);
            try (GoodClient good = GoodClient.start(driver)) {
                inParallel(8, i -> {
                    ChatClient client = connect(server, tls);
                    try {
                        client.send("LOGIN garbler" + i);
                        assertThat(client.readLineSkippingPings()).isEqualTo("OK welcome garbler" + i);
                        client.send("JOIN lobby");
                        assertThat(client.readLineSkippingPings()).isEqualTo("OK joined lobby");
                        client.sendUnderTls("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        assertClosed(client);
                    } finally {
                        closeQuietly(client);
                    }
                    return null;
                }, () -> { });
                assertThat(good.failures()).as("failures of the good client").isEmpty();
            }
            assertThat(server.awaitNoOpenConnections(TIMEOUT)).isTrue();
            assertThat(server.counts().errors(ConnectionErrorKind.NOT_TLS) - notTlsBefore)
                    .as("bytes that are not TLS, counted by the fixture: %s", server.counts()).isEqualTo(8);
            print("garbage under TLS after a login", server);
        }

        @Test
        @Order(4)
        void theLeakSuitesCyclesStillPassAfterTheAbuse(ConnectionDriver driver) {
            assertThat(driver.run(GOOD_EXCHANGE).failuresByCause()).isEmpty();
            assertThat(driver.run(100, CloseStyle.ABRUPT_RESET, c -> {
                c.send("LOGIN vanisher" + c.cycle());
                c.expectLinePrefix("OK welcome");
                c.send("JOIN room" + (c.cycle() % 7));
                c.expectLinePrefix("OK joined");
            }).failuresByCause()).isEmpty();
        }

        /** The leak suite's exchange: a good client's whole session. */
        static final Exchange GOOD_EXCHANGE = c -> {
            String name = "user" + c.cycle();
            String room = "room" + (c.cycle() % 5);
            c.send("LOGIN " + name);
            c.expectLinePrefix("OK welcome " + name);
            c.send("JOIN " + room);
            c.expectLinePrefix("OK joined " + room);
            c.send("PUB " + room + " hello");
            c.expectLinePrefix("MSG " + room + " " + name + " hello");
            c.send("LEAVE " + room);
            c.expectLinePrefix("OK left " + room);
        };

        /** Good clients cycling in the background, in rounds, until closed. */
        static final class GoodClient implements AutoCloseable {
            private final AtomicBoolean stop = new AtomicBoolean();
            private final Map<String, Long> failures = new ConcurrentHashMap<>();
            private final AtomicInteger completed = new AtomicInteger();
            private final Thread thread;

            private GoodClient(ConnectionDriver driver) {
                thread = new Thread(() -> {
                    do {
                        DriverStats stats = driver.run(10, CloseStyle.CLIENT_CLOSE, GOOD_EXCHANGE);
                        completed.addAndGet(stats.cyclesCompleted());
                        stats.failuresByCause().forEach((cause, n) -> failures.merge(cause, n, Long::sum));
                    } while (!stop.get());
                }, "good-chat-client");
                thread.start();
            }

            static GoodClient start(ConnectionDriver driver) {
                return new GoodClient(driver);
            }

            /** Failed cycles by cause so far; {@link #close()} first for all of them. */
            Map<String, Long> failures() {
                stop.set(true);
                join();
                return new TreeMap<>(failures);
            }

            @Override
            public void close() {
                stop.set(true);
                join();
                assertThat(completed.get()).as("good cycles completed").isPositive();
            }

            private void join() {
                try {
                    thread.join(TIMEOUT.toMillis() * 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertThat(thread.isAlive()).as("the good client still running").isFalse();
            }
        }

        /** A bad client's body, one per parallel client. */
        interface ClientBody {
            Object run(int client) throws Exception;
        }

        /** Runs {@code count} clients at once; {@code started} runs once they are all submitted. */
        static void inParallel(int count, ClientBody body, Runnable started) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(count);
            try {
                List<Future<Object>> futures = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int client = i;
                    futures.add(pool.submit((Callable<Object>) () -> body.run(client)));
                }
                started.run();
                for (Future<Object> f : futures) {
                    f.get(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
                // No thread of the test may outlive it: the extension checks threads after each test.
                assertThat(pool.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }

        static ChatClient connect(TlsFixtureServer server, SSLContext tls) {
            return ChatClient.connect(server.address(), tls, TIMEOUT);
        }

        /** Reads until the server has closed: the end of the stream, or the reset or TLS error the garbage earned. */
        static void assertClosed(ChatClient client) {
            try {
                String line;
                do {
                    line = client.readLine();
                } while (line != null);
            } catch (UncheckedIOException closed) {
                assertThat(closed.getCause()).as("how the connection ended").isNotInstanceOf(
                        java.net.SocketTimeoutException.class);
            }
        }

        static void closeQuietly(ChatClient client) {
            try {
                client.close();
            } catch (UncheckedIOException alreadyClosedByTheServer) {
                client.reset();
            }
        }

        static void awaitTrue(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                assertThat(System.nanoTime() < deadline).as("%s, within %s s", what, TIMEOUT.toSeconds()).isTrue();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting until " + what);
                }
            }
        }

        /** What the server counted, for the build log. */
        static void print(String abuse, TlsFixtureServer server) {
            ConnectionCounts counts = server.counts();
            System.out.println("chat server abuse: " + abuse + ": refusals SERVER_FULL="
                    + HUB.refusals(ChatHub.Refusal.SERVER_FULL) + " LINE_TOO_LONG="
                    + HUB.refusals(ChatHub.Refusal.LINE_TOO_LONG) + " INVALID_UTF8="
                    + HUB.refusals(ChatHub.Refusal.INVALID_UTF8) + "; fixture: " + counts);
        }

        static byte[] latin1(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] bytes(int... values) {
            byte[] result = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                result[i] = (byte) values[i];
            }
            return result;
        }
    }
}
