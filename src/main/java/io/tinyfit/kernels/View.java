package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

/**
 * A kernel's window onto one tensor's bytes: an arena buffer, a tile of one, or a constant buffer of the model.
 *
 * <p>A view holds a {@link #region() region} of its tensor, {@code [lo, hi)} per dimension in the tensor's global
 * coordinates, stored with element {@link #stride(int) strides}: the element at global coordinate {@code x} is
 * storage element {@code sum((x[d] - lo[d]) * stride[d])}, the storage starting at the element at {@code lo} (the C
 * kernel library's {@code tf_view}: data at lo, lo, hi, stride, in elements). A whole tensor is lo = 0, hi = shape,
 * dense row-major strides, where the storage index is the flat row-major index. Kernels address elements in
 * global coordinates through {@link #at(int, int, int, int)} and {@link #at(int[])}, and judge edges and padding
 * by the tensor's global {@link #dims() shape}, never by the region's, so a tile edge inside the tensor is never
 * taken for the tensor's edge.
 *
 * <p>The accessors take a storage element index (not a byte offset) and use the tensor's little-endian layout.
 * Kernels read and write only through views, so that the interpreter decides where bytes live (one planned arena)
 * and a tracing view can record every access for the overlap analysis.
 */
public abstract class View {
    private final Tensor tensor;
    private final int[] dims;
    private final Region region;
    private final int[] strides;
    /** {@code sum(lo[d] * stride[d])}: {@link #at} subtracts it instead of subtracting lo per dimension. */
    private final int origin;
    private final int elements;
    private final boolean contiguous;
    private final boolean whole;
    /** Strides of the shape extended to 4-D (0 for the added leading dims, whose coordinate is always 0). */
    private final int s0, s1, s2, s3;

    /** The whole tensor, dense row-major. */
    protected View(Tensor tensor) { this(tensor, Region.whole(tensor.shape()), rowMajor(tensor.shape().toArray())); }

    /** The region {@code region} of the tensor, its storage at element strides {@code strides}. */
    protected View(Tensor tensor, Region region, int[] strides) {
        this.tensor = tensor;
        this.dims = tensor.shape().toArray();
        if (region.rank() != dims.length || strides.length != dims.length) {
            throw new IllegalArgumentException("region " + region + " or strides of rank " + strides.length + " do not fit " + tensor.label() + " of shape " + tensor.shape());
        }
        if (!Region.whole(tensor.shape()).contains(region)) {
            throw new IllegalArgumentException("region " + region + " lies outside " + tensor.label() + " of shape " + tensor.shape());
        }
        this.region = region;
        this.strides = strides.clone();
        int o = 0;
        for (int d = 0; d < dims.length; d++) o += region.lo(d) * strides[d];
        this.origin = o;
        this.elements = (int) region.elements();
        this.whole = region.isWhole(tensor.shape());
        this.contiguous = isRowMajor(region.extents(), strides);
        int[] s4 = new int[4];
        if (dims.length <= 4) for (int d = 0; d < dims.length; d++) s4[4 - dims.length + d] = strides[d];
        this.s0 = s4[0];
        this.s1 = s4[1];
        this.s2 = s4[2];
        this.s3 = s4[3];
    }

    /** Dense row-major element strides of a box of these extents. */
    public static int[] rowMajor(int[] extents) {
        int[] s = new int[extents.length];
        int step = 1;
        for (int d = extents.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= extents[d];
        }
        return s;
    }

    /** True when walking the box in row-major order visits storage 0, 1, 2, ... (dims of extent 1 do not matter). */
    private static boolean isRowMajor(int[] extents, int[] strides) {
        int step = 1;
        for (int d = extents.length - 1; d >= 0; d--) {
            if (extents[d] != 1 && strides[d] != step) return false;
            step *= extents[d];
        }
        return true;
    }

    public Tensor tensor() { return tensor; }
    public DType dtype() { return tensor.dtype(); }
    /** The tensor's global shape (not the region's extents). */
    public Shape shape() { return tensor.shape(); }
    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int[] dims() { return dims.clone(); }
    /** Dimension i of the global shape extended to 4-D with leading ones (TFLite's {@code RuntimeShape::ExtendedShape}). */
    public int dim4(int i) { int k = i - (4 - dims.length); return k < 0 ? 1 : dims[k]; }
    public Quantization quant() { return tensor.quant(); }
    public float scale() { return tensor.quant().scale(); }
    public int zeroPoint() { return tensor.quant().zeroPoint(); }

    public Region region() { return region; }
    public int lo(int d) { return region.lo(d); }
    public int hi(int d) { return region.hi(d); }
    /** Element stride of dimension d in the storage. */
    public int stride(int d) { return strides[d]; }
    public int[] strides() { return strides.clone(); }
    /** {@link #lo} of the shape extended to 4-D (0 for the added leading dims). */
    public int lo4(int i) { int k = i - (4 - dims.length); return k < 0 ? 0 : region.lo(k); }
    /** {@link #hi} of the shape extended to 4-D (1 for the added leading dims). */
    public int hi4(int i) { int k = i - (4 - dims.length); return k < 0 ? 1 : region.hi(k); }
    /** {@link #stride} of the shape extended to 4-D (0 for the added leading dims). */
    public int stride4(int i) { return i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3; }

    /** Elements of the region (of the tensor, for a whole view). */
    public int elements() { return elements; }
    public int byteSize() { return elements * tensor.dtype().bytes(); }
    /** True when the view holds the whole tensor. */
    public boolean isWhole() { return whole; }
    /** True when the region's elements in row-major order are storage elements 0, 1, 2, ... */
    public boolean isContiguous() { return contiguous; }
    /** Whole and contiguous: the storage index of an element is its flat row-major index in the tensor. */
    public boolean isDense() { return whole && contiguous; }

    /** Elements the storage spans, from the element at lo to the one at hi - 1 (0 for an empty region). */
    public int storageElements() {
        if (elements == 0) return 0;
        int last = 0;
        for (int d = 0; d < dims.length; d++) last += (region.hi(d) - 1 - region.lo(d)) * strides[d];
        return last + 1;
    }

    /** Storage index of the element at global NHWC coordinate (n, h, w, c) of the shape extended to 4-D (rank ≤ 4). */
    public final int at(int n, int h, int w, int c) { return n * s0 + h * s1 + w * s2 + c * s3 - origin; }

    /** Storage index of the element at a global coordinate of the tensor's rank. */
    public final int at(int[] coordinate) {
        int i = -origin;
        for (int d = 0; d < coordinate.length; d++) i += coordinate[d] * strides[d];
        return i;
    }

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

    /** Raw byte b of the storage, for kernels that only move data. */
    public abstract int rawByte(int b);
    public abstract void setRawByte(int b, int v);

    /** True when both views' storage starts at the same byte of the same memory (TFLM's equal data pointers). */
    public final boolean sameBytesAs(View other) { return storage().sameStorageAs(other.storage()); }

    /** The view that owns the bytes: this one, or the view a decorator wraps. */
    protected View storage() { return this; }

    /** {@link #sameBytesAs} between two storage-owning views. */
    protected boolean sameStorageAs(View other) { return false; }

    /** The region's raw bytes in row-major order (a whole dense view: the tensor's bytes). */
    public byte[] toByteArray() {
        int esize = dtype().bytes();
        byte[] out = new byte[byteSize()];
        int[] storage = storageOrder();
        for (int e = 0; e < storage.length; e++) {
            for (int k = 0; k < esize; k++) out[e * esize + k] = (byte) rawByte(storage[e] * esize + k);
        }
        return out;
    }

    /** Storage indices of the region's elements in row-major order. */
    public int[] storageOrder() {
        int[] out = new int[elements];
        if (contiguous) {
            for (int e = 0; e < elements; e++) out[e] = e;
            return out;
        }
        int[] x = region.lo();
        for (int e = 0; e < elements; e++) {
            out[e] = at(x);
            region.next(x, x.length);
        }
        return out;
    }

    /** Copies {@code count} raw bytes from {@code src} at storage byte {@code srcByte} to this view at storage byte {@code dstByte}. */
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

    /** Int32 contents of a small index-like operand (shapes, axes, paddings, begin/end/strides), in row-major order. */
    public int[] toIntArray() {
        int[] storage = storageOrder();
        int[] out = new int[storage.length];
        for (int e = 0; e < storage.length; e++) out[e] = dtype() == DType.INT64 ? (int) i64(storage[e]) : i32(storage[e]);
        return out;
    }
}
