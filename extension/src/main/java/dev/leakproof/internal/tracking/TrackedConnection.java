package dev.leakproof.internal.tracking;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Bookkeeping of one server-side connection: the weak references to its objects, and what a
 * person needs to find it again (the client port, when it opened and closed). Holds nothing
 * strongly but its own references.
 *
 * <pre>{@code
 * TrackedConnection connection = new TrackedConnection(1, 41234);
 * connection.markClosed(System.nanoTime());
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TrackedConnection {

    private final long id;
    private final int remotePort;
    private final boolean clientSide;
    private volatile long closedAtNanos;
    private final List<TrackedObject> objects = new ArrayList<>(12);
    // A client's channel, weakly: asked whether it is open, since its close listener may run a moment after
    // a close the caller waited for (Netty wakes waiters before it notifies listeners).
    private volatile WeakReference<Channel> clientChannel;

    public TrackedConnection(long id, int remotePort) {
        this(id, remotePort, false);
    }

    /**
     * @param clientSide whether it is a channel the fixture server did not accept (a client's), whose
     *     port is its local one
     */
    public TrackedConnection(long id, int remotePort, boolean clientSide) {
        this.id = id;
        this.remotePort = remotePort;
        this.clientSide = clientSide;
    }

    /** Whether it is a client's channel registered by the test, not a connection the fixture accepted. */
    public boolean clientSide() {
        return clientSide;
    }

    /**
     * The bookkeeping of a channel the fixture server did not accept (a client's, or a server's the
     * test started), kept as its attribute {@code key}: its objects are judged once it closes, not
     * while it is open (a pool's idle connection lives on by design), and each object counts once
     * however often it is registered.
     */
    static TrackedConnection ofClientChannel(Channel channel, AttributeKey<TrackedConnection> key, long id) {
        InetSocketAddress local = channel.localAddress() instanceof InetSocketAddress a ? a : null;
        TrackedConnection fresh = new TrackedConnection(id, local == null ? -1 : local.getPort(), true);
        TrackedConnection existing = channel.attr(key).setIfAbsent(fresh);
        if (existing != null) {
            return existing;
        }
        fresh.clientChannel = new WeakReference<>(channel);
        channel.closeFuture().addListener(f -> fresh.markClosed(System.nanoTime()));
        return fresh;
    }

    /** Numbers connections in the order they opened. */
    public long id() {
        return id;
    }

    public int remotePort() {
        return remotePort;
    }

    /** When the connection closed ({@link System#nanoTime()}), or 0 while it is open. */
    public long closedAtNanos() {
        return closedAtNanos;
    }

    public void markClosed(long nanoTime) {
        this.closedAtNanos = nanoTime;
    }

    /** Whether it closed: a client's channel that is closed (or collected) counts, even before its close listener ran. */
    public boolean isClosed() {
        if (closedAtNanos != 0) {
            return true;
        }
        WeakReference<Channel> client = clientChannel;
        Channel channel = client == null ? null : client.get();
        return client != null && (channel == null || !channel.isOpen());
    }

    /**
     * Tracks {@code object} unless it is already tracked here (by identity, not equals).
     *
     * @return the new reference, or {@code null} when the object was already tracked
     */
    public synchronized TrackedObject addIfAbsent(Object object, Supplier<TrackedObject> reference) {
        for (TrackedObject tracked : objects) {
            if (tracked.refersTo(object)) {
                return null;
            }
        }
        TrackedObject tracked = reference.get();
        objects.add(tracked);
        return tracked;
    }

    synchronized void forget(TrackedObject tracked) {
        objects.remove(tracked);
    }
}
