package dev.leakproof.internal;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.OpenConnectionGrowth;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.fixture.TlsFixtureServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Open connections counted at two request counts; a pool that keeps one per request grows with them. */
public final class OpenConnectionGrowthCheck implements OpenConnectionGrowth {

    private static final Duration QUIET = Duration.ofMillis(250);

    private final TlsFixtureServer server;
    private final Duration grace;
    private final int allowedIdle;

    public OpenConnectionGrowthCheck(TlsFixtureServer server, Duration grace, int allowedIdle) {
        this.server = server;
        this.grace = grace;
        this.allowedIdle = allowedIdle;
    }

    @Override
    public void assertDoesNotGrowWithRequests(int fewerRequests, int moreRequests, IntConsumer sendRequests) {
        if (fewerRequests < 1 || moreRequests < fewerRequests + 2) {
            throw new IllegalArgumentException("need 1 <= fewerRequests and moreRequests >= fewerRequests + 2, were "
                    + fewerRequests + " and " + moreRequests);
        }
        sendRequests.accept(fewerRequests);
        long afterFewer = settledOpenConnections();
        sendRequests.accept(moreRequests - fewerRequests);
        long afterMore = settledOpenConnections();
        long growth = afterMore - afterFewer;
        if (growth >= Math.max(1, (moreRequests - fewerRequests) / 2)) {
            List<OpenConnection> open = server.openConnections();
            String listed = FailureMessages.grouped(open);
            throw new ConnectionLeakError("open connections grow with the number of requests: " + afterFewer
                    + " open after " + fewerRequests + " requests, " + afterMore + " open after " + moreRequests
                    + " (allowed: " + allowedIdle + " idle pooled connections). Each request leaves a connection behind: "
                    + listed + "."
                    + "\n  What to do next: close or fully read every response (try-with-resources on its body), so that "
                    + "the client can return the connection to its pool or close it.",
                    growth, moreRequests, Map.of("open connections after " + moreRequests + " requests", afterMore));
        }
    }

    /** The open connection count once it has not changed for a quiet period (bounded by the grace period). */
    private long settledOpenConnections() {
        long deadline = System.nanoTime() + grace.toNanos();
        server.awaitEventLoops(grace);
        long last = server.counts().open();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            Sleeping.sleep(25);
            long now = server.counts().open();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }
}
