package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.Edge;
import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.PathSearch;
import dev.leakproof.internal.hprof.References;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shark.ApplicationLeak;
import shark.Leak;
import shark.LeakTrace;
import shark.LeakTraceObject;
import shark.LeakTraceReference;
import shark.LibraryLeak;
import shark.ReferencePattern;

/**
 * The index's paths as Shark's leak traces, built as Shark's {@code HeapAnalyzer} builds them, so
 * that everything downstream (the one-line paths, the signatures, the growing collections) reads
 * them unchanged: a path through another object being explained is dropped (that object's own path
 * tells it), each link is named by the first reference that reaches the next object, a thread is
 * labelled with its name, and the traces are grouped into leaks by Shark's signature, the ones
 * through an accepted reference apart.
 *
 * <pre>{@code
 * List<Leak> leaks = IndexTraces.leaks(search.paths(), references, view);
 * }</pre>
 */
final class IndexTraces {

    private IndexTraces() {
    }

    static List<Leak> leaks(List<PathSearch.Path> found, References references, HeapView view) {
        Map<String, List<LeakTrace>> application = new LinkedHashMap<>();
        Map<String, List<LeakTrace>> library = new LinkedHashMap<>();
        Map<String, ReferencePattern> patterns = new LinkedHashMap<>();
        List<PathSearch.Path> kept = deduplicated(found);
        Map<Long, Map<Long, Edge[]>> links = links(kept, references);
        for (PathSearch.Path path : kept) {
            List<Edge> edges = new ArrayList<>();
            for (int i = 1; i < path.ids().length; i++) {
                Edge[] both = links.get(path.ids()[i - 1]).get(path.ids()[i]);
                Edge edge = both == null ? null : both[path.viaNormal()[i] ? 0 : 1];
                edges.add(edge != null ? edge : new Edge(path.ids()[i], false, Edge.Kind.INSTANCE_FIELD, "", "?", null));
            }
            ReferencePattern accepted = null;
            for (Edge edge : edges) {
                if (edge.acceptedBy() != null) {
                    accepted = pattern(edge);
                    break;
                }
            }
            LeakTrace trace = trace(path, edges, view);
            if (accepted != null) {
                patterns.putIfAbsent(accepted.toString(), accepted);
                library.computeIfAbsent(accepted.toString(), k -> new ArrayList<>()).add(trace);
            } else {
                application.computeIfAbsent(trace.getSignature(), k -> new ArrayList<>()).add(trace);
            }
        }
        List<Leak> leaks = new ArrayList<>();
        application.values().forEach(traces -> leaks.add(new ApplicationLeak(traces)));
        library.forEach((key, traces) -> leaks.add(new LibraryLeak(traces, patterns.get(key), SharkAnalysis.ACCEPTED)));
        return leaks;
    }

    /** Each link of the paths, named: every object on a path read once for all the paths through it. */
    private static Map<Long, Map<Long, Edge[]>> links(List<PathSearch.Path> paths, References references) {
        Map<Long, Set<Long>> targets = new LinkedHashMap<>();
        for (PathSearch.Path path : paths) {
            for (int i = 1; i < path.ids().length; i++) {
                targets.computeIfAbsent(path.ids()[i - 1], k -> new java.util.HashSet<>()).add(path.ids()[i]);
            }
        }
        Map<Long, Map<Long, Edge[]>> links = new java.util.HashMap<>();
        targets.forEach((from, to) -> links.put(from, references.edgesTo(from, to)));
        return links;
    }

    private static ReferencePattern pattern(Edge edge) {
        return edge.kind() == Edge.Kind.STATIC_FIELD ? new ReferencePattern.StaticFieldPattern(edge.acceptedBy(), edge.name())
                : new ReferencePattern.InstanceFieldPattern(edge.acceptedBy(), edge.name());
    }

    private static LeakTrace trace(PathSearch.Path path, List<Edge> edges, HeapView view) {
        long[] ids = path.ids();
        List<LeakTraceObject> objects = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            HeapView.HeapObject object = view.object(ids[i]);
            Set<String> labels = new LinkedHashSet<>();
            if (i + 1 < ids.length && edges.get(i).acceptedBy() != null) {
                labels.add("Library leak match: " + pattern(edges.get(i)));
            }
            if (object instanceof HeapView.Instance instance && instance.instanceOf("java.lang.Thread")) {
                HeapView.Value name = instance.get("java.lang.Thread", "name");
                labels.add("Thread name: '" + (name == null ? null : name.readAsJavaString()) + "'");
            }
            boolean last = i == ids.length - 1;
            LeakTraceObject.ObjectType type = object instanceof HeapView.ClassObject ? LeakTraceObject.ObjectType.CLASS
                    : object instanceof HeapView.Instance ? LeakTraceObject.ObjectType.INSTANCE : LeakTraceObject.ObjectType.ARRAY;
            objects.add(new LeakTraceObject(type, object == null ? "" : object.className(), labels,
                    last ? LeakTraceObject.LeakingStatus.LEAKING : LeakTraceObject.LeakingStatus.UNKNOWN,
                    last ? "This is the leaking object" : "", null, null));
        }
        List<LeakTraceReference> references = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            Edge edge = edges.get(i);
            references.add(new LeakTraceReference(objects.get(i), switch (edge.kind()) {
                case INSTANCE_FIELD -> LeakTraceReference.ReferenceType.INSTANCE_FIELD;
                case STATIC_FIELD -> LeakTraceReference.ReferenceType.STATIC_FIELD;
                case LOCAL -> LeakTraceReference.ReferenceType.LOCAL;
                case ARRAY_ENTRY -> LeakTraceReference.ReferenceType.ARRAY_ENTRY;
            }, edge.locationClass(), edge.name()));
        }
        return new LeakTrace(rootType(path.root().tag()), references, objects.get(objects.size() - 1));
    }

    private static LeakTrace.GcRootType rootType(int tag) {
        return switch (PathSearch.rootTypeName(tag)) {
            case "JniGlobal" -> LeakTrace.GcRootType.JNI_GLOBAL;
            case "JniLocal" -> LeakTrace.GcRootType.JNI_LOCAL;
            case "JavaFrame" -> LeakTrace.GcRootType.JAVA_FRAME;
            case "NativeStack" -> LeakTrace.GcRootType.NATIVE_STACK;
            case "StickyClass" -> LeakTrace.GcRootType.STICKY_CLASS;
            case "ThreadBlock" -> LeakTrace.GcRootType.THREAD_BLOCK;
            case "MonitorUsed" -> LeakTrace.GcRootType.MONITOR_USED;
            default -> LeakTrace.GcRootType.THREAD_OBJECT;
        };
    }

    /**
     * Shark's trie of paths by object id: a path that goes through an object explained by another
     * path (closer to the root) is dropped; the others come out depth first, in the order first seen.
     */
    static List<PathSearch.Path> deduplicated(List<PathSearch.Path> paths) {
        Trie root = new Trie(null);
        for (PathSearch.Path path : paths) {
            Trie node = root;
            long[] ids = path.ids();
            for (int i = 0; i < ids.length && node != null; i++) {
                if (i == ids.length - 1) {
                    node.children.put(ids[i], new Trie(path));
                } else {
                    Trie child = node.children.computeIfAbsent(ids[i], k -> new Trie(null));
                    node = child.leaf == null ? child : null;
                }
            }
        }
        List<PathSearch.Path> kept = new ArrayList<>();
        collect(root, kept);
        return kept;
    }

    private static void collect(Trie node, List<PathSearch.Path> kept) {
        for (Trie child : node.children.values()) {
            if (child.leaf != null) {
                kept.add(child.leaf);
            } else {
                collect(child, kept);
            }
        }
    }

    private static final class Trie {
        final PathSearch.Path leaf;
        final Map<Long, Trie> children = new LinkedHashMap<>();

        Trie(PathSearch.Path leaf) {
            this.leaf = leaf;
        }
    }
}
