package dev.leakproof.internal.hprof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The objects of an indexed dump, read as Shark's graph reads them: instances with their fields by
 * declaring class and name, object arrays with their element ids, classes with their static fields.
 * Each object is read from the mapped file when asked, nothing is cached.
 *
 * <pre>{@code
 * HeapView heap = new HeapView(index);
 * if (heap.object(id) instanceof HeapView.Instance thread && thread.instanceOf("java.lang.Thread")) {
 *     String name = thread.get("java.lang.Thread", "name").readAsJavaString();
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HeapView {

    private static final int ID = HprofIndex.ID;
    private final HprofIndex index;

    public HeapView(HprofIndex index) {
        this.index = index;
    }

    public HprofIndex index() {
        return index;
    }

    /** The object of this id, or {@code null} when the dump has none. */
    public HeapObject object(long id) {
        HprofClass c = id == 0 ? null : index.classById(id);
        if (c != null) {
            return new ClassObject(this, id, c);
        }
        long position = id == 0 ? -1 : index.objects.positionOf(id);
        if (position < 0) {
            return null;
        }
        return switch (index.tag(position)) {
            case SegmentParser.INSTANCE_DUMP -> new Instance(this, id, position);
            case SegmentParser.OBJECT_ARRAY_DUMP -> new ObjectArray(this, id, position);
            default -> new PrimitiveArray(this, id, position);
        };
    }

    /** The class of this name, or {@code null}. */
    public HprofClass classByName(String name) {
        return index.classByName(name);
    }

    /** An object of the dump. */
    public abstract static sealed class HeapObject permits Instance, ObjectArray, PrimitiveArray, ClassObject {
        final HeapView view;
        final long id;

        HeapObject(HeapView view, long id) {
            this.view = view;
            this.id = id;
        }

        public long id() {
            return id;
        }

        public HeapView view() {
            return view;
        }

        /** The class name Shark gives the object: an instance's class, {@code java.lang.Object[]}, {@code int[]}. */
        public abstract String className();
    }

    /** An instance, its fields read by declaring class and name. */
    public static final class Instance extends HeapObject {
        private final long position;
        private final HprofClass instanceClass;

        Instance(HeapView view, long id, long position) {
            super(view, id);
            this.position = position;
            this.instanceClass = view.index.instanceClass(position);
        }

        public HprofClass instanceClass() {
            return instanceClass;
        }

        @Override
        public String className() {
            return instanceClass == null ? "" : instanceClass.name;
        }

        /** Whether its class is {@code className} or extends it. */
        public boolean instanceOf(String className) {
            return instanceClass != null && instanceClass.isA(className);
        }

        /** Field {@code name} declared by {@code declaringClass}, or {@code null} when it has none. */
        public Value get(String declaringClass, String name) {
            if (instanceClass == null) {
                return null;
            }
            int field = view.index.field(instanceClass, declaringClass, name);
            return field < 0 ? null : value(field);
        }

        /** Every field, its own class's first, then each superclass's. */
        public List<Field> fields() {
            List<Field> fields = new ArrayList<>();
            if (instanceClass != null) {
                HprofClass.FieldLayout layout = view.index.layout(instanceClass);
                for (int i = 0; i < layout.names().length; i++) {
                    fields.add(new Field(layout.declaring()[i].name, layout.names()[i], value(i)));
                }
            }
            return fields;
        }

        private Value value(int field) {
            HprofClass.FieldLayout layout = view.index.layout(instanceClass);
            int type = layout.types()[field];
            long at = HprofIndex.fieldsStart(position) + layout.offsets()[field];
            return new Value(view, type, view.index.bytes.readValue(at, type));
        }

        /** The string's text when this is a {@code java.lang.String}, else {@code null}; as Shark reads it. */
        public String readAsJavaString() {
            if (!className().equals("java.lang.String")) {
                return null;
            }
            Value value = get("java.lang.String", "value");
            HeapObject array = value == null ? null : value.asObject();
            if (!(array instanceof PrimitiveArray chars)) {
                return null;
            }
            return chars.type() == 5 ? new String(chars.bytes(), StandardCharsets.UTF_16BE)
                    : new String(chars.bytes(), StandardCharsets.UTF_8);
        }
    }

    /** An array of references. */
    public static final class ObjectArray extends HeapObject {
        private final long position;

        ObjectArray(HeapView view, long id, long position) {
            super(view, id);
            this.position = position;
        }

        public long[] elementIds() {
            long[] ids = new long[view.index.arrayLength(position)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = view.index.element(position, i);
            }
            return ids;
        }

        public String arrayClassName() {
            HprofClass c = view.index.objectArrayClass(position);
            return c == null ? "java.lang.Object[]" : c.name;
        }

        @Override
        public String className() {
            return arrayClassName();
        }
    }

    /** An array of a primitive type. */
    public static final class PrimitiveArray extends HeapObject {
        private final long position;

        PrimitiveArray(HeapView view, long id, long position) {
            super(view, id);
            this.position = position;
        }

        /** Its HPROF basic type ({@code 8} byte, {@code 5} char...). */
        public int type() {
            return view.index.bytes.readUnsignedByte(position + 1 + ID + 4 + 4);
        }

        @Override
        public String className() {
            return switch (type()) {
                case 4 -> "boolean[]";
                case 5 -> "char[]";
                case 6 -> "float[]";
                case 7 -> "double[]";
                case 8 -> "byte[]";
                case 9 -> "short[]";
                case 10 -> "int[]";
                default -> "long[]";
            };
        }

        public byte[] bytes() {
            int length = view.index.arrayLength(position) * HprofClass.size(type(), ID);
            return view.index.bytes.readBytes(position + 1 + ID + 4 + 4 + 1, length);
        }
    }

    /** A class, with its static fields. */
    public static final class ClassObject extends HeapObject {
        private final HprofClass heapClass;

        ClassObject(HeapView view, long id, HprofClass heapClass) {
            super(view, id);
            this.heapClass = heapClass;
        }

        public HprofClass heapClass() {
            return heapClass;
        }

        @Override
        public String className() {
            return heapClass.name;
        }

        /** Static field {@code name}, or {@code null}. */
        public Value staticField(String name) {
            for (int i = 0; i < heapClass.staticNameIds.length; i++) {
                if (view.index.staticName(heapClass, i).equals(name)) {
                    return new Value(view, heapClass.staticTypes[i], heapClass.staticValues[i]);
                }
            }
            return null;
        }
    }

    /** A field of an instance. */
    public record Field(String declaringClass, String name, Value value) {
    }

    /** A field's value: a reference, or a primitive widened to a long. */
    public record Value(HeapView view, int type, long raw) {

        public boolean isReference() {
            return type == HprofClass.OBJECT;
        }

        public boolean isNullReference() {
            return isReference() && raw == 0;
        }

        public boolean isNonNullReference() {
            return isReference() && raw != 0;
        }

        /** The id it refers to, or {@code null} (not a reference, or null). */
        public Long asObjectId() {
            return isNonNullReference() ? raw : null;
        }

        /** The object it refers to, or {@code null}. */
        public HeapObject asObject() {
            return isNonNullReference() ? view.object(raw) : null;
        }

        public Integer asInt() {
            return type == 10 ? (int) raw : null;
        }

        public Long asLong() {
            return type == 11 ? raw : null;
        }

        public Boolean asBoolean() {
            return type == 4 ? raw != 0 : null;
        }

        public Byte asByte() {
            return type == 8 ? (byte) raw : null;
        }

        /** The text of the string it refers to, or {@code null}. */
        public String readAsJavaString() {
            return asObject() instanceof Instance string ? string.readAsJavaString() : null;
        }
    }
}
