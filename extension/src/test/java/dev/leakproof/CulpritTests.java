package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.lib.Core;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * The culprit a growth failure leads with: the collection that gains the entries, who owns it,
 * and the advice of its pattern. Each pattern's leaky case fails naming the collection, its fixed
 * twin passes; and the JDK's TLS session state of a client that reuses one {@code SSLContext} is
 * by design, not a leak.
 */
class CulpritTests {

    // --- a close registry inside a long-lived core object the test holds on purpose.

    @DetectConnectionLeaks
    static class RegistryInsideACoreTestCase {
        static Core core;

        @BeforeAll
        static void start() {
            core = new Core(false);
        }

        @AfterAll
        static void stop() {
            core.close();
        }

        @Test
        void aClientPerRequest(ResourceGrowth growth) {
            growth.assertDoesNotGrow(() -> {
                try (Core.Client client = core.createClient()) {
                    client.request("quote");
                }
            });
        }
    }

    @DetectConnectionLeaks
    static class ClientsUnregisterOnCloseTestCase {
        static Core core;

        @BeforeAll
        static void start() {
            core = new Core(true);
        }

        @AfterAll
        static void stop() {
            core.close();
        }

        @Test
        void aClientPerRequest(ResourceGrowth growth) {
            growth.assertDoesNotGrow(() -> {
                try (Core.Client client = core.createClient()) {
                    client.request("quote");
                }
            });
        }
    }

    @Test
    void aRegistryInsideALongLivedCoreIsNamedNotTheTestsField() {
        String message = onlyFailure(TestKit.tests(RegistryInsideACoreTestCase.class));
        assertThat(message).startsWith("Each repetition of the action adds an entry to Core.closeHooks "
                + "(an ArrayList) and leaves ");
        assertThat(message).contains("It holds ", " entries after ", "each entry a Core$Client.",
                "Owner: Core, in the project's own classes. The test's field CulpritTests$RegistryInsideACoreTestCase.core "
                        + "holds a long-lived object on purpose; the culprit is the collection inside it.",
                "What to do next: Core.closeHooks (an ArrayList) is a close or listener registry");
        assertThat(message).doesNotContain("the test itself keeps");
        assertThat(signatures(message)).as("one signature for the registry, whatever hangs off its entries").isEqualTo(1);
    }

    @Test
    void clientsThatUnregisterOnClosePass() {
        TestKit.tests(ClientsUnregisterOnCloseTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a queue behind a blocked executor.

    static final CountDownLatch REMOTE_ANSWERS = new CountDownLatch(1);

    /** Work for the audit writer: what a request was, held until written. */
    record AuditRecord(String request, byte[] body) {
    }

    @DetectConnectionLeaks
    static class QueueBehindABlockedExecutorTestCase {
        static ExecutorService auditWriter;

        @BeforeAll
        static void start() {
            auditWriter = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-writer"));
            auditWriter.execute(() -> await(REMOTE_ANSWERS)); // the remote the writer sends to never answers
        }

        @AfterAll
        static void stop() throws InterruptedException {
            REMOTE_ANSWERS.countDown();
            auditWriter.shutdownNow();
            auditWriter.awaitTermination(5, TimeUnit.SECONDS);
        }

        @Test
        void auditsEachRequest(ResourceGrowth growth) {
            growth.assertDoesNotGrow(() -> {
                AuditRecord record = new AuditRecord("GET /", new byte[64]);
                auditWriter.execute(() -> record.body().clone());
            });
        }
    }

    @Test
    void aQueueBehindABlockedExecutorNamesItsThreadAndLength() {
        String message = onlyFailure(TestKit.tests(QueueBehindABlockedExecutorTestCase.class));
        assertThat(message).startsWith("Each repetition of the action adds an entry to the queue of the executor run by "
                + "thread 'audit-writer' (ThreadPoolExecutor.workQueue, a LinkedBlockingQueue");
        assertThat(message).contains("What to do next: thread 'audit-writer' is blocked or cannot keep up, and its queue holds ");
        assertThat(signatures(message)).isEqualTo(1);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- a server socket never closed after a failed bind.

    static final List<ServerSocketChannel> LISTENERS = new CopyOnWriteArrayList<>();

    static void tryListen(InetSocketAddress busy, boolean closeOnFailure) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(busy);
                LISTENERS.add(channel);
            } catch (BindException e) {
                if (closeOnFailure) {
                    channel.close();
                } else {
                    LISTENERS.add(channel); // kept to close at shutdown, which never comes for this one
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DetectConnectionLeaks
    static class ListenerNeverClosedTestCase {
        @Test
        void retriesTheAdminPort(TlsFixtureServer fixture, ResourceGrowth growth) {
            growth.withRepetitions(20, 40).assertDoesNotGrow(() -> tryListen(fixture.address(), false));
        }

        @AfterAll
        static void closeAll() throws IOException {
            for (ServerSocketChannel channel : LISTENERS) {
                channel.close();
            }
            LISTENERS.clear();
        }
    }

    @DetectConnectionLeaks
    static class ListenerClosedOnFailureTestCase {
        @Test
        void retriesTheAdminPort(TlsFixtureServer fixture, ResourceGrowth growth) {
            growth.withRepetitions(20, 40).assertDoesNotGrow(() -> tryListen(fixture.address(), true));
        }
    }

    @Test
    void aListenerNeverClosedAfterAFailedBindSaysNeverClosed() {
        String message = onlyFailure(TestKit.tests(ListenerNeverClosedTestCase.class));
        assertThat(message).contains("the static field CulpritTests.LISTENERS (a CopyOnWriteArrayList)",
                "were never closed (", "close a channel when what it was opened for fails");
        assertThat(message).doesNotContain("after they were closed", "channelInactive");
        // Clean evidence: the fixture's own live listener (a ServerSocketChannelImpl too) is not among the
        // traced objects, nor anything the fixture holds: every traced listener is one the action kept.
        java.util.regex.Matcher held = java.util.regex.Pattern.compile("It holds (\\d+) entries").matcher(message);
        assertThat(held.find()).isTrue();
        assertThat(message).contains("(" + held.group(1) + " leaking objects, 1 signature;")
                .doesNotContain("TlsFixtureServer", "dev.leakproof.fixture");
    }

    @Test
    void aListenerClosedWhenItsBindFailsPasses() {
        TestKit.tests(ListenerClosedOnFailureTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- the JDK's TLS session state: a client reusing one SSLContext resumes sessions, by design.

    @DetectConnectionLeaks
    static class SharedClientSslContextTestCase {
        @Test
        void connectsWithOneContext(TlsFixtureServer fixture, ResourceGrowth growth) {
            SSLContext context = fixture.clientSslContext();
            growth.assertDoesNotGrow(() -> {
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                        fixture.port())) {
                    socket.startHandshake();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void theJdksTlsSessionStateOfASharedClientContextIsNotALeak() {
        Events tests = TestKit.tests(SharedClientSslContextTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        tests.assertStatistics(s -> s.succeeded(1).failed(0));
    }

    private static String onlyFailure(Events tests) {
        List<String> failures = TestKit.failures(tests);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).startsWith("ConnectionLeakError: ");
        return failures.get(0).substring("ConnectionLeakError: ".length());
    }

    private static long signatures(String message) {
        return message.lines().filter(l -> l.matches("\\s+\\d+ instances?: .*")).count();
    }
}
