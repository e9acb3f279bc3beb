package dev.leakproof.internal.hprof;

import org.apiguardian.api.API;

/**
 * One reference from an object, as a path shows it: a field, a static field, an array slot (or a
 * collection's entry, read through the collection as Shark reads it), or a thread's local variable.
 *
 * <pre>{@code
 * Edge edge = references.edgeTo(parentId, childId, false);
 * String link = edge.locationClass() + "." + edge.name();
 * }</pre>
 *
 * @param target the object referred to
 * @param lowPriority followed only once nothing else is left (a local variable, an accepted reference)
 * @param kind how it refers
 * @param locationClass the class that names the reference (a field's declaring class, the array's class)
 * @param name the field's name, the slot's index, a map entry's key; empty for a local variable
 * @param acceptedBy when an accepted rule matched: the class that rule names; else {@code null}
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Edge(long target, boolean lowPriority, Kind kind, String locationClass, String name, String acceptedBy) {

    /** How a reference refers, as Shark's {@code LeakTraceReference.ReferenceType}. */
    public enum Kind { INSTANCE_FIELD, STATIC_FIELD, LOCAL, ARRAY_ENTRY }
}
