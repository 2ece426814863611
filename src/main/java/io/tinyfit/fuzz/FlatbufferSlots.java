package io.tinyfit.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The positions, in a valid {@code .tflite} file, of the words a corrupt file gets wrong: the 32-bit offsets from
 * a table field to its vector or sub-table, and the 32-bit length of each vector. Found by walking the flatbuffer
 * itself (root table, vtables, fields) along the schema's field order for the tables a model is made of: Model,
 * its operator codes, subgraphs and buffers, each subgraph's tensors and operators. The generated schema classes
 * hide these positions, so the walk reads the bytes directly.
 */
final class FlatbufferSlots {
    /** Field numbers of schema.fbs (version 3). */
    private static final int MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4, MODEL_METADATA = 6;
    private static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3;
    private static final int TENSOR_SHAPE = 0, TENSOR_NAME = 3, TENSOR_QUANTIZATION = 4;
    private static final int OPERATOR_INPUTS = 1, OPERATOR_OUTPUTS = 2, OPERATOR_BUILTIN_OPTIONS = 4;
    private static final int BUFFER_DATA = 0;
    private static final int QUANTIZATION_SCALE = 2, QUANTIZATION_ZERO_POINT = 3;

    private final ByteBuffer bb;
    private final List<Integer> offsets = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<int[]> data = new ArrayList<>();

    private FlatbufferSlots(byte[] file) {
        this.bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The slots of a valid model file. */
    static FlatbufferSlots of(byte[] file) {
        FlatbufferSlots s = new FlatbufferSlots(file);
        s.model(s.bb.getInt(0));
        return s;
    }

    /** Positions of uoffset words (table fields pointing at a vector, string or table, and vector elements pointing at tables). */
    List<Integer> offsets() { return List.copyOf(offsets); }

    /** Positions of vector (and string) length words. */
    List<Integer> lengths() { return List.copyOf(lengths); }

    /** Byte ranges {from, to} of the buffers' data (weights), where a flipped byte only changes a value. */
    List<int[]> dataRanges() { return List.copyOf(data); }

    private void model(int table) {
        for (int t : tableVector(table, MODEL_OPERATOR_CODES)) touch(t);
        for (int sg : tableVector(table, MODEL_SUBGRAPHS)) subgraph(sg);
        for (int b : tableVector(table, MODEL_BUFFERS)) {
            int v = reference(b, BUFFER_DATA);
            if (v == 0) continue;
            lengths.add(v);
            data.add(new int[] {v + 4, v + 4 + bb.getInt(v)});
        }
        tableVector(table, MODEL_METADATA);
    }

    private void subgraph(int table) {
        for (int t : tableVector(table, SUBGRAPH_TENSORS)) {
            vector(t, TENSOR_SHAPE);
            vector(t, TENSOR_NAME);
            int q = reference(t, TENSOR_QUANTIZATION);
            if (q != 0) {
                vector(q, QUANTIZATION_SCALE);
                vector(q, QUANTIZATION_ZERO_POINT);
            }
        }
        vector(table, SUBGRAPH_INPUTS);
        vector(table, SUBGRAPH_OUTPUTS);
        for (int op : tableVector(table, SUBGRAPH_OPERATORS)) {
            vector(op, OPERATOR_INPUTS);
            vector(op, OPERATOR_OUTPUTS);
            reference(op, OPERATOR_BUILTIN_OPTIONS);
        }
    }

    /** A table that is only pointed at (its own fields are not walked). */
    private void touch(int table) {
        if (table <= 0 || table >= bb.capacity()) throw new IllegalStateException("table outside the file");
    }

    /** The tables a vector-of-tables field points at, recording the field's offset, the length and each element's offset. */
    private List<Integer> tableVector(int table, int field) {
        int v = reference(table, field);
        List<Integer> out = new ArrayList<>();
        if (v == 0) return out;
        lengths.add(v);
        int n = bb.getInt(v);
        for (int i = 0; i < n; i++) {
            int slot = v + 4 + 4 * i;
            offsets.add(slot);
            out.add(slot + bb.getInt(slot));
        }
        return out;
    }

    /** A vector or string field: its offset and its length word. */
    private void vector(int table, int field) {
        int v = reference(table, field);
        if (v != 0) lengths.add(v);
    }

    /** The position a uoffset field points at (0 when absent), recording the field's position. */
    private int reference(int table, int field) {
        int p = fieldPosition(table, field);
        if (p == 0) return 0;
        offsets.add(p);
        return p + bb.getInt(p);
    }

    private int fieldPosition(int table, int field) {
        int vtable = table - bb.getInt(table);
        int vtableBytes = bb.getShort(vtable) & 0xFFFF;
        int entry = 4 + 2 * field;
        if (entry >= vtableBytes) return 0;
        int off = bb.getShort(vtable + entry) & 0xFFFF;
        return off == 0 ? 0 : table + off;
    }
}
