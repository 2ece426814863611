package io.tinyfit.exec;

import io.tinyfit.kernels.View;

/**
 * Wraps a view and reports every element read and write to a listener before performing it. Kernels reach memory
 * only through views, so wrapping a tensor's view records its complete access stream in program order: what the
 * trace method of the diagonal memory optimisation (DMO) measures. Offsets are storage bytes of the wrapped view
 * (for a whole tensor, bytes of the tensor; for a tile, bytes of its buffer), the wrapped view's region and
 * strides are this view's.
 */
public final class TracingView extends View {
    private final View inner;
    private final AccessListener listener;

    public TracingView(View inner, AccessListener listener) {
        super(inner.tensor(), inner.region(), inner.strides());
        this.inner = inner;
        this.listener = listener;
    }

    @Override public int i8(int i) { listener.read(i, 1); return inner.i8(i); }
    @Override public int u8(int i) { listener.read(i, 1); return inner.u8(i); }
    @Override public int i16(int i) { listener.read(2 * i, 2); return inner.i16(i); }
    @Override public int i32(int i) { listener.read(4 * i, 4); return inner.i32(i); }
    @Override public long i64(int i) { listener.read(8 * i, 8); return inner.i64(i); }
    @Override public float f32(int i) { listener.read(4 * i, 4); return inner.f32(i); }
    @Override public int rawByte(int b) { listener.read(b, 1); return inner.rawByte(b); }

    @Override public void setI8(int i, int v) { listener.write(i, 1); inner.setI8(i, v); }
    @Override public void setI16(int i, int v) { listener.write(2 * i, 2); inner.setI16(i, v); }
    @Override public void setI32(int i, int v) { listener.write(4 * i, 4); inner.setI32(i, v); }
    @Override public void setI64(int i, long v) { listener.write(8 * i, 8); inner.setI64(i, v); }
    @Override public void setF32(int i, float v) { listener.write(4 * i, 4); inner.setF32(i, v); }
    @Override public void setRawByte(int b, int v) { listener.write(b, 1); inner.setRawByte(b, v); }

    /** The wrapped view's bytes: a kernel that skips work on aliased operands skips it under tracing too. */
    @Override protected View storage() { return inner; }
}
