package dev.leakproof.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A weak reference to one object that must be collected once its connection closed. It keeps
 * the facts needed for the failure message (class, description, connection) so that the verdict
 * never has to resurrect the object to describe it.
 */
final class TrackedObject extends WeakReference<Object> {

    final String className;
    private final String description; // null: described by its class, which costs no string per object
    final TrackedConnection connection; // null for objects not tied to a connection

    TrackedObject(Object referent, String description, TrackedConnection connection, ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.className = referent.getClass().getName(); // the JVM's own, shared string
        this.description = description;
        this.connection = connection;
    }

    /** Whether the test or the server code registered it (a session object), rather than the tracker itself. */
    boolean registeredByUser() {
        return description != null;
    }

    String description() {
        return description != null ? description : ClassNames.simple(className);
    }
}
