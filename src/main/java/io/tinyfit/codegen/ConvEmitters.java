package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.kernels.QuantizedMath;
import io.tinyfit.model.DType;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.StepKind;

import java.util.Map;

/** CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED with int8 activations, int8 weights and an int32 bias or none. */
final class ConvEmitters {
    private ConvEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("CONV_2D", ConvEmitters::conv);
        emitters.put("DEPTHWISE_CONV_2D", ConvEmitters::depthwise);
        emitters.put("FULLY_CONNECTED", ConvEmitters::fullyConnected);
    }

    private static void conv(StepWriter w) {
        Operands o = Operands.of(w);
        int[] in = w.dims4(o.in), filter = w.dims4(o.filter), out = w.dims4(o.out);
        if (filter[3] == 0 || in[3] % filter[3] != 0) throw w.refuse("input depth " + in[3] + " is not a multiple of the filter depth " + filter[3]);
        int groups = in[3] / filter[3];
        window(w, o, "tf_conv_params", "tf_conv2d_s8", new StepWriter.Fields().put("filter_depth", filter[3]).put("filters_per_group", out[3] / groups));
    }

    private static void depthwise(StepWriter w) {
        Operands o = Operands.of(w);
        int[] in = w.dims4(o.in), out = w.dims4(o.out);
        if (in[3] == 0 || out[3] % in[3] != 0) throw w.refuse("output depth " + out[3] + " is not a multiple of input depth " + in[3]);
        window(w, o, "tf_depthwise_params", "tf_depthwise_conv2d_s8", new StepWriter.Fields().put("depth_multiplier", out[3] / in[3]).put("out_depth", out[3]));
    }

    /** The fields CONV_2D and DEPTHWISE_CONV_2D share (geometry, quantisation, weights) after their own, then the call. */
    private static void window(StepWriter w, Operands o, String type, String kernel, StepWriter.Fields own) {
        int[] in = w.dims4(o.in), filter = w.dims4(o.filter), out = w.dims4(o.out);
        KernelParameters.Window win = KernelParameters.convWindow(w.graph(), w.op());
        StepWriter.Fields f = own.put("in_h", in[1]).put("in_w", in[2]).put("filter_h", filter[1]).put("filter_w", filter[2])
                .put("stride_h", win.strideH()).put("stride_w", win.strideW()).put("dilation_h", win.dilationH()).put("dilation_w", win.dilationW())
                .put("pad_h", win.padH()).put("pad_w", win.padW());
        o.quantization(w, f, win.activation(), out[3]);
        String p = w.params(type, f);
        if (w.kind() != StepKind.COMPUTE && !kernel.equals("tf_conv2d_s8")) throw w.refuse("no " + w.kind().label() + " step");
        call(w, kernel, p, o, in, out);
    }

    /**
     * The step's call: a compute over the output region, an accumulate of one input-channel slice into the int32
     * accumulator (the first slice into a region stores, later ones add, as in the Java interpreter), or the finish of
     * the accumulator into the output region. The kernel's accumulate and finish entry points end in _acc_s8 and _finish_s8.
     */
    private static void call(StepWriter w, String kernel, String p, Operands o, int[] inDims, int[] outDims) {
        String base = kernel.substring(0, kernel.length() - "_s8".length());
        switch (w.kind()) {
            case COMPUTE -> w.call(kernel, "&" + p, "&" + w.view(o.in.id(), inDims), "&" + w.view(o.out.id(), outDims), "&" + w.region(outDims));
            case ACCUMULATE -> {
                int[] ch = w.step().inChannels();
                w.call(base + "_acc_s8", "&" + p, "&" + w.view(o.in.id(), inDims), "&" + w.accumulatorView(outDims), "&" + w.region(outDims),
                        Integer.toString(ch[0]), Integer.toString(ch[1]), w.firstSlice() ? "1" : "0");
            }
            case FINISH -> w.call(base + "_finish_s8", "&" + p, "&" + w.accumulatorView(outDims), "&" + w.view(o.out.id(), outDims), "&" + w.region(outDims));
            default -> throw w.refuse("no " + w.kind().label() + " step");
        }
    }

    /** Rows are every output dimension but the last; input row b is elements [b * depth, (b + 1) * depth). */
    private static void fullyConnected(StepWriter w) {
        Operands o = Operands.of(w);
        int[] wd = o.filter.shape().toArray();
        int[] od = o.out.shape().toArray();
        if (wd.length < 2 || od.length < 1) throw w.refuse("weights of rank " + wd.length + " and output of rank " + od.length);
        int outDepth = od[od.length - 1];
        int depth = wd[wd.length - 1];
        int rows = outDepth == 0 ? 0 : (int) (o.out.shape().numElements() / outDepth);
        if ((long) rows * depth > o.in.shape().numElements()) throw w.refuse("input is too small for " + rows + " rows of " + depth);
        Quantization fq = KernelParameters.filterQuantization(o.filter);
        boolean perChannel = fq.isPerChannel();
        KernelParameters.Requantization rq = perChannel
                ? KernelParameters.perChannel(o.in.quant().scale(), fq, o.out.quant().scale(), fq.channels())
                : KernelParameters.perTensor(o.in.quant().scale(), fq.scale(), o.out.quant().scale());
        int activation = w.op().options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
        int[] act = QuantizedMath.activationRange(activation, DType.INT8, o.out.quant().scale(), o.out.quant().zeroPoint());
        StepWriter.Fields f = new StepWriter.Fields().put("depth", depth).put("per_channel", perChannel ? 1 : 0)
                .put("input_offset", -o.in.quant().zeroPoint()).put("filter_offset", perChannel ? 0 : -fq.zeroPoint())
                .put("output_offset", o.out.quant().zeroPoint()).put("act_min", act[0]).put("act_max", act[1]);
        o.weights(w, f, rq);
        String p = w.params("tf_fc_params", f);
        int[] inDims = {1, 1, rows, depth}, outDims = {1, 1, rows, outDepth};
        if (!w.isWhole() && rowsAligned(o, depth) && o.out.shape().rank() <= 4) {
            // a tile of rows over several leading dimensions is a box of the 4-D coordinates, not of the merged rows
            inDims = w.dims4(o.in);
            outDims = w.dims4(o.out);
        }
        call(w, "tf_fully_connected_s8", p, o, inDims, outDims);
    }

    /** Input row b is input coordinate (output row b's leading coordinates, *): same rank, same leading dims, the depth last. */
    private static boolean rowsAligned(Operands o, int depth) {
        int[] in = o.in.shape().toArray(), out = o.out.shape().toArray();
        if (in.length != out.length || in.length == 0 || in[in.length - 1] != depth) return false;
        for (int d = 0; d < in.length - 1; d++) if (in[d] != out[d]) return false;
        return true;
    }

    /** Input, constant int8 filter, optional constant int32 bias, int8 output. */
    private record Operands(Tensor in, Tensor filter, Tensor bias, Tensor out) {
        static Operands of(StepWriter w) {
            if (!w.hasInput(0) || !w.hasInput(1)) throw w.refuse("input or filter is missing");
            Tensor in = w.input(0), filter = w.input(1), out = w.output(0);
            Tensor bias = w.hasInput(2) ? w.input(2) : null;
            w.requireType(in, "input", DType.INT8);
            w.requireType(filter, "filter", DType.INT8);
            w.requireType(out, "output", DType.INT8);
            if (!filter.isConstant()) throw w.refuse("filter " + filter.label() + " is not a constant");
            if (bias != null) {
                w.requireType(bias, "bias", DType.INT32);
                if (!bias.isConstant()) throw w.refuse("bias " + bias.label() + " is not a constant");
            }
            return new Operands(in, filter, bias, out);
        }

        /** Offsets, activation range and the per-channel requantisation of CONV_2D and DEPTHWISE_CONV_2D. */
        void quantization(StepWriter w, StepWriter.Fields f, int activation, int channels) {
            Quantization fq = KernelParameters.filterQuantization(filter);
            if (fq.channels() > 1 && fq.channels() != channels) {
                throw w.refuse("filter " + filter.label() + " has " + fq.channels() + " scales for " + channels + " output channels");
            }
            int[] act = QuantizedMath.activationRange(activation, DType.INT8, out.quant().scale(), out.quant().zeroPoint());
            f.put("input_offset", -in.quant().zeroPoint()).put("output_offset", out.quant().zeroPoint()).put("act_min", act[0]).put("act_max", act[1]);
            weights(w, f, KernelParameters.perChannel(in.quant().scale(), fq, out.quant().scale(), channels));
        }

        void weights(StepWriter w, StepWriter.Fields f, KernelParameters.Requantization rq) {
            f.raw("filter", w.constant(filter.id())).raw("bias", bias == null ? "0" : w.constant(bias.id()))
                    .raw("multiplier", w.int32s(rq.multiplier())).raw("shift", w.int32s(rq.shift()));
        }
    }
}
