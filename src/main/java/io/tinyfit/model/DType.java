package io.tinyfit.model;

/** Element types, numbered as the TFLite schema's {@code TensorType}. */
public enum DType {
    FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 1), BOOL(6, 1),
    INT16(7, 2), COMPLEX64(8, 8), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 16), UINT64(12, 8),
    RESOURCE(13, 0), VARIANT(14, 0), UINT32(15, 4), UINT16(16, 2), INT4(17, 1);

    private final int code;
    private final int bytes;

    DType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The schema's numeric code. */
    public int code() { return code; }

    /** Bytes per element (INT4 is stored one element per byte unless packed; STRING is variable). */
    public int bytes() { return bytes; }

    public boolean isFloat() { return this == FLOAT32 || this == FLOAT16 || this == FLOAT64; }

    public static DType ofCode(int code) {
        for (DType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown tensor type code " + code);
    }

    /** Lower-case name as used in JSON and golden meta files (int8, float32...). */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
