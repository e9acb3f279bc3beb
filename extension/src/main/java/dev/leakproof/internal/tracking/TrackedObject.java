package dev.leakproof.internal.tracking;

import dev.leakproof.internal.text.ClassNames;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import org.apiguardian.api.API;

/**
 * A weak reference to one object that must be collected once its connection closed. It keeps
 * the facts needed for the failure message (class, description, connection) so that the verdict
 * never has to resurrect the object to describe it.
 *
 * <pre>{@code
 * TrackedObject tracked = new TrackedObject(session, "ChatSession", connection, queue);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TrackedObject extends WeakReference<Object> {

    private final String className;
    private final String description; // null: described by its class, which costs no string per object
    private final TrackedConnection connection; // null for objects not tied to a connection
    private final TlsPeer tlsPeer; // null unless it is an SSLEngine or SSLSocket heard through the fixture's TLS material

    /** Which end of a TLS connection an SSLEngine or SSLSocket heard through the fixture's trust or keys is. */
    public enum TlsPeer { CLIENT, SERVER }

    public TrackedObject(Object referent, String description, TrackedConnection connection, ReferenceQueue<Object> queue) {
        this(referent, description, connection, null, queue);
    }

    public TrackedObject(Object referent, String description, TrackedConnection connection, TlsPeer tlsPeer,
            ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.className = referent.getClass().getName(); // the JVM's own, shared string
        this.description = description;
        this.connection = connection;
        this.tlsPeer = tlsPeer;
    }

    /** The end of a TLS connection this object is, when the fixture's TLS material heard it; else {@code null}. */
    public TlsPeer tlsPeer() {
        return tlsPeer;
    }

    public String className() {
        return className;
    }

    /** The connection it belongs to, or {@code null} for an object the test registered on its own. */
    public TrackedConnection connection() {
        return connection;
    }

    /** Whether the test or the server code registered it (a session object), rather than the tracker itself. */
    public boolean registeredByUser() {
        return description != null;
    }

    public String description() {
        return description != null ? description : ClassNames.simple(className);
    }
}
