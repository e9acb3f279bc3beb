package dev.leakproof.internal.heap;

import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.tracking.TrackedConnection;
import dev.leakproof.internal.tracking.TrackedObject;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The objects that survived a full GC, grouped the way a person reads them.
 *
 * <pre>{@code
 * Survivors survivors = new Survivors(tracker.survivors(), tracker.connectionsInWindow());
 * long leaked = survivors.leakedConnections();
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Survivors {

    private final List<TrackedObject> objects;
    private final long connections;
    private final long leakedConnections;
    private final Map<String, Long> connectionObjectsByClass;
    private final Map<String, Long> testObjectsByDescription;
    private final List<TrackedConnection> leakedConnectionsInOrder;

    public Survivors(List<TrackedObject> objects, long connections) {
        this.objects = objects;
        this.connections = connections;
        Map<TrackedConnection, Boolean> leaked = new IdentityHashMap<>();
        for (TrackedObject o : objects) {
            if (isServerConnections(o)) {
                leaked.put(o.connection(), Boolean.TRUE);
            }
        }
        this.leakedConnections = leaked.size();
        this.leakedConnectionsInOrder = leaked.keySet().stream()
                .sorted(Comparator.comparingLong(TrackedConnection::id)).toList();
        this.connectionObjectsByClass = objects.stream().filter(Survivors::isServerConnections)
                .collect(Collectors.groupingBy(TrackedObject::className, Collectors.counting()));
        this.testObjectsByDescription = objects.stream().filter(o -> !isServerConnections(o))
                .collect(Collectors.groupingBy(TrackedObject::description, LinkedHashMap::new, Collectors.counting()));
    }

    /** Objects of a connection the fixture accepted; the test's own registrations (client channels too) are apart. */
    private static boolean isServerConnections(TrackedObject o) {
        return o.connection() != null && !o.connection().clientSide();
    }

    /** The surviving objects' references (never the objects themselves). */
    public List<TrackedObject> objects() {
        return objects;
    }

    /** Connections the verdict looked at. */
    public long connections() {
        return connections;
    }

    /** Connections with at least one surviving object. */
    public long leakedConnections() {
        return leakedConnections;
    }

    /** The leaked connections in the order they opened. */
    public List<TrackedConnection> leakedConnectionsInOrder() {
        return leakedConnectionsInOrder;
    }

    /** Surviving objects of connections, by class name. */
    public Map<String, Long> connectionObjectsByClass() {
        return connectionObjectsByClass;
    }

    /** Surviving objects the test registered on their own, by their description. */
    public Map<String, Long> testObjectsByDescription() {
        return testObjectsByDescription;
    }

    /**
     * Surviving classes, most numerous first; among equals, the user's own classes first, the
     * TLS objects next and the channel last, which is the order a person investigates them in.
     */
    public List<Map.Entry<String, Long>> classesInReadingOrder() {
        return connectionObjectsByClass.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparingInt(e -> ClassNames.readingRank(e.getKey()))
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    /** Surviving counts by class name in reading order, for tools. */
    public Map<String, Long> byClass() {
        Map<String, Long> result = new LinkedHashMap<>();
        classesInReadingOrder().forEach(e -> result.put(e.getKey(), e.getValue()));
        testObjectsByDescription.forEach((k, v) -> result.merge(k, v, Long::sum));
        return result;
    }
}
