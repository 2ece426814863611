package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

/**
 * A kernel's window onto one tensor's bytes: an arena region or a constant buffer of the model. Accessors take
 * an element index in the view's row-major order (not a byte offset) and use the tensor's little-endian layout.
 * Kernels read and write only through views, so that the interpreter decides where bytes live (one planned
 * arena) and a tracing view can record every access for the overlap analysis.
 */
public abstract class View {
    private final Tensor tensor;
    private final Shape shape;
    private final int[] dims;
    private final int elements;

    protected View(Tensor tensor, Shape shape) {
        this.tensor = tensor;
        this.shape = shape;
        this.dims = shape.toArray();
        this.elements = (int) shape.numElements();
    }

    public Tensor tensor() { return tensor; }
    public DType dtype() { return tensor.dtype(); }
    public Shape shape() { return shape; }
    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int[] dims() { return dims.clone(); }
    /** Dimension i of the shape extended to 4-D with leading ones (TFLite's {@code RuntimeShape::ExtendedShape}). */
    public int dim4(int i) { int k = i - (4 - dims.length); return k < 0 ? 1 : dims[k]; }
    public int elements() { return elements; }
    public int byteSize() { return elements * tensor.dtype().bytes(); }
    public Quantization quant() { return tensor.quant(); }
    public float scale() { return tensor.quant().scale(); }
    public int zeroPoint() { return tensor.quant().zeroPoint(); }

    public abstract int i8(int i);
    public abstract int u8(int i);
    public abstract int i16(int i);
    public abstract int i32(int i);
    public abstract long i64(int i);
    public abstract float f32(int i);

    public abstract void setI8(int i, int v);
    public abstract void setI16(int i, int v);
    public abstract void setI32(int i, int v);
    public abstract void setI64(int i, long v);
    public abstract void setF32(int i, float v);

    public void setU8(int i, int v) { setI8(i, v); }
    public boolean bool(int i) { return u8(i) != 0; }
    public void setBool(int i, boolean v) { setI8(i, v ? 1 : 0); }

    /** Raw byte b of the view (0 ≤ b < byteSize), for kernels that only move data. */
    public abstract int rawByte(int b);
    public abstract void setRawByte(int b, int v);

    /** A copy of the view's raw bytes. */
    public byte[] toByteArray() {
        byte[] out = new byte[byteSize()];
        for (int k = 0; k < out.length; k++) out[k] = (byte) rawByte(k);
        return out;
    }

    /** Copies {@code count} raw bytes from {@code src} at byte {@code srcByte} to this view at byte {@code dstByte}. */
    public void copyBytes(int dstByte, View src, int srcByte, int count) {
        for (int k = 0; k < count; k++) setRawByte(dstByte + k, src.rawByte(srcByte + k));
    }

    /** The element as a raw integer (int8/uint8/int16/int32), for dtype-generic data movement. */
    public int asInt(int i) {
        switch (dtype()) {
            case INT8: return i8(i);
            case UINT8: case BOOL: return u8(i);
            case INT16: return i16(i);
            case INT32: return i32(i);
            default: throw new IllegalStateException("asInt on " + dtype());
        }
    }

    /** Int32 contents of a small index-like operand (shapes, axes, paddings, begin/end/strides). */
    public int[] toIntArray() {
        int[] out = new int[elements];
        for (int i = 0; i < elements; i++) out[i] = dtype() == DType.INT64 ? (int) i64(i) : i32(i);
        return out;
    }
}
