package dev.leakproof.internal.size;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openjdk.jol.util.ObjectUtils;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Walks object graphs through instance fields, sizing each object with JOL, the way JOL's own
 * {@code GraphLayout} does, with two differences that make per-connection sizes meaningful:
 * <ul>
 *   <li>walls: objects the walk must not enter (from the shared side, the connections; from a
 *       connection, whatever the shared side already reached), and</li>
 *   <li>classes it never enters: {@code Class}, {@code ClassLoader}, {@code Thread} and
 *       {@code ThreadGroup}. Through them every graph reaches every other (a thread reaches its
 *       group, the group every thread, each thread its locals), which is how a single channel's
 *       graph grows to 100k objects; none of them belongs to a connection.</li>
 * </ul>
 */
final class ObjectGraphWalker {

    private static final ClassValue<Field[]> REFERENCE_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    // A weak or soft referent is not retained by the reference: never follow it.
                    boolean referent = c == Reference.class && f.getName().equals("referent");
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && !referent) {
                        try {
                            f.setAccessible(true);
                        } catch (RuntimeException e) {
                            // JOL reads it through Unsafe instead
                        }
                        fields.add(f);
                    }
                }
            }
            return fields.toArray(new Field[0]);
        }
    };

    private final VirtualMachine vm = VM.current();
    private final Map<Object, Boolean> visited = new IdentityHashMap<>();

    /** Per-class totals of one walk. */
    static final class Sizes {
        long bytes;
        long objects;
        final Map<Class<?>, long[]> byClass = new IdentityHashMap<>(); // {bytes, count}

        void add(Object o, long size) {
            bytes += size;
            objects++;
            long[] entry = byClass.computeIfAbsent(o.getClass(), c -> new long[2]);
            entry[0] += size;
            entry[1]++;
        }
    }

    /**
     * Walks from {@code roots}, not entering walls, and not counting anything an earlier walk of this
     * walker already counted.
     */
    Sizes walk(Collection<?> roots, Predicate<Object> wall) {
        Sizes sizes = new Sizes();
        ArrayDeque<Object> stack = new ArrayDeque<>();
        for (Object root : roots) {
            if (root != null && !isOpaque(root) && visited.put(root, Boolean.TRUE) == null) {
                stack.push(root);
            }
        }
        while (!stack.isEmpty()) {
            Object o = stack.pop();
            sizes.add(o, vm.sizeOf(o));
            Class<?> type = o.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (Object element : (Object[]) o) {
                        visit(element, wall, stack);
                    }
                }
                continue;
            }
            for (Field f : REFERENCE_FIELDS.get(type)) {
                visit(ObjectUtils.value(o, f), wall, stack);
            }
        }
        return sizes;
    }

    private void visit(Object o, Predicate<Object> wall, ArrayDeque<Object> stack) {
        if (o == null || visited.containsKey(o) || isOpaque(o) || wall.test(o)) {
            return;
        }
        visited.put(o, Boolean.TRUE);
        stack.push(o);
    }

    private static boolean isOpaque(Object o) {
        return o instanceof Class || o instanceof ClassLoader || o instanceof Thread || o instanceof ThreadGroup;
    }
}
