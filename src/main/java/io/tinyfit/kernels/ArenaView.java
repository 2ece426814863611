package io.tinyfit.kernels;

import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A view onto a byte array (the arena, a persistent area, a tile buffer): storage element 0, the element at the
 * region's lo, starts at byte {@code base}.
 */
public class ArenaView extends View {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    protected final byte[] mem;
    protected final int base;

    /** The region of the tensor stored at {@code base} with element strides {@code strides}. */
    public ArenaView(byte[] mem, int base, Tensor tensor, Region region, int[] strides) {
        super(tensor, region, strides);
        this.mem = mem;
        this.base = base;
        checkInside();
    }

    /** The region of the tensor stored densely (row-major over the region) at {@code base}: a tile buffer. */
    public ArenaView(byte[] mem, int base, Tensor tensor, Region region) { this(mem, base, tensor, region, rowMajor(region.extents())); }

    /** The whole tensor, dense, at {@code base}. */
    public ArenaView(byte[] mem, int base, Tensor tensor) {
        super(tensor);
        this.mem = mem;
        this.base = base;
        checkInside();
    }

    private void checkInside() {
        long end = (long) base + (long) storageElements() * dtype().bytes();
        if (base < 0 || end > mem.length) {
            throw new IllegalArgumentException("view of " + tensor().label() + " [" + base + ", " + end + ") outside arena of " + mem.length + " bytes");
        }
    }

    /** Byte offset of this view in its array. */
    public int base() { return base; }

    @Override public int i8(int i) { return mem[base + i]; }
    @Override public int u8(int i) { return mem[base + i] & 0xFF; }
    @Override public int i16(int i) { return (short) I16.get(mem, base + 2 * i); }
    @Override public int i32(int i) { return (int) I32.get(mem, base + 4 * i); }
    @Override public long i64(int i) { return (long) I64.get(mem, base + 8 * i); }
    @Override public float f32(int i) { return (float) F32.get(mem, base + 4 * i); }

    @Override public void setI8(int i, int v) { mem[base + i] = (byte) v; }
    @Override public void setI16(int i, int v) { I16.set(mem, base + 2 * i, (short) v); }
    @Override public void setI32(int i, int v) { I32.set(mem, base + 4 * i, v); }
    @Override public void setI64(int i, long v) { I64.set(mem, base + 8 * i, v); }
    @Override public void setF32(int i, float v) { F32.set(mem, base + 4 * i, v); }

    @Override public int rawByte(int b) { return mem[base + b] & 0xFF; }
    @Override public void setRawByte(int b, int v) { mem[base + b] = (byte) v; }

    @Override protected boolean sameStorageAs(View other) {
        return other instanceof ArenaView a && a.mem == mem && a.base == base;
    }

    @Override public byte[] toByteArray() {
        if (!isContiguous()) return super.toByteArray();
        return Arrays.copyOfRange(mem, base, base + byteSize());
    }

    @Override public void copyBytes(int dstByte, View src, int srcByte, int count) {
        if (src instanceof ArenaView a && a.getClass() == ArenaView.class && getClass() == ArenaView.class) {
            System.arraycopy(a.mem, a.base + srcByte, mem, base + dstByte, count); // memmove semantics, like TFLM's memcpy on distinct buffers
        } else {
            super.copyBytes(dstByte, src, srcByte, count);
        }
    }
}
