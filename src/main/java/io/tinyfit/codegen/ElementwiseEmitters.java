package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.kernels.QuantizedMath;
import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * ADD, MUL, LEAKY_RELU, QUANTIZE (float32 or int8 to int8) and DEQUANTIZE (int8 to float32). Operands are viewed in
 * the output's 4-D coordinates; a broadcast operand gets stride 0 along the dimensions it is broadcast over, which
 * reads it exactly where TFLM's broadcast loops do.
 */
final class ElementwiseEmitters {
    private ElementwiseEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("ADD", ElementwiseEmitters::add);
        emitters.put("MUL", ElementwiseEmitters::mul);
        emitters.put("LEAKY_RELU", ElementwiseEmitters::leakyRelu);
        emitters.put("QUANTIZE", ElementwiseEmitters::quantize);
        emitters.put("DEQUANTIZE", ElementwiseEmitters::dequantize);
    }

    private static void add(StepWriter w) {
        Tensor a = w.input(0), b = w.input(1), out = w.output(0);
        requireInt8(w, a, b, out);
        KernelParameters.AddScales m = KernelParameters.add(DType.INT8, a.quant().scale(), b.quant().scale(), out.quant().scale());
        String p = w.params("tf_add_params", new StepWriter.Fields().put("left_shift", m.leftShift())
                .put("input1_offset", -a.quant().zeroPoint()).put("input2_offset", -b.quant().zeroPoint()).put("output_offset", out.quant().zeroPoint())
                .put("input1_multiplier", m.multiplier1()).put("input1_shift", m.shift1()).put("input2_multiplier", m.multiplier2())
                .put("input2_shift", m.shift2()).put("output_multiplier", m.outputMultiplier()).put("output_shift", m.outputShift())
                .put("act_min", activation(w, out)[0]).put("act_max", activation(w, out)[1]));
        binary(w, "tf_add_s8", p, a, b, out);
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
        int[] m = KernelParameters.requantize(in.quant().scale(), out.quant().scale());
        String p = w.params("tf_requantize_params", new StepWriter.Fields().put("input_zero_point", in.quant().zeroPoint())
                .put("output_zero_point", out.quant().zeroPoint()).put("multiplier", m[0]).put("shift", m[1]));
        unary(w, "tf_requantize_s8", p, in, out);
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

    private static void binary(StepWriter w, String kernel, String params, Tensor a, Tensor b, Tensor out) {
        int[] dims;
        String va, vb;
        if (a.shape().equals(out.shape()) && b.shape().equals(out.shape()) && out.shape().rank() > 4) {
            dims = new int[] {1, 1, 1, (int) out.shape().numElements()};
            va = w.view(a.id(), dims);
            vb = w.view(b.id(), dims);
        } else {
            dims = w.dims4(out);
            va = broadcastView(w, a, dims);
            vb = broadcastView(w, b, dims);
        }
        w.call(kernel, "&" + params, "&" + va, "&" + vb, "&" + w.view(out.id(), dims), "&" + w.region(dims));
    }

    /** Operand t in the output's coordinates: stride 0 where t has extent 1 and the output does not. */
    private static String broadcastView(StepWriter w, Tensor t, int[] outDims) {
        int[] own = w.dims4(t);
        int[] strides = StepWriter.rowMajor(own);
        for (int d = 0; d < 4; d++) {
            if (own[d] == outDims[d]) continue;
            if (own[d] != 1) throw w.refuse("operand " + t.label() + " of shape " + t.shape() + " does not broadcast to " + Arrays.toString(outDims));
            strides[d] = 0;
        }
        return w.view(t.id(), own, outDims, strides);
    }
}
