package dev.leakproof.internal.hprof;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A class of the dump, from its CLASS DUMP record: its superclass, the values of its static fields
 * and the layout of its instances' fields (its own first, then each superclass's, as HotSpot writes
 * an instance's bytes).
 *
 * <pre>{@code
 * HprofClass map = index.classByName("java.util.HashMap");
 * List<HprofClass> hierarchy = map.hierarchy(); // HashMap, AbstractMap, Object
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HprofClass {

    /** HPROF's basic type of a reference. */
    public static final int OBJECT = 2;

    final long id;
    /** Where its CLASS DUMP record starts. */
    final long position;
    final long superId;
    final int instanceSize;
    final long[] staticNameIds;
    final byte[] staticTypes;
    final long[] staticValues;
    final long[] fieldNameIds;
    final byte[] fieldTypes;
    String name;
    /** Its static fields' names, decoded when first asked. */
    String[] staticNames;
    HprofClass superclass;
    private List<HprofClass> hierarchy;
    /** This class's instance fields' offsets in the bytes of an instance of exactly this class, set once. */
    FieldLayout layout;

    HprofClass(long id, long position, long superId, int instanceSize, long[] staticNameIds, byte[] staticTypes, long[] staticValues,
            long[] fieldNameIds, byte[] fieldTypes) {
        this.id = id;
        this.position = position;
        this.superId = superId;
        this.instanceSize = instanceSize;
        this.staticNameIds = staticNameIds;
        this.staticTypes = staticTypes;
        this.staticValues = staticValues;
        this.fieldNameIds = fieldNameIds;
        this.fieldTypes = fieldTypes;
    }

    public long id() {
        return id;
    }

    /** The name as Shark spells it: {@code java.util.HashMap}, {@code java.lang.Object[]}, {@code int[][]}. */
    public String name() {
        return name;
    }

    /** The superclass, or {@code null} for {@code java.lang.Object}. */
    public HprofClass superclass() {
        return superclass;
    }

    /** The bytes of an instance's fields, as the class dump gives it. */
    public int instanceSize() {
        return instanceSize;
    }

    /** This class, then each superclass up to {@code java.lang.Object}. */
    public List<HprofClass> hierarchy() {
        if (hierarchy == null) {
            List<HprofClass> classes = new ArrayList<>();
            for (HprofClass c = this; c != null && classes.size() < 1000; c = c.superclass) {
                classes.add(c);
            }
            hierarchy = List.copyOf(classes);
        }
        return hierarchy;
    }

    /** Whether this class is {@code className} or extends it. */
    public boolean isA(String className) {
        for (HprofClass c : hierarchy()) {
            if (c.name.equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of a value of HPROF basic type {@code type}, with ids of {@code idSize} bytes. */
    static int size(int type, int idSize) {
        return switch (type) {
            case OBJECT -> idSize;
            case 4, 8 -> 1; // boolean, byte
            case 5, 9 -> 2; // char, short
            case 6, 10 -> 4; // float, int
            case 7, 11 -> 8; // double, long
            default -> throw new UnsupportedHprofException("unknown basic type " + type);
        };
    }

    /**
     * Where each instance field of an instance of this class sits: for the whole hierarchy, this
     * class's fields first, each field's declaring class, name, type and offset in the instance's bytes.
     */
    record FieldLayout(HprofClass[] declaring, String[] names, byte[] types, int[] offsets) {
    }
}
