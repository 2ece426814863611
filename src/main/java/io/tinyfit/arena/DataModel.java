package io.tinyfit.arena;

/**
 * The C data model TFLM is compiled for: pointer (and {@code size_t}) width and the alignment of 8-byte scalars
 * ({@code int64_t}, {@code double}) inside structs. The 32-bit model is that of the reference measurements (an
 * i386 {@code -m32} build, where 8-byte scalars align to 4); ARM's AAPCS aligns them to 8, which changes only the
 * few kernel structs that hold one (ArithmeticParams, DequantizationParams, QuantizationParams).
 */
public record DataModel(int pointerBytes, int int64Align) {
    public static final DataModel ILP32 = new DataModel(4, 4);
    public static final DataModel LP64 = new DataModel(8, 8);

    public DataModel {
        if (pointerBytes != 4 && pointerBytes != 8) throw new IllegalArgumentException("pointer width must be 4 or 8 bytes, got " + pointerBytes);
    }

    /** The data model of a pointer width: 4 (a 32-bit microcontroller build) or 8 (a 64-bit host build). */
    public static DataModel of(int pointerBytes) {
        if (pointerBytes == 4) return ILP32;
        if (pointerBytes == 8) return LP64;
        throw new IllegalArgumentException("--pointer-bytes must be 4 or 8, got " + pointerBytes);
    }

    CType i8() { return new CType(1, 1); }
    CType i16() { return new CType(2, 2); }
    /** {@code int}, {@code int32_t}, {@code float} and every C enum TFLM uses. */
    CType i32() { return new CType(4, 4); }
    /** {@code int64_t} or {@code double}. */
    CType i64() { return new CType(8, int64Align); }
    /** A pointer, {@code size_t} or {@code intptr_t}. */
    CType ptr() { return new CType(pointerBytes, pointerBytes); }
}
