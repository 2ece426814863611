package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Map;

/**
 * Registers the elementwise kernel family: ADD, SUB, MUL, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, RELU, RELU6,
 * LEAKY_RELU, PRELU, HARD_SWISH, LOGISTIC, TANH, QUANTIZE, DEQUANTIZE. None of these TFLM kernels requests a
 * scratch buffer in Prepare (their per-op data is persistent), so none overrides {@link Kernel#scratchBytes}.
 * Also holds the few C-semantics helpers the family shares.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static void register(Map<String, Kernel> kernels) {
        kernels.put("ADD", new AddKernel());
        kernels.put("SUB", new SubKernel());
        kernels.put("MUL", new MulKernel());
        kernels.put("MAXIMUM", new MaximumMinimumKernel(true));
        kernels.put("MINIMUM", new MaximumMinimumKernel(false));
        kernels.put("SQUARED_DIFFERENCE", new SquaredDifferenceKernel());
        kernels.put("RELU", new ReluKernel());
        kernels.put("RELU6", new Relu6Kernel());
        kernels.put("LEAKY_RELU", new LeakyReluKernel());
        kernels.put("PRELU", new PreluKernel());
        kernels.put("HARD_SWISH", new HardSwishKernel());
        kernels.put("LOGISTIC", new LogisticKernel());
        kernels.put("TANH", new TanhKernel());
        kernels.put("QUANTIZE", new QuantizeKernel());
        kernels.put("DEQUANTIZE", new DequantizeKernel());
    }

    /**
     * The Prepare of the one-input elementwise kinds: one input and one output of the same shape and dtype, the
     * dtype one the kernel handles. Returns the dtype.
     */
    static DType prepareUnary(Preparation p, DType... types) {
        p.oneToOne();
        Tensor in = p.input(0), out = p.output(0);
        p.dtype(in, "input", types);
        p.sameType(in, "input", out, "output");
        return in.dtype();
    }

    /** The fused activation of a binary op's options (absent options mean none). */
    static int activation(OpContext ctx) {
        return ctx.op().options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
    }

    /** {@code CalculateActivationRange<int32_t>}, as SUB and MUL apply it to int32 outputs. */
    static int[] int32ActivationRange(int activation) {
        return switch (activation) {
            case QuantizedMath.ACT_RELU -> new int[] {0, Integer.MAX_VALUE};
            case QuantizedMath.ACT_RELU6 -> new int[] {0, 6};
            case QuantizedMath.ACT_RELU_N1_TO_1 -> new int[] {-1, 1};
            default -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        };
    }

    /**
     * {@code static_cast<int32_t>} of a float on x86-64 (cvttss2si): truncation toward zero, and the "integer
     * indefinite" value INT32_MIN for NaN and out-of-range values, where Java's cast would saturate.
     */
    static int castToInt32(float f) {
        if (f != f || f >= 2147483648f || f < -2147483648f) return Integer.MIN_VALUE;
        return (int) f;
    }

    /** The same conversion from a double (cvttsd2si). */
    static int castToInt32(double d) {
        if (d != d || d >= 2147483648.0 || d <= -2147483649.0) return Integer.MIN_VALUE;
        return (int) d;
    }

    /** Reads element i of a quantized integer view as its signed value (uint8 zero-extended). */
    static int readInt(View v, DType t, int i) {
        return switch (t) {
            case INT8 -> v.i8(i);
            case UINT8 -> v.u8(i);
            case INT16 -> v.i16(i);
            case INT32 -> v.i32(i);
            default -> throw new IllegalStateException("not an integer type: " + t);
        };
    }

    /** Writes element i of an integer view; the value is already within the type's range. */
    static void writeInt(View v, DType t, int i, int value) {
        switch (t) {
            case INT8, UINT8 -> v.setI8(i, value);
            case INT16 -> v.setI16(i, value);
            case INT32 -> v.setI32(i, value);
            default -> throw new IllegalStateException("not an integer type: " + t);
        }
    }
}
