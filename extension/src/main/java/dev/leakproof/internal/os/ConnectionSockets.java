package dev.leakproof.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets of this machine's TCP connections to or from one port, as {@code /proc/self/fd}
 * names them ({@code socket:[12345]}): the descriptors a connection still open rightly holds, told
 * apart from the ones a test leaked.
 *
 * <pre>{@code
 * Set<String> held = ConnectionSockets.ofPort(server.port());
 * }</pre>
 */
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

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
