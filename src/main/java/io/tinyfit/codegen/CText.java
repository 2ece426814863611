package io.tinyfit.codegen;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * C literals as the generator writes them. Large byte tables become string literals of {@code \xNN} escapes in
 * rows, which gcc parses far faster than one number per element; integer tables become rows of numbers.
 */
final class CText {
    private static final int BYTES_PER_ROW = 32;
    private static final int INTS_PER_ROW = 12;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CText() {}

    /** {@code {a, b, c}}. */
    static String braces(int... values) {
        return "{" + Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + "}";
    }

    /** A string literal of exactly these bytes, in rows (C drops the terminating NUL when the array size is given). */
    static String byteString(byte[] data, String indent) {
        StringBuilder sb = new StringBuilder(data.length * 4 + data.length / BYTES_PER_ROW * (indent.length() + 4) + 8);
        for (int i = 0; i < data.length; i += BYTES_PER_ROW) {
            sb.append('\n').append(indent).append('"');
            for (int k = i; k < Math.min(data.length, i + BYTES_PER_ROW); k++) {
                sb.append("\\x").append(HEX[(data[k] >> 4) & 0xF]).append(HEX[data[k] & 0xF]);
            }
            sb.append('"');
        }
        return data.length == 0 ? "\"\"" : sb.toString();
    }

    /** Integers in rows, for an initializer between braces. */
    static String rows(long[] values, String indent) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i % INTS_PER_ROW == 0 ? "\n" + indent : " ").append(literal(values[i])).append(i + 1 < values.length ? "," : "");
        }
        return sb.toString();
    }

    static String rows(int[] values, String indent) {
        return rows(Arrays.stream(values).asLongStream().toArray(), indent);
    }

    /** An integer literal of its exact value; the most negative values are spelled so that no literal overflows. */
    static String literal(long v) {
        if (v == Long.MIN_VALUE) return "INT64_MIN";
        if (v == Integer.MIN_VALUE) return "INT32_MIN";
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) return "INT64_C(" + v + ")";
        return Long.toString(v);
    }

    /** A float by its exact bits, so that no decimal rounding can change it. */
    static String floatBits(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) throw new IllegalArgumentException("not a finite float: " + f);
        return Float.toHexString(f).replace("0x1.0p", "0x1p") + "f";
    }

    /** Text safe inside a C block comment. */
    static String comment(String s) {
        return s.replace("*/", "* /").replace("\n", " ");
    }
}
