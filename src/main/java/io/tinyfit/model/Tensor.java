package io.tinyfit.model;

/**
 * A tensor of one subgraph. {@code data} is non-null only when its buffer holds bytes (a constant).
 *
 * @param id              index in its subgraph's tensor list
 * @param shapeSignature  the schema's {@code shape_signature} (-1 for dynamic dims), or null when absent
 * @param quantization    null when the tensor has no quantisation table
 * @param buffer          index into the model's buffer list (0 is the empty sentinel)
 * @param hasRank         the schema's {@code has_rank} flag, kept for round trips
 * @param presence        which optional fields the file had (a scalar may have no {@code shape} vector at all)
 */
public record Tensor(int id, String name, DType dtype, Shape shape, Shape shapeSignature, Quantization quantization,
                     int buffer, ConstData data, boolean variable, boolean hasRank, Presence presence) {

    public Tensor {
        presence = presence == null ? Presence.BUILT : presence;
    }

    /** A tensor built in code. */
    public Tensor(int id, String name, DType dtype, Shape shape, Shape shapeSignature, Quantization quantization,
                  int buffer, ConstData data, boolean variable, boolean hasRank) {
        this(id, name, dtype, shape, shapeSignature, quantization, buffer, data, variable, hasRank, Presence.BUILT);
    }

    /** The name, or {@code tensor <id>} when the model gives none (the raw {@link #name()} may be null). */
    public String label() { return name == null || name.isEmpty() ? "tensor " + id : name; }

    public boolean isConstant() { return data != null && !data.isEmpty(); }

    /** Bytes the tensor occupies: elements times element size. */
    public long bytes() { return shape.numElements() * dtype.bytes(); }

    public Quantization quant() {
        return quantization == null ? new Quantization(null, null, null, null, 0) : quantization;
    }

    public Tensor withId(int newId) {
        return new Tensor(newId, name, dtype, shape, shapeSignature, quantization, buffer, data, variable, hasRank, presence);
    }

    public Tensor withQuantization(Quantization q) {
        return new Tensor(id, name, dtype, shape, shapeSignature, q, buffer, data, variable, hasRank, presence);
    }

    public Tensor withDType(DType t) {
        return new Tensor(id, name, t, shape, shapeSignature, quantization, buffer, data, variable, hasRank, presence);
    }

    public Tensor withShape(Shape newShape) {
        return new Tensor(id, name, dtype, newShape, shapeSignature, quantization, buffer, data, variable, hasRank, presence);
    }

    public Tensor withVariable(boolean isVariable) {
        return new Tensor(id, name, dtype, shape, shapeSignature, quantization, buffer, data, isVariable, hasRank, presence);
    }

    public Tensor withData(int newBuffer, ConstData newData) {
        return new Tensor(id, name, dtype, shape, shapeSignature, quantization, newBuffer, newData, variable, hasRank, presence);
    }
}
