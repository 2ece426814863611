package io.tinyfit.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Read-only little-endian bytes of a model buffer (weights, biases, shape operands). Kernels read constants
 * through it directly; constants are never copied into the arena.
 */
public final class ConstData {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** No bytes, and no {@code data} vector in the file. */
    public static final ConstData EMPTY = new ConstData(new byte[0], false);
    /** No bytes, but a zero-length {@code data} vector in the file (kept so that a written file matches). */
    public static final ConstData EMPTY_VECTOR = new ConstData(new byte[0], true);

    private final byte[] bytes;
    private final boolean emptyVector;

    private ConstData(byte[] bytes, boolean emptyVector) {
        this.bytes = bytes;
        this.emptyVector = emptyVector;
    }

    private ConstData(byte[] bytes) { this(bytes, false); }

    /** Wraps a copy of the given bytes. */
    public static ConstData copyOf(byte[] bytes) { return new ConstData(bytes.clone()); }

    /** Wraps bytes the caller promises never to modify again (avoids a copy of large weight buffers). */
    public static ConstData adopt(byte[] bytes) { return new ConstData(bytes); }

    public int length() { return bytes.length; }
    public boolean isEmpty() { return bytes.length == 0; }

    /** Whether the file's buffer table has a {@code data} vector for these bytes (absent only when empty). */
    public boolean hasVector() { return bytes.length > 0 || emptyVector; }

    public byte i8(int byteIndex) { return bytes[byteIndex]; }
    public int u8(int byteIndex) { return bytes[byteIndex] & 0xFF; }
    public short i16At(int byteOffset) { return (short) I16.get(bytes, byteOffset); }
    public int i32At(int byteOffset) { return (int) I32.get(bytes, byteOffset); }
    public long i64At(int byteOffset) { return (long) I64.get(bytes, byteOffset); }
    public float f32At(int byteOffset) { return (float) F32.get(bytes, byteOffset); }

    /** A read-only little-endian view of the bytes. */
    public ByteBuffer asByteBuffer() { return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN); }

    public byte[] toByteArray() { return bytes.clone(); }

    /** Int32 elements, e.g. for shape, axis or padding operands. */
    public int[] toIntArray() {
        int[] out = new int[bytes.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = i32At(4 * i);
        return out;
    }

    @Override public boolean equals(Object o) { return o instanceof ConstData c && Arrays.equals(bytes, c.bytes) && emptyVector == c.emptyVector; }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public String toString() { return "ConstData(" + bytes.length + " bytes)"; }
}
