package dev.leakproof.internal.check;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Every connection closed, or idle between requests within the allowance ({@code maxOpenConnections}).
 * Runs first: it waits for the closes that are still on their way, and the later checks judge the
 * state it waited for.
 *
 * <pre>{@code
 * List<Finding> findings = new OpenConnectionsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class OpenConnectionsCheck implements Check {

    private static final Duration POLL = Duration.ofMillis(20);

    @Override
    public List<Finding> run(Window window) {
        Duration grace = window.session().settings().get(Settings.GRACE_PERIOD);
        int allowedIdle = window.session().settings().get(Settings.MAX_OPEN_CONNECTIONS);
        List<OpenConnection> open = awaitSettled(window, grace, allowedIdle);
        if (open.isEmpty()) {
            return List.of();
        }
        if (withinIdleAllowance(open, allowedIdle)) {
            return List.of(Finding.note(Finding.Kind.OPEN_CONNECTIONS, window.name() + ": " + open.size()
                    + " idle pooled connections left open (allowed: " + allowedIdle + ")"));
        }
        open.forEach(c -> window.session().reportedOpen().add(c.remoteAddress()));
        long idle = open.stream().filter(OpenConnection::idleBetweenRequests).count();
        long leaked = open.size() - (idle <= allowedIdle ? idle : 0);
        return List.of(Finding.leak(Finding.Kind.OPEN_CONNECTIONS,
                message(open, grace, window.connections(), allowedIdle), leaked, Map.of()));
    }

    /**
     * Waits, bounded by the grace period, until every connection not already reported is closed, or
     * those left are idle pooled connections within the allowance (they may stay open by design, so
     * waiting the whole grace period for them would only slow every test down). Returns the open
     * connections not reported before.
     */
    private static List<OpenConnection> awaitSettled(Window window, Duration grace, int allowedIdle) {
        TlsFixtureServer server = window.session().server();
        long deadline = System.nanoTime() + grace.toNanos();
        // Connections the kernel has accepted but the server not yet: the accepting loop takes them first.
        server.awaitEventLoops(grace);
        List<OpenConnection> open = Waits.until(() -> unreported(window),
                o -> o.isEmpty() || withinIdleAllowance(o, allowedIdle), grace, POLL);
        if (open.isEmpty() || withinIdleAllowance(open, allowedIdle)) {
            // Every close that came has run all its handlers: a barrier on every event loop.
            server.awaitEventLoops(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        }
        return open;
    }

    /** Open connections not already reported by an earlier verdict. */
    static List<OpenConnection> unreported(Window window) {
        return window.session().server().openConnections().stream()
                .filter(c -> !window.session().reportedOpen().contains(c.remoteAddress())).toList();
    }

    /** Whether these open connections may stay: all idle pooled ones, no more than the allowance. */
    private static boolean withinIdleAllowance(List<OpenConnection> open, int allowedIdle) {
        return open.stream().allMatch(OpenConnection::idleBetweenRequests) && open.size() <= allowedIdle;
    }

    static String message(List<OpenConnection> open, Duration waited, long connections, int allowedIdle) {
        long idle = open.stream().filter(OpenConnection::idleBetweenRequests).count();
        StringBuilder text = new StringBuilder();
        text.append(open.size()).append(open.size() == 1 ? " connection" : " connections")
                .append(" still open at the fixture server ").append(Durations.format(waited))
                .append(" after the test (").append(connections).append(" connections in all");
        if (idle > 0) { // idle pooled connections are the only ones the allowance is about
            text.append("; ").append(idle).append(" idle between requests, allowed up to ").append(allowedIdle);
        }
        text.append("): ").append(OpenConnectionGroups.grouped(open));
        text.append(".\n  What to do next: every connection must be closed by the client or by the server; an open one "
                + "keeps everything it references alive. Close it in the client (try-with-resources, read or discard "
                + "the response), or make the server close idle peers.");
        return text.toString();
    }
}
