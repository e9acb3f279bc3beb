package dev.leakproof.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The sockets of this machine's TCP connections to or from one port, as {@code /proc/self/fd}
 * names them ({@code socket:[12345]}): the descriptors a connection still open rightly holds, told
 * apart from the ones a test leaked.
 *
 * <pre>{@code
 * Set<String> held = ConnectionSockets.ofPort(server.port());
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ConnectionSockets {

    /** The listening state in {@code /proc/net/tcp}: a listener is not a connection. */
    private static final int LISTEN = 0x0A;

    private ConnectionSockets() {
    }

    /** Descriptor targets of the connections whose local or remote port is {@code port}; empty where unknown. */
    public static Set<String> ofPort(int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[0].endsWith(":")) {
                        continue; // the header
                    }
                    if (Integer.parseInt(f[3], 16) != LISTEN && (port(f[1]) == port || port(f[2]) == port)) {
                        sockets.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: none known
            }
        }
        return sockets;
    }

    /**
     * The TCP states of the sockets whose local port is {@code port} and that are connections (not
     * the listener), by state name: {@code {ESTABLISHED=2, CLOSE_WAIT=5}}. Empty where unknown.
     */
    public static Map<String, Long> statesAtLocalPort(int port) {
        return statesAtLocalPort(port, Set.of());
    }

    /**
     * The remote ports of the connections whose local port is {@code port} (a server's accepted
     * connections, in any state but listening). Empty where unknown.
     */
    public static Set<Integer> peersAtLocalPort(int port) {
        Set<Integer> peers = new HashSet<>();
        forEachConnection((local, remote, state) -> {
            if (local == port) {
                peers.add(remote);
            }
        });
        return peers;
    }

    /** Like {@link #statesAtLocalPort(int)}, leaving out the connections from the remote ports in {@code excluded}. */
    public static Map<String, Long> statesAtLocalPort(int port, Set<Integer> excluded) {
        Map<String, Long> states = new TreeMap<>();
        forEachConnection((local, remote, state) -> {
            if (local == port && !excluded.contains(remote) && state < STATES.length) {
                states.merge(STATES[state], 1L, Long::sum);
            }
        });
        return states;
    }

    private interface ConnectionRow {
        void accept(int localPort, int remotePort, int state);
    }

    private static void forEachConnection(ConnectionRow row) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 4 || !f[0].endsWith(":")) {
                        continue; // the header
                    }
                    int state = Integer.parseInt(f[3], 16);
                    if (state != LISTEN) {
                        row.accept(port(f[1]), port(f[2]), state);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: none known
            }
        }
    }

    private static final String[] STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
