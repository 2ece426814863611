package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.kernels.QuantizedMath;
import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ADD, SUB, MUL, MAXIMUM, MINIMUM, LEAKY_RELU, RELU, RELU6, QUANTIZE (float32 or int8 to int8) and DEQUANTIZE (int8
 * to float32); int8 except the selections MAXIMUM and MINIMUM, which take any integer or float32. Operands are viewed in
 * the output's 4-D coordinates; a broadcast operand gets stride 0 along the dimensions it is broadcast over, which
 * reads it exactly where TFLM's broadcast loops do.
 */
final class ElementwiseEmitters {
    private ElementwiseEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("ADD", w -> addOrSub(w, "tf_add_s8"));
        emitters.put("SUB", w -> addOrSub(w, "tf_sub_s8"));
        emitters.put("MUL", ElementwiseEmitters::mul);
        emitters.put("MAXIMUM", w -> select(w, true));
        emitters.put("MINIMUM", w -> select(w, false));
        emitters.put("RELU", ElementwiseEmitters::relu);
        emitters.put("RELU6", ElementwiseEmitters::relu6);
        emitters.put("LEAKY_RELU", ElementwiseEmitters::leakyRelu);
        emitters.put("QUANTIZE", ElementwiseEmitters::quantize);
        emitters.put("DEQUANTIZE", ElementwiseEmitters::dequantize);
    }

    private static void addOrSub(StepWriter w, String kernel) {
        Tensor a = w.input(0), b = w.input(1), out = w.output(0);
        requireInt8(w, a, b, out);
        KernelParameters.AddScales m = kernel.equals("tf_add_s8")
                ? KernelParameters.add(DType.INT8, a.quant().scale(), b.quant().scale(), out.quant().scale())
                : KernelParameters.sub(DType.INT8, a.quant().scale(), b.quant().scale(), out.quant().scale());
        String p = w.params("tf_add_params", new StepWriter.Fields().put("left_shift", m.leftShift())
                .put("input1_offset", -a.quant().zeroPoint()).put("input2_offset", -b.quant().zeroPoint()).put("output_offset", out.quant().zeroPoint())
                .put("input1_multiplier", m.multiplier1()).put("input1_shift", m.shift1()).put("input2_multiplier", m.multiplier2())
                .put("input2_shift", m.shift2()).put("output_multiplier", m.outputMultiplier()).put("output_shift", m.outputShift())
                .put("act_min", activation(w, out)[0]).put("act_max", activation(w, out)[1]));
        binary(w, kernel, p, a, b, out);
    }

    /** MAXIMUM and MINIMUM select, never requantise: any element type the C kernel knows. */
    private static void select(StepWriter w, boolean maximum) {
        Tensor a = w.input(0), b = w.input(1), out = w.output(0);
        for (Tensor t : List.of(a, b)) if (t.dtype() != out.dtype()) throw w.refuse("operand " + t.label() + " of type " + t.dtype().label() + " differs from the output's");
        String type = switch (out.dtype()) {
            case INT8 -> "TF_INT8";
            case INT16 -> "TF_INT16";
            case INT32 -> "TF_INT32";
            case FLOAT32 -> "TF_FLOAT32";
            default -> throw w.refuse("output " + out.label() + " of type " + out.dtype().label());
        };
        String p = w.params("tf_select_params", new StepWriter.Fields().raw("element_type", type).put("maximum", maximum ? 1 : 0));
        binary(w, "tf_maximum_minimum", p, a, b, out);
    }

    /** RELU: requantised, then clamped from the output zero point. */
    private static void relu(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        requireInt8(w, in, out);
        requantize(w, in, out, KernelParameters.requantize(in.quant().scale(), out.quant().scale()), in.quant().zeroPoint(),
                out.quant().zeroPoint(), KernelParameters.reluRange(DType.INT8, out.quant().zeroPoint()));
    }

    /** RELU6 does not requantise (TFLM ignores the output's parameters): the identity multiplier, then the clamp. */
    private static void relu6(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        requireInt8(w, in, out);
        requantize(w, in, out, IDENTITY, 0, 0, KernelParameters.relu6Range(DType.INT8, in.quant().scale(), in.quant().zeroPoint()));
    }

    /** 2^30 with a left shift of 1: MultiplyByQuantizedMultiplier returns every int8 value unchanged. */
    private static final int[] IDENTITY = {1 << 30, 1};

    private static void requantize(StepWriter w, Tensor in, Tensor out, int[] m, int inZp, int outZp, int[] range) {
        String p = w.params("tf_requantize_params", new StepWriter.Fields().put("input_zero_point", inZp).put("output_zero_point", outZp)
                .put("multiplier", m[0]).put("shift", m[1]).put("act_min", range[0]).put("act_max", range[1]));
        unary(w, "tf_requantize_s8", p, in, out);
    }

    private static void mul(StepWriter w) {
        Tensor a = w.input(0), b = w.input(1), out = w.output(0);
        requireInt8(w, a, b, out);
        int[] m = KernelParameters.mul(a.quant().scale(), b.quant().scale(), out.quant().scale());
        String p = w.params("tf_mul_params", new StepWriter.Fields().put("input1_offset", -a.quant().zeroPoint())
                .put("input2_offset", -b.quant().zeroPoint()).put("output_offset", out.quant().zeroPoint())
                .put("output_multiplier", m[0]).put("output_shift", m[1]).put("act_min", activation(w, out)[0]).put("act_max", activation(w, out)[1]));
        binary(w, "tf_mul_s8", p, a, b, out);
    }

    private static void leakyRelu(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        requireInt8(w, in, out);
        int[][] m = KernelParameters.leakyRelu(in.quant().scale(), w.op().options().getFloat("alpha"), out.quant().scale());
        String p = w.params("tf_leaky_relu_params", new StepWriter.Fields().put("input_zero_point", in.quant().zeroPoint())
                .put("output_zero_point", out.quant().zeroPoint()).put("identity_multiplier", m[1][0]).put("identity_shift", m[1][1])
                .put("alpha_multiplier", m[0][0]).put("alpha_shift", m[0][1]));
        unary(w, "tf_leaky_relu_s8", p, in, out);
    }

    private static void quantize(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        w.requireType(out, "output", DType.INT8);
        if (out.quant().isPerChannel()) throw w.refuse("per-channel quantized output");
        if (in.dtype() == DType.FLOAT32) {
            String p = w.params("tf_quantize_params", new StepWriter.Fields().putFloat("scale", out.quant().scale())
                    .put("zero_point", out.quant().zeroPoint()));
            unary(w, "tf_quantize_f32_s8", p, in, out);
            return;
        }
        w.requireType(in, "input", DType.INT8);
        requantize(w, in, out, KernelParameters.requantize(in.quant().scale(), out.quant().scale()), in.quant().zeroPoint(),
                out.quant().zeroPoint(), new int[] {-128, 127});
    }

    private static void dequantize(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        w.requireType(in, "input", DType.INT8);
        w.requireType(out, "output", DType.FLOAT32);
        if (in.quant().isPerChannel()) throw w.refuse("per-channel quantized input");
        String p = w.params("tf_quantize_params", new StepWriter.Fields().putFloat("scale", in.quant().scale())
                .put("zero_point", in.quant().zeroPoint()));
        unary(w, "tf_dequantize_s8_f32", p, in, out);
    }

    private static void requireInt8(StepWriter w, Tensor... tensors) {
        for (Tensor t : tensors) w.requireType(t, "operand", DType.INT8);
    }

    private static int[] activation(StepWriter w, Tensor out) {
        int act = w.op().options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
        return QuantizedMath.activationRange(act, DType.INT8, out.quant().scale(), out.quant().zeroPoint());
    }

    /** One element in, one out, over the output's 4-D shape (a flat run when the rank is higher). */
    private static void unary(StepWriter w, String kernel, String params, Tensor in, Tensor out) {
        if (in.shape().numElements() != out.shape().numElements()) throw w.refuse("input and output sizes differ");
        int[] dims = out.shape().rank() <= 4 ? out.shape().extended(4) : new int[] {1, 1, 1, (int) out.shape().numElements()};
        w.call(kernel, "&" + params, "&" + w.view(in.id(), dims), "&" + w.view(out.id(), dims), "&" + w.region(dims));
    }

    /**
     * Both operands in the output's coordinates. Ranks above 4 are folded into 4-D first: neighbouring dimensions
     * merge when each operand is broadcast along both or along neither (and output extents of 1 drop), which keeps
     * every element's address and the raster order, as TFLM's own broadcast helpers compress shapes.
     */
    private static void binary(StepWriter w, String kernel, String params, Tensor a, Tensor b, Tensor out) {
        if (!w.isWhole()) {
            tiledBinary(w, kernel, params, a, b, out);
            return;
        }
        int[] outDims = out.shape().toArray();
        int[] da = extend(a.shape().toArray(), outDims.length), db = extend(b.shape().toArray(), outDims.length);
        for (int d = 0; d < outDims.length; d++) {
            if ((da[d] != outDims[d] && da[d] != 1) || (db[d] != outDims[d] && db[d] != 1)) {
                throw w.refuse("operands " + a.shape() + " and " + b.shape() + " do not broadcast to " + out.shape());
            }
        }
        List<int[]> folded = new ArrayList<>(); // {out extent, a extent, b extent}
        for (int d = 0; d < outDims.length; d++) {
            if (outDims[d] == 1) continue;
            int[] last = folded.isEmpty() ? null : folded.get(folded.size() - 1);
            if (last != null && (last[1] == 1) == (da[d] == 1) && (last[2] == 1) == (db[d] == 1)) {
                last[0] *= outDims[d];
                last[1] *= da[d];
                last[2] *= db[d];
            } else {
                folded.add(new int[] {outDims[d], da[d], db[d]});
            }
        }
        // beyond 4 independent dimensions, the outer ones become separate calls over 4-D slices, in raster order
        int outerRank = Math.max(0, folded.size() - 4);
        int[][] dims = new int[3][4];
        for (int[] row : dims) Arrays.fill(row, 1);
        for (int k = outerRank; k < folded.size(); k++) for (int i = 0; i < 3; i++) dims[i][4 - folded.size() + k] = folded.get(k)[i];
        long[][] sliceStride = new long[3][outerRank];
        for (int i = 0; i < 3; i++) {
            long s = StepWriter.product(dims[i]);
            for (int k = outerRank - 1; k >= 0; k--) {
                sliceStride[i][k] = folded.get(k)[i] == 1 ? 0 : s;
                s *= folded.get(k)[i];
            }
        }
        int[] index = new int[outerRank];
        String region = w.region(dims[0]);
        do {
            long[] at = new long[3];
            for (int i = 0; i < 3; i++) for (int k = 0; k < outerRank; k++) at[i] += index[k] * sliceStride[i][k];
            w.call(kernel, "&" + params, "&" + broadcastView(w, a, dims[1], dims[0], at[1]), "&" + broadcastView(w, b, dims[2], dims[0], at[2]),
                    "&" + w.view(out.id(), dims[0], View.rowMajor(dims[0]), at[0]), "&" + region);
        } while (next(index, folded));
    }

    /**
     * A step over a region or over tile buffers: both operands in the output's 4-D coordinates, each viewed over what
     * its buffer holds, stride 0 (and the output's extent) along the dimensions it is broadcast over.
     */
    private static void tiledBinary(StepWriter w, String kernel, String params, Tensor a, Tensor b, Tensor out) {
        int[] outDims = w.dims4(out);
        for (Tensor t : List.of(a, b)) {
            int[] own = w.dims4(t);
            for (int d = 0; d < 4; d++) {
                if (own[d] != outDims[d] && own[d] != 1) throw w.refuse("operands " + a.shape() + " and " + b.shape() + " do not broadcast to " + out.shape());
            }
        }
        w.call(kernel, "&" + params, "&" + tiledOperand(w, a, outDims), "&" + tiledOperand(w, b, outDims), "&" + w.view(out.id(), outDims),
                "&" + w.region(outDims));
    }

    private static String tiledOperand(StepWriter w, Tensor t, int[] outDims) {
        int[] own = w.dims4(t);
        int[][] held = w.heldBox(t.id(), own);
        if (held == null) return w.view(t.id(), own);
        int[] lo = held[0].clone(), hi = held[1].clone(), extents = new int[4];
        for (int d = 0; d < 4; d++) extents[d] = hi[d] - lo[d];
        int[] strides = View.rowMajor(extents);
        for (int d = 0; d < 4; d++) {
            if (own[d] != outDims[d]) {
                lo[d] = 0;
                hi[d] = outDims[d];
                strides[d] = 0;
            }
        }
        return w.view(t.id(), lo, hi, strides);
    }

    /** Advances an odometer over the outer folded dimensions; false when it wraps around. */
    private static boolean next(int[] index, List<int[]> folded) {
        for (int k = index.length - 1; k >= 0; k--) {
            if (++index[k] < folded.get(k)[0]) return true;
            index[k] = 0;
        }
        return false;
    }

    private static int[] extend(int[] dims, int rank) {
        int[] e = new int[rank];
        Arrays.fill(e, 1);
        System.arraycopy(dims, 0, e, rank - dims.length, dims.length);
        return e;
    }

    /** An operand of 4-D extents {@code own} in the output's coordinates: stride 0 where it is broadcast. */
    private static String broadcastView(StepWriter w, Tensor t, int[] own, int[] outDims, long elementOffset) {
        int[] strides = View.rowMajor(own);
        for (int d = 0; d < 4; d++) if (own[d] != outDims[d]) strides[d] = 0;
        return w.view(t.id(), outDims, strides, elementOffset);
    }
}
