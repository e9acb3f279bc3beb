package dev.leakproof.internal;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The objects that survived a full GC, grouped the way a person reads them. */
final class Survivors {

    final List<TrackedObject> objects;
    final long connections;
    final long leakedConnections;
    final Map<String, Long> connectionObjectsByClass;
    final Map<String, Long> testObjectsByDescription;
    final List<TrackedConnection> leakedConnectionsByPort;

    Survivors(List<TrackedObject> objects, long connections) {
        this.objects = objects;
        this.connections = connections;
        Map<TrackedConnection, Boolean> leaked = new IdentityHashMap<>();
        for (TrackedObject o : objects) {
            if (o.connection != null) {
                leaked.put(o.connection, Boolean.TRUE);
            }
        }
        this.leakedConnections = leaked.size();
        this.leakedConnectionsByPort = leaked.keySet().stream()
                .sorted(Comparator.comparingLong(c -> c.id)).toList();
        this.connectionObjectsByClass = objects.stream().filter(o -> o.connection != null)
                .collect(Collectors.groupingBy(o -> o.className, Collectors.counting()));
        this.testObjectsByDescription = objects.stream().filter(o -> o.connection == null)
                .collect(Collectors.groupingBy(TrackedObject::description, LinkedHashMap::new, Collectors.counting()));
    }

    boolean isEmpty() {
        return objects.isEmpty();
    }

    /**
     * Surviving classes, most numerous first; among equals, the user's own classes first, the
     * TLS objects next and the channel last, which is the order a person investigates them in.
     */
    List<Map.Entry<String, Long>> classesInReadingOrder() {
        return connectionObjectsByClass.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparingInt(e -> rank(e.getKey()))
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    /** Surviving counts by class name in reading order, for tools. */
    Map<String, Long> byClass() {
        Map<String, Long> result = new LinkedHashMap<>();
        classesInReadingOrder().forEach(e -> result.put(e.getKey(), e.getValue()));
        testObjectsByDescription.forEach((k, v) -> result.merge(k, v, Long::sum));
        return result;
    }

    static int rank(String className) {
        if (className.endsWith("Channel")) {
            return 3;
        }
        if (className.contains("SSLEngine") || className.contains("SslEngine")) {
            return 2;
        }
        if (isLibraryClass(className)) {
            return 1;
        }
        return 0;
    }

    static boolean isLibraryClass(String className) {
        while (className.endsWith("[]")) {
            className = className.substring(0, className.length() - 2);
        }
        if (!className.contains(".")) {
            return true; // a primitive (array)
        }
        return className.startsWith("io.netty.") || className.startsWith("java.") || className.startsWith("javax.")
                || className.startsWith("sun.") || className.startsWith("jdk.") || className.startsWith("com.sun.")
                || className.startsWith("dev.leakproof.fixture.");
    }
}
