package dev.leakproof.internal.check;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import dev.leakproof.internal.wait.Waits;

/**
 * Open connections counted at two request counts; a pool that keeps one per request grows with them.
 * Behind {@link ResourceGrowth#assertOpenConnectionsDoNotGrowWithRequests}; a growth is recorded in
 * the class's report before it fails the test, as every growth check's is.
 *
 * <pre>{@code
 * new OpenConnectionGrowthCheck(session).assertDoesNotGrowWithRequests(3, 6, n -> sendRequests(n));
 * }</pre>
 */
final class OpenConnectionGrowthCheck {

    private static final Duration QUIET = Duration.ofMillis(250);
    private static final Duration POLL = Duration.ofMillis(25);

    private final ClassSession session;
    private final TlsFixtureServer server;
    private final Duration grace;
    private final int allowedIdle;

    OpenConnectionGrowthCheck(ClassSession session) {
        this.session = session;
        this.server = session.server();
        this.grace = session.settings().get(Settings.GRACE_PERIOD);
        this.allowedIdle = session.settings().get(Settings.MAX_OPEN_CONNECTIONS);
    }

    void assertDoesNotGrowWithRequests(int fewerRequests, int moreRequests, IntConsumer sendRequests) {
        if (fewerRequests < 1 || moreRequests < fewerRequests + 2) {
            throw new IllegalArgumentException("need 1 <= fewerRequests and moreRequests >= fewerRequests + 2, were "
                    + fewerRequests + " and " + moreRequests);
        }
        sendRequests.accept(fewerRequests);
        long afterFewer = settledOpenConnections();
        sendRequests.accept(moreRequests - fewerRequests);
        long afterMore = settledOpenConnections();
        session.ranRepetitions(moreRequests);
        long growth = afterMore - afterFewer;
        if (growth >= Math.max(1, (moreRequests - fewerRequests) / 2)) {
            List<OpenConnection> open = server.openConnections();
            String listed = OpenConnectionGroups.grouped(open);
            String message = "open connections grow with the number of requests: " + afterFewer
                    + " open after " + fewerRequests + " requests, " + afterMore + " open after " + moreRequests
                    + " (allowed: " + allowedIdle + " idle pooled connections). Each request leaves a connection behind: "
                    + listed + "." + advice(open);
            // Recorded first, so the report shows the failure the test is about to end with.
            session.record(Finding.thrown(Finding.Kind.RESOURCE_GROWTH, message, null));
            throw new ConnectionLeakError(message + session.reportLine(),
                    growth, moreRequests, Map.of("open connections after " + moreRequests + " requests", afterMore));
        }
    }

    /**
     * Told from where the connections stand: idle between requests means each request built a pool
     * (or a client) of its own that keeps its connection; stuck in a response means the client did
     * not read or close it.
     */
    static String advice(List<OpenConnection> open) {
        if (!open.isEmpty() && open.stream().allMatch(OpenConnection::idleBetweenRequests)) {
            return "\n  What to do next: every response was read, but each request leaves its connection idle in a pool "
                    + "of its own: the client builds a new connection pool (or a new client) per request. Reuse one "
                    + "client for all requests, or close each one after use.";
        }
        return "\n  What to do next: close or fully read every response (try-with-resources on its body), so that "
                + "the client can return the connection to its pool or close it.";
    }

    /** The open connection count once it has not changed for a quiet period (bounded by the grace period). */
    private long settledOpenConnections() {
        server.awaitEventLoops(grace);
        return Waits.untilQuiet(() -> server.counts().open(), QUIET, grace, POLL);
    }
}
