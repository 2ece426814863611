package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Kernels over rows and reductions: SOFTMAX (int8 to int8 or int16), MEAN and SUM (int8). */
final class RowEmitters {
    /** The integer bits of SOFTMAX's scaled differences in TFLM's 8-bit path. */
    private static final int SCALED_DIFF_INTEGER_BITS = 5;

    private RowEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("SOFTMAX", RowEmitters::softmax);
        emitters.put("MEAN", w -> reduce(w, true));
        emitters.put("SUM", w -> reduce(w, false));
    }

    /** Rows of the last dimension, viewed as [1][1][rows][depth]. */
    private static void softmax(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        w.requireType(in, "input", DType.INT8);
        w.requireType(out, "output", DType.INT8, DType.INT16);
        if (in.shape().rank() < 1) throw w.refuse("softmax of a scalar");
        int depth = in.shape().fromEnd(1);
        int rows = depth == 0 ? 0 : (int) (in.shape().numElements() / depth);
        KernelParameters.Softmax m = KernelParameters.softmax(w.op().options().getFloat("beta"), in.quant().scale(), SCALED_DIFF_INTEGER_BITS);
        String p = w.params("tf_softmax_params", new StepWriter.Fields().put("input_beta_multiplier", m.multiplier())
                .put("input_beta_left_shift", m.leftShift()).put("diff_min", m.diffMin()).put("output_bits", out.dtype().bytes() * 8));
        int[] dims = {1, 1, rows, depth};
        w.call("tf_softmax_s8", "&" + p, "&" + w.view(in.id(), dims), "&" + w.view(out.id(), dims), "&" + w.region(dims));
    }

    /**
     * The output is viewed with the input's 4-D shape, extent 1 along the reduced dimensions: the same raster order
     * as the output tensor, with or without keep_dims. The int32 sums live in the scratch buffer TFLM requests.
     * MEAN folds 1/count into the multiplier, SUM only requantises.
     */
    private static void reduce(StepWriter w, boolean mean) {
        Tensor in = w.input(0), axes = w.input(1), out = w.output(0);
        w.requireType(in, "input", DType.INT8);
        w.requireType(out, "output", DType.INT8);
        w.requireType(axes, "axis", DType.INT32);
        int rank = in.shape().rank();
        int[] inDims = w.dims4(in);
        int[] reduced = new int[4];
        long count = 1;
        for (int a : resolvedAxes(w, w.constantInts(axes), rank)) {
            reduced[a + 4 - rank] = 1;
            count *= in.shape().dim(a);
        }
        int[] outDims = inDims.clone();
        for (int d = 0; d < 4; d++) if (reduced[d] == 1) outDims[d] = 1;
        if (out.shape().numElements() != StepWriter.product(outDims)) throw w.refuse("output " + out.shape() + " does not match the reduction of " + in.shape());
        int[] m = !mean ? KernelParameters.requantize(in.quant().scale(), out.quant().scale())
                : count == 0 ? new int[] {0, 0} : KernelParameters.meanMultiplier(in.quant().scale(), out.quant().scale(), count);
        String p = w.params("tf_mean_params", new StepWriter.Fields().put("in_shape", inDims).put("reduced", reduced).put("count", count)
                .put("input_zero_point", in.quant().zeroPoint()).put("output_zero_point", out.quant().zeroPoint())
                .put("multiplier", m[0]).put("shift", m[1]));
        w.call("tf_mean_s8", "&" + p, "&" + w.view(in.id(), inDims), "&" + w.scratchView(0, outDims), "&" + w.view(out.id(), outDims),
                "&" + w.region(outDims));
    }

    /** {@code ResolveAxis}: negative axes wrap, duplicates drop. */
    private static Set<Integer> resolvedAxes(StepWriter w, int[] axes, int rank) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int a : axes) {
            int current = a < 0 ? a + rank : a;
            if (current < 0 || current >= rank) throw w.refuse("axis " + a + " out of range for rank " + rank);
            out.add(current);
        }
        return out;
    }
}
