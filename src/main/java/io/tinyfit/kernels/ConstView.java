package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

/**
 * A read-only view onto a constant tensor's buffer in the model (weights live in flash, never in the arena). The
 * storage is always the whole tensor, row-major; a view of a region starts at the region's first element.
 */
public final class ConstView extends View {
    private final ConstData data;
    /** Flat index of the element at the region's lo: storage index 0. */
    private final int first;

    public ConstView(Tensor tensor) {
        super(tensor);
        this.data = tensor.data();
        this.first = 0;
    }

    /** The region of the constant tensor, read in place. */
    public ConstView(Tensor tensor, Region region) {
        super(tensor, region, rowMajor(tensor.shape().toArray()));
        this.data = tensor.data();
        int[] s = strides();
        int f = 0;
        for (int d = 0; d < s.length; d++) f += region.lo(d) * s[d];
        this.first = f;
    }

    @Override public int i8(int i) { return data.i8(first + i); }
    @Override public int u8(int i) { return data.u8(first + i); }
    @Override public int i16(int i) { return data.i16At(2 * (first + i)); }
    @Override public int i32(int i) { return data.i32At(4 * (first + i)); }
    @Override public long i64(int i) { return data.i64At(8 * (first + i)); }
    @Override public float f32(int i) { return data.f32At(4 * (first + i)); }

    @Override public void setI8(int i, int v) { throw readOnly(); }
    @Override public void setI16(int i, int v) { throw readOnly(); }
    @Override public void setI32(int i, int v) { throw readOnly(); }
    @Override public void setI64(int i, long v) { throw readOnly(); }
    @Override public void setF32(int i, float v) { throw readOnly(); }

    @Override public int rawByte(int b) { return data.u8(first * dtype().bytes() + b); }
    @Override public void setRawByte(int b, int v) { throw readOnly(); }

    private IllegalStateException readOnly() {
        return new IllegalStateException("constant tensor " + tensor().label() + " is read-only");
    }
}
