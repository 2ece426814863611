package io.tinyfit.model;

import java.util.Locale;

/**
 * The load-time checks of one tensor on its own: its shape, its size in bytes (computed in {@code long}, exactly,
 * and bounded), its constant data, and its quantisation parameters. Part of {@link GraphValidator}.
 */
final class TensorValidator {
    private final String source;
    private final Limits limits;

    TensorValidator(String source, Limits limits) {
        this.source = source;
        this.limits = limits;
    }

    /** The tensor's size in bytes; throws {@link ModelFormatException} naming the tensor and the rule it breaks. */
    long check(Tensor t, String where) {
        long bytes = checkShape(t, where);
        checkData(t, bytes, where);
        checkQuantization(t, where);
        return bytes;
    }

    private long checkShape(Tensor t, String where) {
        Shape s = t.shape();
        long elements = 1;
        for (int i = 0; i < s.rank(); i++) {
            int d = s.dim(i);
            if (d < 0) throw fail(where + " has shape " + s + ": dimension " + i + " is " + d + " (shapes must be static and non-negative)");
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw fail(where + " has shape " + s + ", whose element count overflows 64 bits");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, (long) t.dtype().bytes());
        } catch (ArithmeticException e) {
            throw fail(where + " has shape " + s + " " + t.dtype().label() + ", whose byte size overflows 64 bits");
        }
        if (!t.isConstant() && bytes > limits.maxArenaBytes()) {
            throw fail(where + " (" + t.dtype().label() + " " + s + ") needs " + String.format(Locale.ROOT, "%,d", bytes) + " bytes, above " + limits.describe());
        }
        return bytes;
    }

    /**
     * Constant data must cover the tensor: kernels index it by the shape. A variable tensor has none: TFLM gives
     * variables fresh persistent memory and resets it to zeros, so data in the file would silently be dropped.
     */
    private void checkData(Tensor t, long bytes, String where) {
        if (t.variable() && t.isConstant()) throw fail(where + " is variable but has constant data (TFLM would reset it to zeros)");
        if (!t.isConstant() || t.dtype() == DType.STRING) return;
        long needed = t.dtype() == DType.INT4 ? (t.shape().numElements() + 1) / 2 : bytes;
        if (t.data().length() < needed) {
            throw fail(where + " (" + t.dtype().label() + " " + t.shape() + ") needs " + needed + " bytes of data but its buffer " + t.buffer() + " holds " + t.data().length());
        }
    }

    /**
     * Consistent arrays (as many zero points as scales, min and max alike, one entry per channel of the quantised
     * dimension), scales that are positive and finite (a zero or NaN scale makes every requantisation multiplier
     * meaningless; on a float tensor it is at least a corrupt file), and zero points the integer type can hold.
     */
    private void checkQuantization(Tensor t, String where) {
        Quantization q = t.quantization();
        if (q == null) return;
        float[] scales = q.scales();
        long[] zeroPoints = q.zeroPoints();
        if (scales.length != zeroPoints.length) {
            throw fail(where + " has " + scales.length + " quantisation scales but " + zeroPoints.length + " zero points");
        }
        if (q.min().length != q.max().length) {
            throw fail(where + " has " + q.min().length + " quantisation minima but " + q.max().length + " maxima");
        }
        if (scales.length > 1) checkChannels(t, q, where);
        for (int c = 0; c < scales.length; c++) {
            if (!(scales[c] > 0) || Float.isInfinite(scales[c])) {
                throw fail(where + " has quantisation scale " + scales[c] + (scales.length > 1 ? " for channel " + c : "") + " (a scale must be positive and finite)");
            }
        }
        long[] range = zeroPointRange(t.dtype());
        if (range == null) return;
        for (int c = 0; c < zeroPoints.length; c++) {
            if (zeroPoints[c] < range[0] || zeroPoints[c] > range[1]) {
                throw fail(where + " has zero point " + zeroPoints[c] + (zeroPoints.length > 1 ? " for channel " + c : "") + ", outside the " + t.dtype().label() + " range [" + range[0] + ", " + range[1] + "]");
            }
        }
    }

    /**
     * Per-channel arrays hold one entry per index of the quantised dimension. A 1-D bias may keep its filter's
     * quantised dimension (3 for a depthwise filter, as TFLM's own person_detect does); then it has one entry per
     * element.
     */
    private void checkChannels(Tensor t, Quantization q, String where) {
        int dim = q.quantizedDimension();
        Shape s = t.shape();
        if (dim < 0) throw fail(where + " is quantised along dimension " + dim);
        long channels = dim < s.rank() ? s.dim(dim) : s.numElements();
        if (q.channels() != channels) {
            throw fail(where + " " + s + " has " + q.channels() + " per-channel scales for " + channels + " channels along dimension " + dim);
        }
    }

    private static long[] zeroPointRange(DType t) {
        return switch (t) {
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case UINT8 -> new long[] {0, 255};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case INT4 -> new long[] {-8, 7};
            // int32 and int64 tensors are biases (or plain integers): the quantisation spec fixes their zero point at 0
            case INT32, INT64 -> new long[] {0, 0};
            default -> null;
        };
    }

    private ModelFormatException fail(String msg) { return new ModelFormatException(source + ": " + msg); }
}
