package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.trace.LeakTraces;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.tracking.TrackedObject;
import dev.leakproof.internal.tracking.TrackedObject.TlsPeer;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLEngine;

/**
 * The SSLEngines and SSLSockets of code other than the fixture's, heard through the fixture's TLS
 * material: a client's that trusts the fixture ({@code trustManagerFactory()},
 * {@code clientSslContext()}), and a server's the test started with the fixture's key material
 * ({@code serverSslContext()}, {@code keyManagerFactory()}). Each must be collected once its
 * connection closed; one of a connection still open (a pool's idle connection) lives on by right.
 * A client that keeps closed connections reachable (a close hook, a registry) keeps their engines,
 * and so their channels, buffers and sessions, alive.
 *
 * <pre>{@code
 * List<Finding> findings = new TlsPeersCheck().run(window);
 * }</pre>
 */
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
        ConnectionTracker tracker = window.session().tracker();
        long handshakes = tracker.handshakesInWindow(peer);
        if (handshakes == 0) {
            return List.of();
        }
        LeakSettings settings = window.session().settings();
        if (leftBehind(window, peer).isEmpty()) {
            return List.of();
        }
        List<TrackedObject> left = Collection.collect(() -> {
            tracker.expungeCleared();
            return leftBehind(window, peer);
        }, window).survivors();
        if (left.isEmpty()) {
            return List.of();
        }
        LeakTraces.Result traces = settings.get(Settings.LEAK_TRACE) ? LeakTraces.find(left, window.session().testClass(),
                new LeakTraces.Options(settings.get(Settings.LEAK_TRACE_IGNORE), settings.get(Settings.ACCEPTED_LEAKS),
                        settings.get(Settings.LEAK_TRACE_TIMEOUT), settings.get(Settings.KEEP_HEAP_DUMP))) : null;
        if (traces != null && traces.skipped() == null && !traces.signatures().isEmpty() && traces.topSignature() == null) {
            return List.of(new Finding(Finding.Kind.CLIENT_OBJECTS, Finding.Outcome.NOTE, window.name() + ": " + left.size()
                    + " " + what(peer) + " TLS objects still alive, every one through a reference accepted as held by design "
                    + "(acceptedLeaks)", 0, Map.of(), traces));
        }
        Map<String, Long> byClass = new TreeMap<>();
        left.forEach(t -> byClass.merge(ClassNames.simple(t.className()), 1L, Long::sum));
        String advice = HeapAdvice.forSignature(traces == null ? null : traces.topSignature(),
                window.session().testClass(), left.size(), Long.MAX_VALUE,
                peer == TlsPeer.CLIENT ? HeapAdvice.Side.CLIENT : HeapAdvice.Side.OWN_SERVER);
        String message = message(peer, left.size(), handshakes, window.openConnections(), byClass,
                traces == null ? null : LeakTraces.describe(traces), advice);
        Map<String, Long> counts = new LinkedHashMap<>();
        left.forEach(t -> counts.merge(t.className(), 1L, Long::sum));
        return List.of(new Finding(Finding.Kind.CLIENT_OBJECTS, Finding.Outcome.LEAK, message, left.size(), counts, traces));
    }

    /**
     * The peers alive that should not be: those whose connection is closed (a closed socket, an
     * engine done both ways), and, for clients, every one once no connection is open at the fixture.
     */
    private static List<TrackedObject> leftBehind(Window window, TlsPeer peer) {
        boolean noneOpen = peer == TlsPeer.CLIENT && window.openConnections() == 0;
        List<TrackedObject> left = new ArrayList<>();
        for (TrackedObject tracked : window.session().tracker().tlsPeersAlive(peer)) {
            Object referent = tracked.get();
            if (referent != null && (noneOpen || isClosed(referent))) {
                left.add(tracked);
            }
        }
        return left;
    }

    private static boolean isClosed(Object engineOrSocket) {
        if (engineOrSocket instanceof Socket socket) {
            return socket.isClosed();
        }
        return engineOrSocket instanceof SSLEngine engine && engine.isOutboundDone() && engine.isInboundDone();
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
