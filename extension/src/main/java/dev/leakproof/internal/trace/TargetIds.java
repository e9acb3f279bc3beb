package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofClass;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of the objects an analysis explains, read through the index: this verdict's survivors
 * (the referents of the weak references {@link HeapDump} held in its static field while it dumped),
 * or the instances of some classes (a live server's listener left out: it is not growth). The same
 * ids serve Shark when it is the one reading the dump.
 *
 * <pre>{@code
 * Set<Long> ids = TargetIds.of(heap, Targets.SUSPECTS);
 * }</pre>
 */
final class TargetIds {

    private TargetIds() {
    }

    /** The classes whose instances the index must keep for these targets. */
    static List<String> classesToCollect(Targets targets) {
        return targets.classNames() == null ? List.of() : targets.classNames();
    }

    static Set<Long> of(HeapView heap, Targets targets) {
        Set<Long> ids = new LinkedHashSet<>();
        if (targets.classNames() == null) {
            HprofClass holder = heap.classByName(HeapDump.class.getName());
            HeapView.Value field = holder == null ? null
                    : ((HeapView.ClassObject) heap.object(holder.id())).staticField(HeapDump.SUSPECTS_FIELD);
            if (field != null && field.asObject() instanceof HeapView.ObjectArray references) {
                for (long referenceId : references.elementIds()) {
                    HeapView.Value referent = heap.object(referenceId) instanceof HeapView.Instance reference
                            ? reference.get("java.lang.ref.Reference", "referent") : null;
                    if (referent != null && referent.isNonNullReference()) {
                        ids.add(referent.raw());
                    }
                }
            }
            return ids;
        }
        for (String name : targets.classNames()) {
            int taken = 0;
            // Sorted by id, as Shark lists a class's instances: the same ones are taken.
            for (long id : heap.index().instancesOf(name)) {
                if (taken == targets.maxPerClass()) {
                    break;
                }
                if (heap.object(id) instanceof HeapView.Instance instance && !HeapCollections.listening(instance)) {
                    ids.add(id);
                    taken++;
                }
            }
        }
        return ids;
    }
}
