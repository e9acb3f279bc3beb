package dev.leakproof.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Bookkeeping of one server-side connection: the weak references to its objects, and what a
 * person needs to find it again (the client port, when it opened and closed). Holds nothing
 * strongly but its own references.
 */
final class TrackedConnection {

    final long id;
    final int remotePort;
    final long openedAtNanos = System.nanoTime();
    volatile long closedAtNanos;
    private final List<TrackedObject> objects = new ArrayList<>(12);

    TrackedConnection(long id, int remotePort) {
        this.id = id;
        this.remotePort = remotePort;
    }

    /**
     * Tracks {@code object} unless it is already tracked here (by identity, not equals).
     *
     * @return the new reference, or {@code null} when the object was already tracked
     */
    synchronized TrackedObject addIfAbsent(Object object, Supplier<TrackedObject> reference) {
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
