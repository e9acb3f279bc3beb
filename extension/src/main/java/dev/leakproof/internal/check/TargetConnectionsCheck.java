package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.SocketTable;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.wait.Waits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A server the test started itself ({@code @TargetServer}) must close its side of every
 * connection: once the clients closed theirs, a server socket left in {@code CLOSE_WAIT} is a
 * connection the server never closed, and established ones beyond the idle allowance
 * are connections nobody closed. Read from the kernel's TCP table, so it works for any server.
 *
 * <pre>{@code
 * List<Finding> findings = new TargetConnectionsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TargetConnectionsCheck implements Check {

    private static final Duration POLL = Duration.ofMillis(20);

    /** The states of a connection the server has not closed: what a verdict counts, and an earlier one did. */
    private static final Set<String> LEFT_OPEN = Set.of("CLOSE_WAIT", "ESTABLISHED");

    @Override
    public List<Finding> run(Window window) {
        InetSocketAddress target = window.session().targetAddress().orElse(null);
        if (target == null) {
            return List.of();
        }
        int allowed = window.session().settings().get(Settings.MAX_OPEN_CONNECTIONS);
        // Connections the extension made itself (its protocol probe) are not the test's.
        Set<Integer> excluded = window.session().reportedOpen().stream().map(InetSocketAddress::getPort)
                .collect(Collectors.toSet());
        SocketTable before = window.baseline().connections();
        Seen seen = Waits.until(() -> Seen.at(target.getPort(), excluded, before), s -> !leaks(s.states(), allowed),
                window.session().settings().get(Settings.GRACE_PERIOD), POLL);
        List<Finding> findings = new ArrayList<>();
        long earlier = seen.earlier().values().stream().mapToLong(Long::longValue).sum();
        if (earlier > 0) {
            findings.add(Finding.note(Finding.Kind.OPEN_CONNECTIONS, window.name() + ": " + earlier
                    + (earlier == 1 ? " connection" : " connections") + " at port " + target.getPort() + " left by an "
                    + "earlier test or the class's setup (" + Counts.counted(seen.earlier()) + ") were seen and not "
                    + "counted: they were open, in the same state, before this test began"));
        }
        if (!leaks(seen.states(), allowed)) {
            return findings;
        }
        long closeWait = seen.states().getOrDefault("CLOSE_WAIT", 0L);
        long established = seen.states().getOrDefault("ESTABLISHED", 0L);
        findings.add(Finding.leak(Finding.Kind.OPEN_CONNECTIONS, message(target.getPort(), closeWait, established,
                allowed, window.connections()), closeWait + Math.max(0, established - allowed), Map.of()));
        return findings;
    }

    /**
     * The server-side connections at the port, by state: the window's, and those open in the same
     * state before it began (left by an earlier test, judged by its verdict).
     */
    private record Seen(Map<String, Long> states, Map<String, Long> earlier) {

        static Seen at(int port, Set<Integer> excluded, SocketTable before) {
            Map<String, Long> states = new TreeMap<>();
            Map<String, Long> earlier = new TreeMap<>();
            SocketTable.tcp().entries().forEach((socket, e) -> {
                if (e.isConnection() && e.localPort() == port && !excluded.contains(e.remotePort())) {
                    boolean leftBefore = before.entry(socket).filter(b -> b.state().equals(e.state())).isPresent();
                    if (!leftBefore) {
                        states.merge(e.state(), 1L, Long::sum);
                    } else if (LEFT_OPEN.contains(e.state())) {
                        earlier.merge(e.state(), 1L, Long::sum);
                    }
                }
            });
            return new Seen(states, earlier);
        }
    }

    private static boolean leaks(Map<String, Long> states, int allowedEstablished) {
        return states.getOrDefault("CLOSE_WAIT", 0L) > 0 || states.getOrDefault("ESTABLISHED", 0L) > allowedEstablished;
    }

    static String message(int port, long closeWait, long established, int allowed, long connections) {
        StringBuilder text = new StringBuilder().append(closeWait + established)
                .append(closeWait + established == 1 ? " connection" : " connections")
                .append(" still open on the server side at port ").append(port).append(" after the test: ");
        if (closeWait > 0) {
            text.append(closeWait).append(" in CLOSE_WAIT (the client closed its side, the server never closed)");
        }
        if (established > 0) {
            text.append(closeWait > 0 ? ", " : "").append(established).append(" established (allowed: ").append(allowed)
                    .append(" idle)");
        }
        return text.append(". The kernel lists only the connections it still holds: one the client reset is in no "
                + "table, though the server's socket may still be open.\n  What to do next: the server must close its "
                + "socket when the peer closes (a read that returns -1, an IOException) and on every error path, with "
                + "try-with-resources or in a finally block.")
                .toString();
    }
}
