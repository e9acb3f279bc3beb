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
    final String description;
    final TrackedConnection connection; // null for objects not tied to a connection

    TrackedObject(Object referent, String description, TrackedConnection connection, ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.className = referent.getClass().getName();
        this.description = description;
        this.connection = connection;
    }
}
