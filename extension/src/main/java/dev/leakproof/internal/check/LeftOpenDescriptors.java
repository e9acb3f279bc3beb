package dev.leakproof.internal.check;

import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.os.SocketTable;
import dev.leakproof.internal.text.Counts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The words of a descriptor finding: what was left open, by kind; what each socket left open is
 * (its TCP state, found by inode in the kernel's tables, or no entry at all); a few of them, of the
 * kinds that grew, for a person to recognise; and advice that fits what they are. A socket no
 * connection ever owned (a failed bind, a listener) needs other advice than one whose peer closed.
 *
 * <pre>{@code
 * String text = LeftOpenDescriptors.message(leaked, SocketTable.all(), 200, 0);
 * }</pre>
 */
final class LeftOpenDescriptors {

    private static final int EXAMPLES = 3;

    /** A socket the kernel lists in no table: no bound address, no connection (any more). */
    static final String UNLISTED = "no TCP entry";

    /** TCP states of a connection that has begun to close, or was reset: its peer is gone or going. */
    private static final Set<String> PEER_GONE = Set.of("CLOSE_WAIT", "FIN_WAIT1", "FIN_WAIT2", "LAST_ACK", "CLOSING",
            "CLOSE");

    /** The order states are listed in: the ones a connection left, then what no connection owned. */
    private static final List<String> ORDER = List.of("CLOSE_WAIT", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
            "FIN_WAIT2", "LAST_ACK", "CLOSING", "CLOSE", UNLISTED, "LISTEN", "UDP", "UNIX", "NETLINK");

    private LeftOpenDescriptors() {
    }

    static String message(SortedMap<Integer, String> leaked, SocketTable table, long connections, long open) {
        Map<String, Long> byKind = new TreeMap<>();
        leaked.values().forEach(t -> byKind.merge(FileDescriptors.kind(t), 1L, Long::sum));
        Map<String, Long> sockets = socketsByState(leaked, table);
        // A socket the kernel no longer lists beside sockets of connections was most likely one of them, reset.
        boolean besideConnections = sockets.keySet().stream().anyMatch(s -> s.equals("ESTABLISHED") || PEER_GONE.contains(s));
        StringBuilder text = new StringBuilder(headline(leaked.size(), connections, open)).append(": ")
                .append(Counts.counted(byKind)).append('.');
        if (!sockets.isEmpty()) {
            long total = sockets.values().stream().mapToLong(Long::longValue).sum();
            text.append("\n  ").append(total).append(total == 1 ? " socket descriptor" : " socket descriptors")
                    .append(" left open: ").append(sockets.entrySet().stream()
                            .map(e -> e.getValue() + " " + words(e.getKey(), besideConnections)).collect(Collectors.joining(", ")))
                    .append('.');
        }
        text.append("\n  For example: ").append(examples(leaked, table).entrySet().stream()
                .map(e -> "fd " + e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", "))).append('.');
        return text.append("\n  What to do next: ").append(advice(byKind, sockets, besideConnections)).append('.').toString();
    }

    /** Where {@code /proc/self/fd} cannot be read: the count alone. */
    static String countOnly(long leaked, long connections, long open) {
        return headline(leaked, connections, open) + "; which ones is not known here (no /proc/self/fd)."
                + "\n  What to do next: " + OWNED_BY_A_CONNECTION + ".";
    }

    private static String headline(long leaked, long connections, long open) {
        return leaked + " file descriptors opened during the test are still open "
                + (open == 0 ? "after every connection closed" : "besides the sockets of the " + open
                        + (open == 1 ? " connection" : " connections") + " still open") + " ("
                + connections + " connections; counted before any GC, because a GC would close unreachable streams and "
                + "hide the leak)";
    }

    /** What the kernel lists for a socket: its TCP state, another protocol, or {@link #UNLISTED}. */
    static String state(String target, SocketTable table) {
        return table.entry(target).map(e -> e.protocol().equals("TCP") ? e.state() : e.protocol()).orElse(UNLISTED);
    }

    private static Map<String, Long> socketsByState(Map<Integer, String> leaked, SocketTable table) {
        Map<String, Long> states = new TreeMap<>(Comparator.comparingInt((String s) -> ORDER.indexOf(s) < 0
                ? ORDER.size() : ORDER.indexOf(s)).thenComparing(Comparator.naturalOrder()));
        leaked.values().stream().filter(t -> t.startsWith("socket:"))
                .forEach(t -> states.merge(state(t, table), 1L, Long::sum));
        return states;
    }

    private static String words(String state, boolean besideConnections) {
        return switch (state) {
            case "CLOSE_WAIT" -> "in CLOSE_WAIT (the peer closed, this side never closed)";
            case "ESTABLISHED" -> "established (still open: neither side closed)";
            case "LISTEN" -> "listening (a listener never closed)";
            case "UDP" -> "UDP";
            case "UNIX" -> "Unix domain";
            case "NETLINK" -> "netlink";
            case UNLISTED -> besideConnections
                    ? "with no TCP connection any more (reset by the peer, as a client resets a connection it closes "
                            + "before reading all it was sent, a TLS session ticket for one: the kernel dropped the "
                            + "connection, the descriptor is still open)"
                    : "with no TCP entry (never bound or connected, as a channel or socket left open after its bind or "
                            + "connect failed; a connection its peer reset has none either)";
            default -> "in " + state;
        };
    }

    private static final String OWNED_BY_A_CONNECTION = "close what each connection opens (files, sockets to back ends, "
            + "pipes) in channelInactive(), or open it with try-with-resources; do not leave it to the garbage collector";

    private static String advice(Map<String, Long> byKind, Map<String, Long> sockets, boolean besideConnections) {
        Set<String> advice = new LinkedHashSet<>();
        if (sockets.keySet().stream().anyMatch(s -> PEER_GONE.contains(s) || s.equals(UNLISTED) && besideConnections)) {
            advice.add("close each socket when its peer closes or resets it (a read that returns -1 or throws; with "
                    + "Netty's ALLOW_HALF_CLOSURE, on ChannelInputShutdownEvent) and on every error path, with "
                    + "try-with-resources or in a finally block");
        }
        if (sockets.keySet().stream().anyMatch(s -> s.equals("ESTABLISHED") || s.equals("UDP") || s.equals("UNIX")
                || s.equals("NETLINK")) || byKind.keySet().stream().anyMatch(k -> !k.equals("socket"))) {
            advice.add(OWNED_BY_A_CONNECTION);
        }
        if (sockets.keySet().stream().anyMatch(s -> s.equals("SYN_SENT") || s.equals(UNLISTED) && !besideConnections)) {
            advice.add("these sockets no connection owned were opened and never closed: close a channel or socket "
                    + "when its bind or connect fails (in Netty, add ChannelFutureListener.CLOSE_ON_FAILURE to a "
                    + "channel's own bind or connect: only the bootstraps close a failed one; in plain Java, close it "
                    + "where the BindException is caught), not when a connection ends");
        }
        if (sockets.containsKey("LISTEN")) {
            advice.add("close every listener (server channel, ServerSocket) when its server stops");
        }
        // One sentence each, the first after "What to do next: ".
        List<String> sentences = new ArrayList<>(advice);
        for (int i = 1; i < sentences.size(); i++) {
            sentences.set(i, Character.toUpperCase(sentences.get(i).charAt(0)) + sentences.get(i).substring(1));
        }
        return String.join(". ", sentences);
    }

    /**
     * A few leaked descriptors, one of each kind (and socket state) first, the kinds with the most
     * first: the ones that grew, not the one-off descriptors of whatever opened first.
     */
    static Map<Integer, String> examples(SortedMap<Integer, String> leaked, SocketTable table) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        leaked.forEach((fd, target) -> groups.computeIfAbsent(label(target, table), k -> new ArrayList<>()).add(fd));
        List<Iterator<Integer>> largestFirst = groups.values().stream()
                .sorted(Comparator.comparingInt((List<Integer> g) -> g.size()).reversed())
                .map(List::iterator).collect(Collectors.toCollection(ArrayList::new));
        Map<Integer, String> examples = new LinkedHashMap<>();
        while (examples.size() < EXAMPLES && largestFirst.stream().anyMatch(Iterator::hasNext)) {
            for (Iterator<Integer> group : largestFirst) {
                if (group.hasNext() && examples.size() < EXAMPLES) {
                    int fd = group.next();
                    String target = leaked.get(fd);
                    examples.put(fd, target.startsWith("socket:") ? target + " (" + state(target, table) + ")" : target);
                }
            }
        }
        return examples;
    }

    private static String label(String target, SocketTable table) {
        return target.startsWith("socket:") ? "socket " + state(target, table) : FileDescriptors.kind(target);
    }
}
