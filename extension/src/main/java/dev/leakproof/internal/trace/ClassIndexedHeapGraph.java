package dev.leakproof.internal.trace;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kotlin.sequences.Sequence;
import shark.CloseableHeapGraph;
import shark.GcRoot;
import shark.GraphContext;
import shark.HeapObject;

/**
 * Shark's heap graph with its classes looked up by name in a map. Shark (2.14) finds a class by name
 * with two linear scans over every string and class of the dump, and its reference readers look up
 * fifteen classes each time an analysis starts (HashMap, ArrayList, Android's MessageQueue...):
 * profiled at 13 % of a leak trace's analysis on a 200-connection heap (JFR, BENCHMARKS.md). One pass
 * over the classes answers them all; everything else goes to Shark's graph unchanged.
 *
 * <pre>{@code
 * try (CloseableHeapGraph graph = new ClassIndexedHeapGraph(HprofHeapGraph.Companion.openHeapGraph(source, null, tags))) {
 *     HeapObject.HeapClass map = graph.findClassByName("java.util.HashMap");
 * }
 * }</pre>
 */
final class ClassIndexedHeapGraph implements CloseableHeapGraph {

    private final CloseableHeapGraph graph;
    private Map<String, HeapObject.HeapClass> classesByName;

    ClassIndexedHeapGraph(CloseableHeapGraph graph) {
        this.graph = graph;
    }

    @Override
    public HeapObject.HeapClass findClassByName(String className) {
        if (classesByName == null) {
            Map<String, HeapObject.HeapClass> byName = new HashMap<>();
            for (Iterator<HeapObject.HeapClass> it = graph.getClasses().iterator(); it.hasNext(); ) {
                HeapObject.HeapClass heapClass = it.next();
                // Two class loaders may each define a class of the same name: the first one, as Shark answers.
                byName.putIfAbsent(heapClass.getName(), heapClass);
            }
            classesByName = byName;
        }
        HeapObject.HeapClass known = classesByName.get(className);
        if (known != null || classesByName.containsKey(className)) {
            return known;
        }
        // Not in the dump (most lookups: Android's classes on a JVM): null, as Shark's scan would answer.
        // A name getName() never spells (an internal name with '/', an array descriptor) goes to Shark's
        // own search, once.
        HeapObject.HeapClass found = className.indexOf('/') >= 0 || className.startsWith("[")
                ? graph.findClassByName(className) : null;
        classesByName.put(className, found);
        return found;
    }

    @Override
    public int getIdentifierByteSize() {
        return graph.getIdentifierByteSize();
    }

    @Override
    public GraphContext getContext() {
        return graph.getContext();
    }

    @Override
    public int getObjectCount() {
        return graph.getObjectCount();
    }

    @Override
    public int getClassCount() {
        return graph.getClassCount();
    }

    @Override
    public int getInstanceCount() {
        return graph.getInstanceCount();
    }

    @Override
    public int getObjectArrayCount() {
        return graph.getObjectArrayCount();
    }

    @Override
    public int getPrimitiveArrayCount() {
        return graph.getPrimitiveArrayCount();
    }

    @Override
    public List<GcRoot> getGcRoots() {
        return graph.getGcRoots();
    }

    @Override
    public Sequence<HeapObject> getObjects() {
        return graph.getObjects();
    }

    @Override
    public Sequence<HeapObject.HeapClass> getClasses() {
        return graph.getClasses();
    }

    @Override
    public Sequence<HeapObject.HeapInstance> getInstances() {
        return graph.getInstances();
    }

    @Override
    public Sequence<HeapObject.HeapObjectArray> getObjectArrays() {
        return graph.getObjectArrays();
    }

    @Override
    public Sequence<HeapObject.HeapPrimitiveArray> getPrimitiveArrays() {
        return graph.getPrimitiveArrays();
    }

    @Override
    public HeapObject findObjectById(long objectId) {
        return graph.findObjectById(objectId);
    }

    @Override
    public HeapObject findObjectByIndex(int objectIndex) {
        return graph.findObjectByIndex(objectIndex);
    }

    @Override
    public HeapObject findObjectByIdOrNull(long objectId) {
        return graph.findObjectByIdOrNull(objectId);
    }

    @Override
    public boolean objectExists(long objectId) {
        return graph.objectExists(objectId);
    }

    @Override
    public int findHeapDumpIndex(long objectId) {
        return graph.findHeapDumpIndex(objectId);
    }

    @Override
    public HeapObject findObjectByHeapDumpIndex(int heapDumpIndex) {
        return graph.findObjectByHeapDumpIndex(heapDumpIndex);
    }

    @Override
    public void close() throws IOException {
        graph.close();
    }
}
