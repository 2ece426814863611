package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.Tensor;

/** A read-only view onto a constant tensor's buffer in the model (weights live in flash, never in the arena). */
public final class ConstView extends View {
    private final ConstData data;

    public ConstView(Tensor tensor) {
        super(tensor, tensor.shape());
        this.data = tensor.data();
    }

    @Override public int i8(int i) { return data.i8(i); }
    @Override public int u8(int i) { return data.u8(i); }
    @Override public int i16(int i) { return data.i16At(2 * i); }
    @Override public int i32(int i) { return data.i32At(4 * i); }
    @Override public long i64(int i) { return data.i64At(8 * i); }
    @Override public float f32(int i) { return data.f32At(4 * i); }

    @Override public void setI8(int i, int v) { throw readOnly(); }
    @Override public void setI16(int i, int v) { throw readOnly(); }
    @Override public void setI32(int i, int v) { throw readOnly(); }
    @Override public void setI64(int i, long v) { throw readOnly(); }
    @Override public void setF32(int i, float v) { throw readOnly(); }

    @Override public int rawByte(int b) { return data.u8(b); }
    @Override public void setRawByte(int b, int v) { throw readOnly(); }

    private IllegalStateException readOnly() {
        return new IllegalStateException("constant tensor " + tensor().label() + " is read-only");
    }
}
