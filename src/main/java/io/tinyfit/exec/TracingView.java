package io.tinyfit.exec;

import io.tinyfit.kernels.ArenaView;
import io.tinyfit.model.Tensor;

/**
 * An arena view that reports every element read and write to a listener before performing it. Kernels reach
 * memory only through views, so wrapping a tensor's view records its complete access stream in program order:
 * what the trace method of the diagonal memory optimisation (DMO) measures.
 */
public final class TracingView extends ArenaView {
    private final AccessListener listener;

    public TracingView(byte[] mem, int base, Tensor tensor, AccessListener listener) {
        super(mem, base, tensor);
        this.listener = listener;
    }

    @Override public int i8(int i) { listener.read(i, 1); return super.i8(i); }
    @Override public int u8(int i) { listener.read(i, 1); return super.u8(i); }
    @Override public int i16(int i) { listener.read(2 * i, 2); return super.i16(i); }
    @Override public int i32(int i) { listener.read(4 * i, 4); return super.i32(i); }
    @Override public long i64(int i) { listener.read(8 * i, 8); return super.i64(i); }
    @Override public float f32(int i) { listener.read(4 * i, 4); return super.f32(i); }
    @Override public int rawByte(int b) { listener.read(b, 1); return super.rawByte(b); }

    @Override public void setI8(int i, int v) { listener.write(i, 1); super.setI8(i, v); }
    @Override public void setI16(int i, int v) { listener.write(2 * i, 2); super.setI16(i, v); }
    @Override public void setI32(int i, int v) { listener.write(4 * i, 4); super.setI32(i, v); }
    @Override public void setI64(int i, long v) { listener.write(8 * i, 8); super.setI64(i, v); }
    @Override public void setF32(int i, float v) { listener.write(4 * i, 4); super.setF32(i, v); }
    @Override public void setRawByte(int b, int v) { listener.write(b, 1); super.setRawByte(b, v); }
}
