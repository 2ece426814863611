package io.tinyfit.tflite;

import com.google.flatbuffers.Table;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One table of a flatbuffer read straight from its bytes and its vtable: which slots are present, and their
 * inline values or the positions their offsets point to. Presence is exactly what the file says, which the
 * generated object API hides (it turns an absent vector into an empty one).
 */
final class RawTable {
    final ByteBuffer bb;
    final int pos;
    final TableLayout layout;
    private final int vtable;
    private final int vtableSlots;

    RawTable(ByteBuffer bb, int pos, Class<? extends Table> type) {
        this.bb = bb;
        this.pos = pos;
        this.layout = TableLayout.of(type);
        this.vtable = pos - bb.getInt(pos);
        this.vtableSlots = ((bb.getShort(vtable) & 0xFFFF) - 4) / 2;
    }

    /** The root table of a finished buffer. */
    static RawTable root(ByteBuffer bb, Class<? extends Table> type) { return new RawTable(bb, bb.getInt(0), type); }

    /** Slots the vtable lists (present or not): more than the layout knows means fields of a newer schema. */
    int vtableSlots() { return vtableSlots; }

    /** Offset of slot's field from the table start, 0 when absent. */
    int fieldOffset(int slot) {
        return slot < vtableSlots ? bb.getShort(vtable + 4 + 2 * slot) & 0xFFFF : 0;
    }

    boolean has(int slot) { return fieldOffset(slot) != 0; }

    /** A scalar's raw bits (sign-extended as stored), or its default when absent. */
    double scalar(TableLayout.Field f) {
        int o = fieldOffset(f.slot());
        if (o == 0) return f.defaultValue();
        int at = pos + o;
        return switch (f.kind()) {
            case BOOL, BYTE -> bb.get(at);
            case SHORT -> bb.getShort(at);
            case INT -> bb.getInt(at);
            case LONG -> bb.getLong(at);
            case FLOAT -> bb.getFloat(at);
            case DOUBLE -> bb.getDouble(at);
            default -> throw new IllegalArgumentException(f.name() + " is not a scalar");
        };
    }

    /** Where the slot's offset points (the referenced string, vector or table). */
    int target(int slot) {
        int at = pos + fieldOffset(slot);
        return at + bb.getInt(at);
    }

    /** Element count of the vector at {@code vectorPos}. */
    int length(int vectorPos) { return bb.getInt(vectorPos); }

    /** Start of element i of a vector whose elements are {@code size} bytes. */
    static int element(int vectorPos, int size, int i) { return vectorPos + 4 + size * i; }

    /** The table an offset element at {@code at} points to. */
    static int deref(ByteBuffer bb, int at) { return at + bb.getInt(at); }

    String string(int stringPos) {
        int len = bb.getInt(stringPos);
        byte[] b = new byte[len];
        bb.get(stringPos + 4, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The tables of a vector-of-tables field (none when the field is absent). */
    java.util.List<RawTable> tables(String vectorField, Class<? extends Table> type) {
        java.util.List<RawTable> list = new java.util.ArrayList<>();
        TableLayout.Field f = layout.field(vectorField);
        if (!has(f.slot())) return list;
        int p = target(f.slot());
        for (int i = 0; i < length(p); i++) list.add(new RawTable(bb, deref(bb, element(p, 4, i)), type));
        return list;
    }

    /** A string field's value, or null when absent. */
    String stringField(String name) {
        TableLayout.Field f = layout.field(name);
        return has(f.slot()) ? string(target(f.slot())) : null;
    }

    /** A scalar field's value (its default when absent). */
    double scalar(String name) { return scalar(layout.field(name)); }

    /** The union type byte that accompanies value field {@code valueName} (slot {@code name + "Type"}). */
    int unionType(String valueName) {
        return (int) scalar(layout.field(valueName + "Type")) & 0xFF;
    }
}
