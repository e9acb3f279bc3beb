package dev.leakproof.internal.hprof;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The references of an object in the order Shark's readers give them, so that a breadth-first
 * search over them finds the paths Shark finds: a thread's local variables, or a JDK collection's
 * entries read straight from the collection (its exact class only: {@code ArrayList},
 * {@code LinkedList}, {@code CopyOnWriteArrayList}, {@code HashMap}, {@code LinkedHashMap},
 * {@code ConcurrentHashMap}, {@code HashSet}, {@code LinkedHashSet}), then the instance's reference
 * fields sorted by name; an array's non-null slots; a class's static fields. Strings, primitive
 * wrappers and their arrays lead nowhere.
 *
 * <pre>{@code
 * References references = new References(index, rules);
 * references.read(id, false, (target, low, kind, location, name, acceptedBy) -> queue.add(target));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class References {

    /** Hears each reference; {@code name} is {@code null} but for the target whose name was asked for. */
    @FunctionalInterface
    public interface Sink {
        void reference(long target, boolean lowPriority, Edge.Kind kind, HprofClass location, String name, String acceptedBy);
    }

    private static final Set<String> WRAPPERS = Set.of("java.lang.Boolean", "java.lang.Character", "java.lang.Float",
            "java.lang.Double", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long");
    private static final int ID = HprofIndex.ID;

    final HprofIndex index;
    private final ReferenceRules rules;
    private final HeapView view;
    private final Map<HprofClass, FieldRefs> fieldRefs = new IdentityHashMap<>();
    private final Map<HprofClass, Boolean> wrapperArrays = new IdentityHashMap<>();
    final CollectionEntryReader collections;
    private final ThreadLocals locals;

    public References(HprofIndex index, ReferenceRules rules, ThreadLocals locals) {
        this.index = index;
        this.rules = rules;
        this.view = new HeapView(index);
        this.collections = new CollectionEntryReader(index, view);
        this.locals = locals;
    }

    /**
     * Reads the references of object {@code id}, in order; the references to {@code named} with their
     * names ({@code null}: none). A name costs a read (a map value is named by its key's text), so only the ones
     * a path shows are read.
     */
    public void read(long id, java.util.Set<Long> named, Sink sink) {
        HprofClass c = index.classById(id);
        read(id, c, c != null ? -1 : index.objects.positionOf(id), named, sink);
    }

    /** As {@link #read(long, boolean, Sink)}, for a class {@code c}, or an object whose record is at {@code position}. */
    void read(long id, HprofClass c, long position, java.util.Set<Long> named, Sink sink) {
        if (c != null) {
            readStatics(c, named, sink);
            return;
        }
        if (position < 0) {
            return;
        }
        int tag = index.tag(position);
        if (tag == SegmentParser.INSTANCE_DUMP) {
            HprofClass instanceClass = index.instanceClass(position);
            if (instanceClass == null) {
                return;
            }
            if (!locals.read(id, instanceClass, named, sink)) {
                collections.read(id, position, instanceClass, named, sink);
            }
            readFields(position, instanceClass, named, sink);
        } else if (tag == SegmentParser.OBJECT_ARRAY_DUMP) {
            readElements(position, named, sink);
        }
    }

    /**
     * The first reference from {@code from} to each of {@code targets}: {@code [0]} of normal
     * priority, {@code [1]} of any priority (what a path's link is, by how the search reached it).
     * One read of {@code from} for all: a map on a thousand paths is read once, not a thousand times.
     */
    public java.util.Map<Long, Edge[]> edgesTo(long from, java.util.Set<Long> targets) {
        java.util.Map<Long, Edge[]> found = new java.util.HashMap<>();
        read(from, targets, (target, low, kind, location, name, acceptedBy) -> {
            if (targets.contains(target)) {
                Edge[] edges = found.computeIfAbsent(target, k -> new Edge[2]);
                Edge edge = new Edge(target, low, kind, location == null ? "" : location.name, name, acceptedBy);
                if (edges[0] == null && !low) {
                    edges[0] = edge;
                }
                if (edges[1] == null) {
                    edges[1] = edge;
                }
            }
        });
        return found;
    }

    private void readStatics(HprofClass c, java.util.Set<Long> named, Sink sink) {
        Map<String, ReferenceRules.Action> classRules = rules.staticFields.getOrDefault(c.name, Map.of());
        for (int i = 0; i < c.staticNameIds.length; i++) {
            if (c.staticTypes[i] != HprofClass.OBJECT || c.staticValues[i] == 0) {
                continue;
            }
            String name = index.staticName(c, i);
            if (name.equals("$staticOverhead") || name.equals("$classOverhead")) {
                continue;
            }
            ReferenceRules.Action action = classRules.get(name);
            if (action != ReferenceRules.Action.IGNORE) {
                sink.reference(c.staticValues[i], action != null, Edge.Kind.STATIC_FIELD, c, name,
                        action != null ? c.name : null);
            }
        }
    }

    private void readElements(long position, java.util.Set<Long> named, Sink sink) {
        HprofClass arrayClass = index.objectArrayClass(position);
        if (arrayClass != null && wrapperArrays.computeIfAbsent(arrayClass,
                k -> k.name.endsWith("[]") && WRAPPERS.contains(k.name.substring(0, k.name.length() - 2)))) {
            return;
        }
        int length = index.arrayLength(position);
        int emitted = 0;
        for (int i = 0; i < length; i++) {
            long element = index.element(position, i);
            // Shark numbers the slots that hold an object of the dump; only a name needs the lookup (the
            // search drops an id the dump does not have).
            if (element != 0 && (named == null || index.exists(element))) {
                sink.reference(element, false, Edge.Kind.ARRAY_ENTRY, arrayClass, named != null && named.contains(element) ? Integer.toString(emitted) : null, null);
                emitted++;
            }
        }
    }

    private void readFields(long position, HprofClass instanceClass, java.util.Set<Long> named, Sink sink) {
        FieldRefs refs = fieldRefs.computeIfAbsent(instanceClass, this::fieldRefs);
        long start = HprofIndex.fieldsStart(position);
        for (int i = 0; i < refs.offsets.length; i++) {
            long target = index.bytes.readLong(start + refs.offsets[i]);
            if (target != 0) {
                sink.reference(target, refs.accepted[i] != null, Edge.Kind.INSTANCE_FIELD, refs.declaring[i], refs.names[i],
                        refs.accepted[i]);
            }
        }
    }

    /** An instance class's reference fields, as Shark reads them: the rules applied, sorted by name. */
    private record FieldRefs(int[] offsets, String[] names, HprofClass[] declaring, String[] accepted) {
    }

    private FieldRefs fieldRefs(HprofClass c) {
        if (WRAPPERS.contains(c.name) || c.name.equals("java.lang.String") || c.instanceSize <= 0) {
            return new FieldRefs(new int[0], new String[0], new HprofClass[0], new String[0]);
        }
        // Shark's rules by field name, from the instance's class up: the first class that names one wins.
        Map<String, ReferenceRules.Action> byName = new HashMap<>();
        Map<String, String> ruleClass = new HashMap<>();
        for (HprofClass k : c.hierarchy()) {
            rules.instanceFields.getOrDefault(k.name, Map.of()).forEach((field, action) -> {
                if (byName.putIfAbsent(field, action) == null) {
                    ruleClass.put(field, k.name);
                }
            });
        }
        HprofClass.FieldLayout layout = index.layout(c);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < layout.names().length; i++) {
            if (layout.types()[i] == HprofClass.OBJECT && !layout.declaring()[i].name.equals("java.lang.Object")
                    && byName.get(layout.names()[i]) != ReferenceRules.Action.IGNORE) {
                kept.add(i);
            }
        }
        kept.sort((a, b) -> layout.names()[a].compareTo(layout.names()[b])); // stable: hierarchy order on ties
        FieldRefs refs = new FieldRefs(new int[kept.size()], new String[kept.size()], new HprofClass[kept.size()],
                new String[kept.size()]);
        for (int k = 0; k < kept.size(); k++) {
            int i = kept.get(k);
            refs.offsets[k] = layout.offsets()[i];
            refs.names[k] = layout.names()[i];
            refs.declaring[k] = layout.declaring()[i];
            refs.accepted[k] = byName.get(layout.names()[i]) == ReferenceRules.Action.ACCEPT ? ruleClass.get(layout.names()[i]) : null;
        }
        return refs;
    }

}
