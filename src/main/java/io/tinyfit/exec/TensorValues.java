package io.tinyfit.exec;

import io.tinyfit.model.DType;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor's bytes as numbers for people: the stored values, and the real values an affine-quantised integer
 * tensor stands for, {@code scale * (q - zero_point)} (per channel along the quantised dimension when it has one
 * scale per channel).
 */
public final class TensorValues {
    private TensorValues() {}

    /** An integer tensor with a scale: its values stand for real numbers. */
    public static boolean isQuantized(Tensor t) {
        return !t.dtype().isFloat() && t.dtype() != DType.BOOL && t.quant().hasScale() && t.quant().scale() > 0;
    }

    /** The stored values, element by element in row-major order. */
    public static double[] stored(Tensor t, byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.shape().numElements();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t.dtype()) {
                case INT8 -> bb.get(i);
                case UINT8, BOOL -> bb.get(i) & 0xFF;
                case INT16 -> bb.getShort(2 * i);
                case UINT16 -> bb.getShort(2 * i) & 0xFFFF;
                case INT32 -> bb.getInt(4 * i);
                case UINT32 -> bb.getInt(4 * i) & 0xFFFFFFFFL;
                case INT64 -> bb.getLong(8 * i);
                case FLOAT32 -> bb.getFloat(4 * i);
                case FLOAT64 -> bb.getDouble(8 * i);
                default -> throw new ExecutionException(t.label() + ": " + t.dtype().label() + " values cannot be shown as numbers");
            };
        }
        return v;
    }

    /** The real values: dequantised when {@link #isQuantized}, else the stored ones. */
    public static double[] real(Tensor t, byte[] bytes) {
        double[] v = stored(t, bytes);
        if (!isQuantized(t)) return v;
        Quantization q = t.quant();
        int[] dims = t.shape().toArray();
        int axis = q.quantizedDimension();
        // elements between two steps of the quantised dimension, for per-channel parameters
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) inner *= dims[d];
        for (int i = 0; i < v.length; i++) {
            int c = q.isPerChannel() ? (int) ((i / inner) % dims[axis]) : 0;
            v[i] = (double) q.scale(c) * (v[i] - q.zeroPoint(c));
        }
        return v;
    }
}
