package dev.leakproof.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The kernel's tables of this network namespace's sockets ({@code /proc/net/tcp}, {@code tcp6} and,
 * when asked, {@code udp}, {@code unix}, {@code netlink}), by the target {@code /proc/self/fd} names
 * a socket with ({@code socket:[12345]}): what each socket descriptor is, a TCP connection in
 * {@code CLOSE_WAIT}, a listener, or nothing the kernel lists (a socket never bound or connected, or
 * one whose connection the peer reset: the kernel dropped the connection, the descriptor stays).
 *
 * <pre>{@code
 * SocketTable table = SocketTable.tcp();
 * table.entry("socket:[12345]").map(SocketTable.Entry::state); // Optional[CLOSE_WAIT]
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SocketTable {

    /** One socket the kernel lists: {@code TCP} with its state and ports, or another protocol. */
    public record Entry(String protocol, String state, int localPort, int remotePort) {

        /** A TCP connection (any state but listening). */
        public boolean isConnection() {
            return protocol.equals("TCP") && !state.equals("LISTEN");
        }
    }

    private static final String[] TCP_STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private static final SocketTable EMPTY = new SocketTable(Map.of(), false);

    private final Map<String, Entry> byTarget;
    private final boolean known;

    private SocketTable(Map<String, Entry> byTarget, boolean known) {
        this.byTarget = byTarget;
        this.known = known;
    }

    /** No table read (where none is needed, or not on Linux). */
    public static SocketTable empty() {
        return EMPTY;
    }

    /** A table of the given entries (by target, {@code socket:[12345]}): what a message is written from in a test. */
    public static SocketTable of(Map<String, Entry> byTarget) {
        return new SocketTable(Map.copyOf(byTarget), true);
    }

    /** The TCP sockets, IPv4 and IPv6. Sockets in {@code TIME_WAIT} have no descriptor and are left out. */
    public static SocketTable tcp() {
        Map<String, Entry> entries = new HashMap<>();
        boolean known = readInet("/proc/net/tcp", "TCP", entries) | readInet("/proc/net/tcp6", "TCP", entries);
        return new SocketTable(entries, known);
    }

    /** Every socket the kernel lists by inode: TCP, UDP, Unix domain and netlink sockets. */
    public static SocketTable all() {
        Map<String, Entry> entries = new HashMap<>();
        boolean known = readInet("/proc/net/tcp", "TCP", entries) | readInet("/proc/net/tcp6", "TCP", entries);
        readInet("/proc/net/udp", "UDP", entries);
        readInet("/proc/net/udp6", "UDP", entries);
        readOther("/proc/net/unix", "UNIX", 6, entries);
        readOther("/proc/net/netlink", "NETLINK", 9, entries);
        return new SocketTable(entries, known);
    }

    /** Whether the TCP tables could be read (Linux): when not, no socket's state is known. */
    public boolean known() {
        return known;
    }

    /** What the kernel lists for the socket {@code /proc/self/fd} names {@code target}; empty when nothing. */
    public Optional<Entry> entry(String target) {
        return Optional.ofNullable(byTarget.get(target));
    }

    /** Every socket listed, by target. */
    public Map<String, Entry> entries() {
        return byTarget;
    }

    private static boolean readInet(String table, String protocol, Map<String, Entry> into) {
        try {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[0].endsWith(":") || f[9].equals("0")) {
                    continue; // the header, or a socket no descriptor holds (TIME_WAIT)
                }
                int state = Integer.parseInt(f[3], 16);
                String name = protocol.equals("TCP") && state < TCP_STATES.length ? TCP_STATES[state] : "";
                into.put("socket:[" + f[9] + "]", new Entry(protocol, name, port(f[1]), port(f[2])));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, or not readable: none known
        }
    }

    private static void readOther(String table, String protocol, int inodeColumn, Map<String, Entry> into) {
        try {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > inodeColumn && f[inodeColumn].matches("[1-9][0-9]*")) {
                    into.putIfAbsent("socket:[" + f[inodeColumn] + "]", new Entry(protocol, "", -1, -1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not readable: those sockets read as unlisted
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
