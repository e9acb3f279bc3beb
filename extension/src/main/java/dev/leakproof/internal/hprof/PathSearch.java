package dev.leakproof.internal.hprof;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apiguardian.api.API;

/**
 * The shortest strong path from a GC root to each object to explain, found as Shark's
 * {@code PathFinder} finds it, so that the paths are Shark's: a breadth-first search from the roots
 * (threads first, then by root type and class name), references read in Shark's order
 * ({@link References}), low-priority references (local variables, accepted ones) followed only once
 * nothing else is left, an object entered once, from the first reference that reaches it. It stops
 * when every object has its path. What it keeps is 8 bytes per object it reaches and three bits
 * per object of the dump.
 *
 * <pre>{@code
 * PathSearch.Result result = PathSearch.find(index, references, locals, leakingIds, false, () -> false);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PathSearch {

    /** The root tags Shark indexes by default (not ROOT_UNKNOWN, which HotSpot writes for its internals). */
    private static final Set<Integer> ROOT_TAGS = Set.of(SegmentParser.ROOT_JNI_GLOBAL, SegmentParser.ROOT_JAVA_FRAME,
            SegmentParser.ROOT_JNI_LOCAL, SegmentParser.ROOT_MONITOR_USED, SegmentParser.ROOT_NATIVE_STACK,
            SegmentParser.ROOT_STICKY_CLASS, SegmentParser.ROOT_THREAD_BLOCK, SegmentParser.ROOT_THREAD_OBJECT);

    /**
     * A path: {@code ids[0]} is held by {@code root}, {@code ids[last]} is the object explained;
     * {@code viaNormal[i]} tells whether {@code ids[i]} was reached by a reference of normal priority
     * (the first such from {@code ids[i - 1]}), else by the first reference of any priority.
     */
    public record Path(HprofIndex.Root root, long[] ids, boolean[] viaNormal) {
    }

    /** The paths in the order they were found, and the objects the search reached. */
    public record Result(List<Path> paths, long reached, boolean cancelled) {
    }

    private final HprofIndex index;
    private final ObjectTable table;
    private final int limit;
    private final long[] visited;
    private final long[] inNormal;
    private final long[] inLast;
    private final IntChunks normalKeys = new IntChunks();
    private final IntChunks normalParents = new IntChunks();
    private final IntChunks lastKeys = new IntChunks();
    private final IntChunks lastParents = new IntChunks();
    private long[] removed = new long[16];
    private final Map<Integer, Integer> lastByKey = new HashMap<>();
    private List<HprofIndex.Root> roots;
    private long[] leaking;
    private boolean visitingLast;

    private PathSearch(HprofIndex index) {
        this.index = index;
        this.table = index.objects;
        this.limit = table.ordinalLimit();
        int keys = limit + index.classes().size();
        visited = new long[(keys >>> 6) + 1];
        inNormal = new long[(keys >>> 6) + 1];
        inLast = new long[(keys >>> 6) + 1];
    }

    /** Finds the paths to {@code targets}; {@code javaRootsOnly} leaves native code's global references out. */
    public static Result find(HprofIndex index, References references, ThreadLocals locals, Set<Long> targets,
            boolean javaRootsOnly, BooleanSupplier cancelled) {
        return new PathSearch(index).search(references, locals, targets, javaRootsOnly, cancelled);
    }

    private Result search(References references, ThreadLocals locals, Set<Long> targets, boolean javaRootsOnly,
            BooleanSupplier cancelled) {
        leaking = new long[visited.length];
        int wanted = 0;
        for (long id : targets) {
            int key = key(id);
            if (key >= 0 && !get(leaking, key)) {
                set(leaking, key);
                wanted++;
            }
        }
        roots = sortedRoots(locals, javaRootsOnly);
        for (int r = 0; r < roots.size(); r++) {
            HprofIndex.Root root = roots.get(r);
            enqueue(root.id(), root.tag() == SegmentParser.ROOT_JAVA_FRAME, -1 - r);
        }
        List<Integer> found = new ArrayList<>();
        long reached = 0;
        boolean stopped = false;
        for (int node = poll(); node != Integer.MIN_VALUE && found.size() < wanted; node = poll()) {
            int key = keyOf(node);
            reached++;
            if (get(leaking, key)) {
                found.add(node);
                if (found.size() == wanted) {
                    break;
                }
            }
            if ((reached & 0xFFF) == 0 && cancelled.getAsBoolean()) {
                stopped = true;
                break;
            }
            parent = node;
            if (key < limit) {
                references.read(table.id(key), null, table.position(key), null, sink);
            } else {
                HprofClass c = index.classAt(key - limit);
                references.read(c.id, c, -1, null, sink);
            }
        }
        List<Path> paths = new ArrayList<>();
        for (int node : found) {
            paths.add(path(node));
        }
        return new Result(paths, reached, stopped);
    }

    private List<HprofIndex.Root> sortedRoots(ThreadLocals locals, boolean javaRootsOnly) {
        Set<Integer> threadSerials = locals.threadSerials();
        List<HprofIndex.Root> kept = new ArrayList<>();
        Map<HprofIndex.Root, String> classNames = new HashMap<>();
        HeapView view = new HeapView(index);
        for (HprofIndex.Root root : index.roots()) {
            if (!ROOT_TAGS.contains(root.tag()) || (javaRootsOnly && root.tag() == SegmentParser.ROOT_JNI_GLOBAL)
                    || !index.exists(root.id())
                    || (root.tag() == SegmentParser.ROOT_JAVA_FRAME && threadSerials.contains(root.threadSerial()))) {
                continue;
            }
            kept.add(root);
            classNames.computeIfAbsent(root, r -> view.object(r.id()).className());
        }
        // Shark's order: thread objects first, then by root type's name, descending, then the object's class name.
        Comparator<HprofIndex.Root> order = Comparator
                .comparing((HprofIndex.Root r) -> r.tag() != SegmentParser.ROOT_THREAD_OBJECT)
                .thenComparing((HprofIndex.Root r) -> rootTypeName(r.tag()), Comparator.reverseOrder())
                .thenComparing(classNames::get);
        kept.sort(order);
        return kept;
    }

    /** The simple name of Shark's class for a root of this tag ({@code GcRoot$ThreadObject}): Shark sorts by it. */
    public static String rootTypeName(int tag) {
        return switch (tag) {
            case SegmentParser.ROOT_JNI_GLOBAL -> "JniGlobal";
            case SegmentParser.ROOT_JNI_LOCAL -> "JniLocal";
            case SegmentParser.ROOT_JAVA_FRAME -> "JavaFrame";
            case SegmentParser.ROOT_NATIVE_STACK -> "NativeStack";
            case SegmentParser.ROOT_STICKY_CLASS -> "StickyClass";
            case SegmentParser.ROOT_THREAD_BLOCK -> "ThreadBlock";
            case SegmentParser.ROOT_MONITOR_USED -> "MonitorUsed";
            case SegmentParser.ROOT_THREAD_OBJECT -> "ThreadObject";
            default -> "Unknown";
        };
    }

    /** The node whose references are being read; one sink for the whole search, no allocation per node. */
    private int parent;
    private final References.Sink sink = (target, low, kind, location, name, acceptedBy) -> enqueue(target, low, parent);

    private void enqueue(long id, boolean low, int parent) {
        int key = key(id);
        if (key < 0) {
            return; // not in the dump: nothing to read (Shark would stop with an error)
        }
        if (key < limit && table.isLeaf(key) && !get(leaking, key)) {
            // A string or a primitive array: Shark queues it and reads nothing from it. Not queued, the
            // search finds the same paths, and keeps nothing for the millions of them.
            return;
        }
        boolean already = get(visited, key);
        set(visited, key);
        boolean last = visitingLast || low;
        if (already) {
            if (!last && !get(inNormal, key) && get(inLast, key)) {
                // Reached again by a normal reference while waiting among the low-priority ones: moved up.
                normalKeys.add(key);
                normalParents.add(parent);
                set(inNormal, key);
                int m = lastByKey.remove(key);
                if (m >>> 6 >= removed.length) {
                    removed = java.util.Arrays.copyOf(removed, Math.max(removed.length * 2, (m >>> 6) + 1));
                }
                set(removed, m);
                clear(inLast, key);
            }
        } else if (last) {
            lastByKey.put(key, lastKeys.size);
            lastKeys.add(key);
            lastParents.add(parent);
            set(inLast, key);
        } else {
            normalKeys.add(key);
            normalParents.add(parent);
            set(inNormal, key);
        }
    }

    private int normalHead;
    private int lastHead;

    /**
     * The next node, as a reference: {@code n >= 0} normal node n; {@code -1 - r} root r (a parent
     * only); {@code -1 - roots - m} last node m; {@code MIN_VALUE} none left.
     */
    private int poll() {
        if (!visitingLast && normalHead < normalKeys.size) {
            int n = normalHead++;
            clear(inNormal, normalKeys.get(n));
            return n;
        }
        visitingLast = true;
        while (lastHead < lastKeys.size && (lastHead >>> 6) < removed.length && get(removed, lastHead)) {
            lastHead++;
        }
        if (lastHead >= lastKeys.size) {
            return Integer.MIN_VALUE;
        }
        int m = lastHead++;
        clear(inLast, lastKeys.get(m));
        lastByKey.remove(lastKeys.get(m));
        return -1 - roots.size() - m;
    }

    private int keyOf(int node) {
        return node >= 0 ? normalKeys.get(node) : lastKeys.get(-1 - roots.size() - node);
    }

    private int parentOf(int node) {
        return node >= 0 ? normalParents.get(node) : lastParents.get(-1 - roots.size() - node);
    }

    private boolean isRoot(int reference) {
        return reference < 0 && -1 - reference < roots.size();
    }

    /** The path to a node: the parent of a root's node is {@code -1 - rootIndex}, that of the others a node. */
    private Path path(int node) {
        List<Integer> nodes = new ArrayList<>();
        int current = node;
        int rootIndex;
        while (true) {
            nodes.add(0, current);
            int parent = parentOf(current);
            if (isRoot(parent)) {
                rootIndex = -1 - parent;
                break;
            }
            current = parent;
        }
        long[] ids = new long[nodes.size()];
        boolean[] viaNormal = new boolean[nodes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(keyOf(nodes.get(i)));
            viaNormal[i] = nodes.get(i) >= 0;
        }
        return new Path(roots.get(rootIndex), ids, viaNormal);
    }

    private int key(long id) {
        int ordinal = table.ordinal(id);
        if (ordinal >= 0) {
            return ordinal;
        }
        int c = index.classOrdinal(id);
        return c < 0 ? -1 : limit + c;
    }

    private long id(int key) {
        return key < limit ? table.id(key) : index.classAt(key - limit).id;
    }

    private static boolean get(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static void clear(long[] bits, int i) {
        bits[i >>> 6] &= ~(1L << i);
    }
}
