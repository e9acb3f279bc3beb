package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.tracking.TrackedObject;
import dev.leakproof.internal.tracking.TrackedObject.TlsPeer;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLEngine;
import org.apiguardian.api.API;

/**
 * The SSLEngines and SSLSockets of code other than the fixture's, heard through the fixture's TLS
 * material: a client's that trusts the fixture ({@code trustManagerFactory()},
 * {@code clientSslContext()}), and a server's the test started with the fixture's key material
 * ({@code serverSslContext()}, {@code keyManagerFactory()}). Each must be collected once its
 * connection closed; one of a connection still open (a pool's idle connection) lives on by right.
 * A client that keeps closed connections reachable (a close hook, a registry) keeps their engines,
 * and so their channels, buffers and sessions, alive. A server-side engine is judged the way servers
 * close them: once it is done in either direction and the kernel does not show its connection open
 * (the JDK's HttpsServer never ends outbound-done when the client closes first); one done in
 * neither direction whose client the kernel shows gone is a finding of its own, a server that never
 * closed its TLS side.
 *
 * <pre>{@code
 * List<Finding> findings = new TlsPeersCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TlsPeersCheck implements Check {


    @Override
    public List<Finding> run(Window window) {
        List<Finding> findings = new ArrayList<>();
        for (TlsPeer peer : TlsPeer.values()) {
            findings.addAll(judge(window, peer));
        }
        return findings;
    }

    private static List<Finding> judge(Window window, TlsPeer peer) {
        long handshakes = window.session().tracker().handshakesInWindow(peer);
        if (handshakes == 0) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        Judging judging = new Judging(window, peer);
        for (Ending ending : Ending.values()) {
            if (judging.leftBehind(ending, false).isEmpty()) {
                continue;
            }
            List<TrackedObject> left = Collection.collect(() -> {
                window.session().tracker().expungeCleared();
                return judging.leftBehind(ending, true);
            }, window).survivors();
            if (!left.isEmpty()) {
                findings.add(finding(window, peer, ending, left, handshakes));
            }
        }
        return findings;
    }

    private static Finding finding(Window window, TlsPeer peer, Ending ending, List<TrackedObject> left, long handshakes) {
        LeakSettings settings = window.session().settings();
        LeakTraces.Result traces = settings.get(Settings.LEAK_TRACE) ? LeakTraces.find(left, window.session().testClass(),
                new LeakTraces.Options(settings.get(Settings.LEAK_TRACE_IGNORE), settings.get(Settings.ACCEPTED_LEAKS),
                        settings.get(Settings.LEAK_TRACE_TIMEOUT), settings.get(Settings.KEEP_HEAP_DUMP))) : null;
        if (traces != null && traces.skipped() == null && !traces.signatures().isEmpty() && traces.topSignature() == null) {
            return new Finding(Finding.Kind.CLIENT_OBJECTS, Finding.Outcome.NOTE, window.name() + ": " + left.size()
                    + " " + what(peer) + " TLS objects still alive, every one through a reference accepted as held by design "
                    + "(acceptedLeaks)", 0, Map.of(), traces);
        }
        Map<String, Long> byClass = new TreeMap<>();
        left.forEach(t -> byClass.merge(ClassNames.simple(t.className()), 1L, Long::sum));
        String trace = traces == null ? null : LeakTraces.describe(traces);
        String message;
        if (ending == Ending.NEVER_CLOSED) {
            message = neverClosedMessage(left.size(), handshakes, byClass, trace);
        } else {
            String advice = HeapAdvice.forSignature(traces == null ? null : traces.topSignature(),
                    window.session().testClass(), left.size(), Long.MAX_VALUE,
                    peer == TlsPeer.CLIENT ? HeapAdvice.Side.CLIENT : HeapAdvice.Side.OWN_SERVER);
            message = message(peer, left.size(), handshakes, window.openConnections(), byClass, trace, advice);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        left.forEach(t -> counts.merge(t.className(), 1L, Long::sum));
        return new Finding(Finding.Kind.CLIENT_OBJECTS, Finding.Outcome.LEAK, message, left.size(), counts, traces);
    }

    /** How a TLS peer alive at the verdict ended, as far as it is judged. */
    enum Ending {
        /** Its connection is over: it must be collected. */
        CLOSED,
        /** A server-side engine open both ways although its client left: the server never closed its TLS side. */
        NEVER_CLOSED
    }

    /**
     * One check's view of the peers of one end. A server-side engine does not say whether its
     * connection is open, and servers close engines in different ways: the JDK's HttpsServer reads
     * the client's close_notify (inbound done) but often cannot send its own once the client's socket
     * is gone, so it never ends outbound-done. An engine is therefore judged once it reached any
     * closed state and its connection is not known to be open; one that reached none is judged only
     * when the kernel shows that its client left. What the kernel said of a connection that was gone
     * is remembered (a client does not come back): each is read once per verdict.
     */
    private static final class Judging {
        private final Window window;
        private final TlsPeer peer;
        private final Map<Integer, ConnectionEnd> ends = new HashMap<>();

        Judging(Window window, TlsPeer peer) {
            this.window = window;
            this.peer = peer;
        }

        /**
         * The peers alive that should not be, for {@code ending}. {@code readKernel} false: a first look
         * before any GC, from the objects alone (every candidate, which the GC may still collect).
         */
        List<TrackedObject> leftBehind(Ending ending, boolean readKernel) {
            boolean noneOpen = peer == TlsPeer.CLIENT && window.openConnections() == 0;
            List<TrackedObject> left = new ArrayList<>();
            for (TrackedObject tracked : window.session().tracker().tlsPeersAlive(peer)) {
                Object referent = tracked.get();
                if (referent != null && ending(referent, noneOpen, readKernel) == ending) {
                    left.add(tracked);
                }
            }
            return left;
        }

        /** How it ended, or {@code null} while it is not judged (its connection may still be open). */
        private Ending ending(Object engineOrSocket, boolean noneOpen, boolean readKernel) {
            if (noneOpen) {
                return Ending.CLOSED;
            }
            if (engineOrSocket instanceof Socket socket) {
                return socket.isClosed() ? Ending.CLOSED : null;
            }
            if (!(engineOrSocket instanceof SSLEngine engine)) {
                return null;
            }
            boolean inbound = engine.isInboundDone();
            boolean outbound = engine.isOutboundDone();
            if (inbound && outbound) {
                return Ending.CLOSED;
            }
            if (peer == TlsPeer.CLIENT) {
                return null; // a client's engine half closed: its connection may still be in use (a pool's)
            }
            if (!readKernel) {
                return inbound || outbound ? Ending.CLOSED : Ending.NEVER_CLOSED; // candidates only
            }
            ConnectionEnd end = end(engine.getPeerPort());
            if (inbound || outbound) {
                return end == ConnectionEnd.OPEN ? null : Ending.CLOSED;
            }
            return end == ConnectionEnd.GONE ? Ending.NEVER_CLOSED : null;
        }

        private ConnectionEnd end(int clientPort) {
            ConnectionEnd known = ends.get(clientPort);
            if (known == ConnectionEnd.GONE) {
                return known;
            }
            ConnectionEnd now = ConnectionEnd.of(clientPort);
            ends.put(clientPort, now);
            return now;
        }
    }

    /** What the kernel's TCP table says of the connection whose client port a server-side engine knows. */
    enum ConnectionEnd {
        OPEN, GONE, UNKNOWN;

        private static final Set<String> OPENING_OR_OPEN = Set.of("ESTABLISHED", "SYN_SENT", "SYN_RECV");
        /** {@code /proc/net/tcp} names a socket no process holds (TIME_WAIT, an orphan closing) by inode 0. */
        private static final String HELD_BY_NOBODY = "socket:[0]";
        /** Whether there is a table to read: ConnectionSockets answers "none" both for no socket and for no table. */
        private static final boolean KERNEL_TABLE = Files.isReadable(Path.of("/proc/net/tcp"));

        static ConnectionEnd of(int clientPort) {
            if (clientPort <= 0) {
                return UNKNOWN; // an engine made without its peer's address (Netty's newHandler(alloc))
            }
            Map<String, Long> clientEnd = ConnectionSockets.statesAtLocalPort(clientPort);
            if (clientEnd.keySet().stream().anyMatch(OPENING_OR_OPEN::contains)) {
                return OPEN;
            }
            if (!clientEnd.isEmpty()) {
                return GONE; // the client's end, on this machine, is closing or closed
            }
            // The client's end is not in the table: a client that reset (unread data at its close
            // sends a RST, which leaves no TIME_WAIT), or one elsewhere. Gone when no process holds any
            // end of the connection; off Linux the table is unknown, and so is the connection.
            Set<String> sockets = ConnectionSockets.ofPort(clientPort);
            if (sockets.isEmpty()) {
                return KERNEL_TABLE ? GONE : UNKNOWN;
            }
            return sockets.stream().allMatch(HELD_BY_NOBODY::equals) ? GONE : UNKNOWN;
        }
    }

    static String neverClosedMessage(long left, long handshakes, Map<String, Long> byClass, String leakTrace) {
        StringBuilder text = new StringBuilder("The server never closed the TLS side of ").append(left)
                .append(left == 1 ? " connection whose client left: " : " connections whose clients left: ").append(left)
                .append(left == 1 ? " server-side TLS engine" : " server-side TLS engines").append(" (")
                .append(Counts.counted(byClass)).append(") of ").append(handshakes)
                .append(" handshakes served with the fixture's key material survived a full GC open in both directions: "
                        + "no close_notify read (closeInbound) and none sent (closeOutbound), although the kernel shows "
                        + "their clients' ends closed.");
        if (leakTrace != null) {
            text.append("\n  ").append(leakTrace);
        }
        return text.append("\n  What to do next: when a read returns -1 or unwrap returns CLOSED, call closeOutbound(), "
                + "wrap and send the close_notify, then close the channel and drop the engine, on every error path too; "
                + "whatever keeps the engine after that keeps its session and buffers.").toString();
    }

    private static String what(TlsPeer peer) {
        return peer == TlsPeer.CLIENT ? "client" : "server-side";
    }

    static String message(TlsPeer peer, long left, long handshakes, long openAtFixture, Map<String, Long> byClass,
            String leakTrace, String advice) {
        StringBuilder text = new StringBuilder().append(left).append(' ').append(what(peer))
                .append(left == 1 ? " TLS object" : " TLS objects").append(" (").append(Counts.counted(byClass))
                .append(") of ").append(handshakes).append(peer == TlsPeer.CLIENT
                        ? " client handshakes with the fixture's certificate survived a full GC"
                        : " handshakes served with the fixture's key material survived a full GC")
                .append(", although their connections are closed");
        if (peer == TlsPeer.CLIENT) {
            text.append(" (open connections at the fixture server: ").append(openAtFixture).append(')');
        }
        text.append(peer == TlsPeer.CLIENT
                ? ". The client keeps what it used for connections it closed: each engine holds its session, its "
                        + "buffers, and whatever channel or socket holds it."
                : ". The server keeps what it used for connections that closed.");
        if (leakTrace != null) {
            text.append("\n  ").append(leakTrace);
        }
        text.append("\n  ").append(advice);
        return text.toString();
    }
}
