package dev.leakproof.internal.tracking;

import dev.leakproof.LeakTracker;
import dev.leakproof.fixture.ConnectionObserver;
import dev.leakproof.fixture.TlsHandshakeObserver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Takes a weak reference to every per-connection object of the fixture server: the channel, every
 * non-shared handler that is in its pipeline at any point we look (open, handshake, after each
 * read or event, close), the SslHandler's engine, and the objects a test registers.
 *
 * <pre>{@code
 * ConnectionTracker tracker = new ConnectionTracker();
 * TlsFixtureServer server = TlsFixtureServer.builder().observer(tracker).start();
 * // ... connections open and close ...
 * GcForcer.fullGc();
 * List<TrackedObject> leaked = tracker.expungeCleared() == 0 ? List.of() : tracker.survivors();
 * }</pre>
 *
 * <p>Its own memory stays bounded: references whose objects were collected are dropped as soon as
 * the reference queue reports them, so a long run holds only what is still alive.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ConnectionTracker implements ConnectionObserver, TlsHandshakeObserver, LeakTracker {

    private static final AttributeKey<TrackedConnection> TRACKED =
            AttributeKey.valueOf(ConnectionTracker.class, "tracked");

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<TrackedObject> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong connectionsInWindow = new AtomicLong();
    private final AtomicLong objectsInWindow = new AtomicLong();
    private final Set<String> trackedClasses = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;
    // Classes of the objects registered as part of a connection (a session): a memory measurement
    // counts their instances as the connection's own, even where a shared registry also holds them.
    private final Set<Class<?>> connectionObjectClasses = ConcurrentHashMap.newKeySet();
    // Engines and sockets already heard (a key manager is asked once per key type in one handshake):
    // identity semantics (neither overrides equals), weak keys.
    private final Map<Object, Boolean> heardPeers = new WeakHashMap<>();
    private final AtomicLong clientHandshakesInWindow = new AtomicLong();
    private final AtomicLong serverHandshakesInWindow = new AtomicLong();

    // --- ConnectionObserver: called on the connection's event loop.

    @Override
    public void connectionOpened(Channel channel) {
        if (paused) {
            return; // connections opened while paused are never tracked, not even later in their life
        }
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        expunge(); // drop what the GC has cleared since: the tracker's memory follows live objects only
        TrackedConnection connection = new TrackedConnection(connectionIds.incrementAndGet(),
                remote == null ? -1 : remote.getPort(), false);
        channel.attr(TRACKED).set(connection);
        connectionsInWindow.incrementAndGet();
        add(connection, channel, null);
        trackPipeline(channel, connection);
    }

    @Override
    public void handshakeCompleted(Channel channel, SslHandler sslHandler) {
        TrackedConnection connection = channel.attr(TRACKED).get();
        if (connection != null) {
            trackPipeline(channel, connection);
        }
    }

    @Override
    public void pipelineActivity(Channel channel) {
        TrackedConnection connection = channel.attr(TRACKED).get();
        if (connection != null) {
            trackPipeline(channel, connection);
        }
    }

    @Override
    public void connectionClosed(Channel channel) {
        TrackedConnection connection = channel.attr(TRACKED).get();
        if (connection != null) {
            trackPipeline(channel, connection);
            connection.markClosed(System.nanoTime());
        }
    }

    // --- TlsHandshakeObserver: the fixture's trust and keys, used by someone else's client or server.

    @Override
    public void clientHandshake(Object engineOrSocket) {
        heard(engineOrSocket, TrackedObject.TlsPeer.CLIENT, clientHandshakesInWindow);
    }

    @Override
    public void serverHandshake(Object engineOrSocket) {
        heard(engineOrSocket, TrackedObject.TlsPeer.SERVER, serverHandshakesInWindow);
    }

    private void heard(Object engineOrSocket, TrackedObject.TlsPeer peer, AtomicLong handshakes) {
        if (paused) {
            return;
        }
        synchronized (heardPeers) {
            if (heardPeers.put(engineOrSocket, Boolean.TRUE) != null) {
                return;
            }
        }
        handshakes.incrementAndGet();
        TrackedObject tracked = new TrackedObject(engineOrSocket, null, null, peer, queue);
        trackedClasses.add(tracked.className());
        live.add(tracked);
    }

    // --- LeakTracker: called by tests and by server code on any thread.

    @Override
    public void track(Object object, String description) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(description, "description");
        if (object instanceof Channel channel) {
            trackOn(channel, channel, description); // judged once closed: a pool keeps idle channels open between tests
        } else if (live.stream().noneMatch(t -> t.connection() == null && t.refersTo(object))) {
            add(null, object, description); // registered twice is still one object: objects count, not registrations
        }
    }

    @Override
    public void track(Channel channel, Object object, String description) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(description, "description");
        connectionObjectClasses.add(object.getClass());
        trackOn(channel, object, description);
    }

    private void trackOn(Channel channel, Object object, String description) {
        TrackedConnection connection = channel.attr(TRACKED).get();
        if (connection == null && paused) {
            return; // a connection opened while paused (a memory measurement): not tracked at all
        }
        add(connection != null ? connection
                : TrackedConnection.ofClientChannel(channel, TRACKED, connectionIds.incrementAndGet()), object, description);
    }

    // --- the verdict's side.

    /** Connections opened since the last {@link #retire}. */
    public long connectionsInWindow() {
        return connectionsInWindow.get();
    }

    /** Objects tracked since the last {@link #retire}. */
    public long objectsInWindow() {
        return objectsInWindow.get();
    }

    /** Drops references whose objects were collected; returns how many are still alive. */
    public synchronized int expunge() {
        TrackedObject cleared;
        while ((cleared = (TrackedObject) queue.poll()) != null) {
            live.remove(cleared);
            if (cleared.connection() != null) {
                cleared.connection().forget(cleared);
            }
        }
        return live.size();
    }

    /**
     * Like {@link #expunge()}, and also drops references cleared but not yet enqueued (the reference
     * handler thread enqueues them a little after the GC): for the verdict, which must not wait.
     */
    public synchronized int expungeCleared() {
        expunge();
        live.removeIf(tracked -> {
            if (tracked.refersTo(null)) {
                if (tracked.connection() != null) {
                    tracked.connection().forget(tracked);
                }
                return true;
            }
            return false;
        });
        return judgedAlive();
    }

    /**
     * Tracked objects alive that the verdict judges: those of closed connections and those the test
     * registered on their own. A connection still open (allowed by maxOpenConnections, such as a
     * client pool's idle connection) keeps its objects alive by definition; they are judged once it
     * closes.
     */
    private int judgedAlive() {
        return (int) live.stream().filter(ConnectionTracker::judged).count();
    }

    /** Judged by the heap check: TLS peers are judged apart, by how many connections are still open. */
    private static boolean judged(TrackedObject tracked) {
        return tracked.tlsPeer() == null && (tracked.connection() == null || tracked.connection().isClosed());
    }

    /** The SSLEngines and SSLSockets of this end heard since the last {@link #retire} and still alive. */
    public List<TrackedObject> tlsPeersAlive(TrackedObject.TlsPeer peer) {
        return live.stream().filter(t -> t.tlsPeer() == peer && !t.refersTo(null)).toList();
    }

    /** Handshakes heard at this end since the last {@link #retire}. */
    public long handshakesInWindow(TrackedObject.TlsPeer peer) {
        return (peer == TrackedObject.TlsPeer.CLIENT ? clientHandshakesInWindow : serverHandshakesInWindow).get();
    }

    /**
     * Objects the test registered on a client's channel still open (a pooled channel idle in its pool):
     * not judged yet, the first verdict after the channel closes judges them. (A server-side connection
     * left open is the open-connection check's to report.)
     */
    public List<TrackedObject> stillOpen() {
        return live.stream().filter(t -> t.registeredByUser() && t.connection() != null && t.connection().clientSide()
                && !t.connection().isClosed() && !t.refersTo(null)).toList();
    }

    /** The objects still alive that the verdict judges, as facts (never the objects themselves). */
    public List<TrackedObject> survivors() {
        return live.stream().filter(ConnectionTracker::judged).toList();
    }

    /**
     * Ends a verdict window: survivors are reported once, not again by the next test, and the
     * window's counters restart.
     */
    public void retire() {
        live.removeIf(t -> judged(t) || t.tlsPeer() != null);
        connectionsInWindow.set(0);
        objectsInWindow.set(0);
        clientHandshakesInWindow.set(0);
        serverHandshakesInWindow.set(0);
    }

    /** Stops tracking new connections while memory is measured: the tracker's references would count as theirs. */
    public void pause(boolean pause) {
        this.paused = pause;
    }

    /** Classes of objects registered as part of a connection, e.g. a session class. */
    public Set<Class<?>> connectionObjectClasses() {
        return connectionObjectClasses;
    }

    /** Names of the classes tracked so far (bounded by the number of classes, not of objects). */
    public Set<String> trackedClasses() {
        return trackedClasses;
    }

    /** Test hook: references currently held, to prove the tracker's own memory stays bounded. */
    public int liveReferences() {
        return live.size();
    }

    private void trackPipeline(Channel channel, TrackedConnection connection) {
        for (Map.Entry<String, ChannelHandler> entry : channel.pipeline()) {
            ChannelHandler handler = entry.getValue();
            if (isShared(handler)) {
                continue; // one instance for all connections: not a per-connection object
            }
            add(connection, handler, null);
            if (handler instanceof SslHandler ssl) {
                add(connection, ssl.engine(), null);
            }
        }
    }

    private void add(TrackedConnection connection, Object object, String description) {
        TrackedObject tracked = connection == null
                ? new TrackedObject(object, description, null, queue)
                : connection.addIfAbsent(object, () -> new TrackedObject(object, description, connection, queue));
        if (tracked != null) {
            trackedClasses.add(tracked.className());
            live.add(tracked);
            objectsInWindow.incrementAndGet();
        }
    }

    private static boolean isShared(ChannelHandler handler) {
        return handler.getClass().isAnnotationPresent(Sharable.class);
    }
}
