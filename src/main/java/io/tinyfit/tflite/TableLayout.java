package io.tinyfit.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vtable layout of one generated schema table class: for every field its slot, whether it is a scalar (with
 * width, signedness and default) or an offset (string, vector, sub-table or union value), and for vectors the
 * element width. It is read from the generated code itself: each {@code addX} and {@code startXVector} method is
 * called on a recording builder, which notes the slot, the default and the element size the schema compiler baked
 * into it. No hand-written copy of schema.fbs can drift from the classes the reader and writer use.
 */
final class TableLayout {
    /** What a field's slot holds. */
    enum Kind { BOOL, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING, VECTOR, TABLE, UNION_VALUE }

    /**
     * One field.
     *
     * @param name        the schema name in camel case, as the generated accessors spell it ({@code customOptions})
     * @param elementType for a vector: the element class the accessor returns ({@code int.class}, a table class, String)
     * @param elementSize for a vector: bytes per element (4 for tables and strings, which are offsets)
     * @param tableType   for a sub-table: its generated class
     */
    record Field(String name, int slot, Kind kind, double defaultValue, Class<?> elementType, int elementSize,
                 Class<? extends Table> tableType) {
        boolean isScalar() { return kind.ordinal() <= Kind.DOUBLE.ordinal(); }

        /** Bytes of an inline scalar. */
        int width() {
            return switch (kind) {
                case BOOL, BYTE -> 1;
                case SHORT -> 2;
                case INT, FLOAT -> 4;
                case LONG, DOUBLE -> 8;
                default -> 4;
            };
        }
    }

    private static final Map<Class<?>, TableLayout> CACHE = new ConcurrentHashMap<>();

    final Class<? extends Table> type;
    final int slotCount;
    final List<Field> fields;
    private final Field[] bySlot;

    private TableLayout(Class<? extends Table> type, int slotCount, List<Field> fields) {
        this.type = type;
        this.slotCount = slotCount;
        this.fields = Collections.unmodifiableList(fields);
        this.bySlot = new Field[slotCount];
        for (Field f : fields) bySlot[f.slot()] = f;
    }

    static TableLayout of(Class<? extends Table> type) { return CACHE.computeIfAbsent(type, c -> probe(type)); }

    /** The field of that (camel-case) name. */
    Field field(String name) {
        for (Field f : fields) if (f.name().equals(name)) return f;
        throw new IllegalStateException(type.getSimpleName() + " has no field " + name);
    }

    /** The field at a slot, or null for a slot this schema version does not know. */
    Field field(int slot) { return slot < bySlot.length ? bySlot[slot] : null; }

    private static TableLayout probe(Class<? extends Table> type) {
        String simple = type.getSimpleName();
        Recorder rec = new Recorder();
        invokeStatic(method(type, "start" + simple, FlatBufferBuilder.class), rec);
        int slotCount = rec.tableSlots;
        List<Field> fields = new ArrayList<>();
        for (Method add : type.getMethods()) {
            String n = add.getName();
            if (!Modifier.isStatic(add.getModifiers()) || !n.startsWith("add") || add.getParameterCount() != 2
                    || add.getParameterTypes()[0] != FlatBufferBuilder.class) continue;
            String name = Character.toLowerCase(n.charAt(3)) + n.substring(4);
            rec.reset();
            invokeStatic(add, rec, zero(add.getParameterTypes()[1]));
            fields.add(describe(type, name, rec));
        }
        fields.sort(java.util.Comparator.comparingInt(Field::slot));
        return new TableLayout(type, slotCount, fields);
    }

    private static Field describe(Class<? extends Table> type, String name, Recorder rec) {
        if (rec.kind != Kind.UNION_VALUE) {
            return new Field(name, rec.slot, rec.kind, rec.defaultValue, null, 0, null);
        }
        // an offset: a vector, a string, a sub-table or a union's value table
        Method length = method(type, name + "Length");
        if (length != null) {
            Method element = method(type, name, int.class);
            Recorder v = new Recorder();
            Method startVector = method(type, "start" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Vector",
                    FlatBufferBuilder.class, int.class);
            int size = 4;
            if (startVector != null) {
                invokeStatic(startVector, v, 0);
                size = v.elementSize;
            }
            return new Field(name, rec.slot, Kind.VECTOR, 0, element == null ? null : element.getReturnType(), size, null);
        }
        Method getter = method(type, name);
        if (getter != null && getter.getReturnType() == String.class) return new Field(name, rec.slot, Kind.STRING, 0, null, 0, null);
        if (getter != null && Table.class.isAssignableFrom(getter.getReturnType())) {
            @SuppressWarnings("unchecked") Class<? extends Table> sub = (Class<? extends Table>) getter.getReturnType();
            return new Field(name, rec.slot, Kind.TABLE, 0, null, 0, sub);
        }
        return new Field(name, rec.slot, Kind.UNION_VALUE, 0, null, 0, null);
    }

    private static Object zero(Class<?> t) {
        if (t == boolean.class) return false;
        if (t == byte.class) return (byte) 0;
        if (t == short.class) return (short) 0;
        if (t == int.class) return 0;
        if (t == long.class) return 0L;
        if (t == float.class) return 0f;
        if (t == double.class) return 0d;
        throw new IllegalStateException("unexpected add parameter " + t);
    }

    private static Method method(Class<?> c, String name, Class<?>... params) {
        try {
            return c.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static void invokeStatic(Method m, Object... args) {
        try {
            m.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot probe " + m, e);
        }
    }

    /** A builder that only records what the generated code asks of it. */
    private static final class Recorder extends FlatBufferBuilder {
        int tableSlots;
        int slot;
        Kind kind;
        double defaultValue;
        int elementSize;

        Recorder() { super(16); }

        void reset() {
            slot = -1;
            kind = null;
            defaultValue = 0;
        }

        private void note(int s, Kind k, double d) {
            slot = s;
            kind = k;
            defaultValue = d;
        }

        @Override public void startTable(int numfields) { tableSlots = numfields; }
        @Override public void startVector(int elemSize, int numElems, int alignment) { elementSize = elemSize; }
        @Override public void addBoolean(int o, boolean x, boolean d) { note(o, Kind.BOOL, d ? 1 : 0); }
        @Override public void addByte(int o, byte x, int d) { note(o, Kind.BYTE, d); }
        @Override public void addShort(int o, short x, int d) { note(o, Kind.SHORT, d); }
        @Override public void addInt(int o, int x, int d) { note(o, Kind.INT, d); }
        @Override public void addLong(int o, long x, long d) { note(o, Kind.LONG, d); }
        @Override public void addFloat(int o, float x, double d) { note(o, Kind.FLOAT, d); }
        @Override public void addDouble(int o, double x, double d) { note(o, Kind.DOUBLE, d); }
        // every offset-typed field (string, vector, table, union value) is added through addOffset
        @Override public void addOffset(int o, int x, int d) { note(o, Kind.UNION_VALUE, d); }
    }
}
