package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.wait.Waits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server the test started itself ({@code @TargetServer}) must close its side of every
 * connection: once the clients closed theirs, a server socket left in {@code CLOSE_WAIT} is a
 * connection the server never closed (seed 004), and established ones beyond the idle allowance
 * are connections nobody closed. Read from the kernel's TCP table, so it works for any server.
 *
 * <pre>{@code
 * List<Finding> findings = new TargetConnectionsCheck().run(window);
 * }</pre>
 */
public final class TargetConnectionsCheck implements Check {

    private static final Duration POLL = Duration.ofMillis(20);

    @Override
    public List<Finding> run(Window window) {
        InetSocketAddress target = window.session().targetAddress().orElse(null);
        if (target == null) {
            return List.of();
        }
        int allowed = window.session().settings().get(Settings.MAX_OPEN_CONNECTIONS);
        // Connections the extension made itself (its protocol probe) are not the test's.
        java.util.Set<Integer> excluded = window.session().reportedOpen().stream().map(InetSocketAddress::getPort)
                .collect(java.util.stream.Collectors.toSet());
        Map<String, Long> states = Waits.until(() -> ConnectionSockets.statesAtLocalPort(target.getPort(), excluded),
                s -> !leaks(s, allowed), window.session().settings().get(Settings.GRACE_PERIOD), POLL);
        if (!leaks(states, allowed)) {
            return List.of();
        }
        long closeWait = states.getOrDefault("CLOSE_WAIT", 0L);
        long established = states.getOrDefault("ESTABLISHED", 0L);
        return List.of(Finding.leak(Finding.Kind.OPEN_CONNECTIONS, message(target.getPort(), closeWait, established,
                allowed, window.connections()), closeWait + Math.max(0, established - allowed), Map.of()));
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
        return text.append(".\n  What to do next: the server must close its socket when the peer closes (a read that "
                + "returns -1, an IOException) and on every error path, with try-with-resources or in a finally block.")
                .toString();
    }
}
