package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * TRANSPOSE (TFLM {@code micro/kernels/transpose.cc} over {@code reference_ops::Transpose}). The reference
 * recursion walks the output in row-major order, writing it sequentially, and follows the input with the stride
 * of the permuted dimension; the innermost output dimension reads the input at stride
 * {@code input_stride[perm[last]]}. This is the same walk as a loop nest with an odometer of output indices.
 * When that innermost stride is 1 the run is contiguous on both sides and is copied at once.
 *
 * <p>Regions: every output dimension splits; input dimension {@code perm[i]} needs output dimension i's range.
 */
final class TransposeKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16);
    /** {@code kTransposeMaxDimensions} of the reference kernel. */
    private static final int MAX_DIMS = 6;

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View permView = ctx.input(1);
        View out = ctx.output(0);
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        DataMovement.requireSameType(ctx, in, out, "output");
        int dims = in.rank();
        if (dims > MAX_DIMS) throw ctx.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);
        if (permView == null || !permView.tensor().isConstant()) throw ctx.unsupported("non-constant perm tensor is not supported");
        if (permView.rank() != 1 || permView.dim(0) != dims) throw ctx.unsupported("perm of shape " + permView.shape() + " does not match input rank " + dims);
        int[] perm = permView.toIntArray();
        int[] inDims = in.dims();
        int[] outDims = out.dims();
        boolean ok = outDims.length == dims;
        for (int i = 0; i < dims && ok; i++) ok = perm[i] >= 0 && perm[i] < dims && outDims[i] == inDims[perm[i]];
        if (!ok) throw ctx.unsupported("perm " + Arrays.toString(perm) + " does not map input " + Arrays.toString(inDims) + " to output " + Arrays.toString(outDims));

        Region r = ctx.outputRegion();
        if (r.isEmpty()) return;
        if (dims == 0) {
            DataMovement.copy(out, 0, in, 0, 1, esize);
            return;
        }
        int last = dims - 1;
        int lastFrom = r.lo(last), lastSize = r.extent(last);
        int inStep = in.stride(perm[last]), outStep = out.stride(last);
        int[] x = r.lo();
        int[] y = new int[dims];
        while (true) {
            for (int i = 0; i < dims; i++) y[perm[i]] = x[i];
            x[last] = lastFrom;
            y[perm[last]] = lastFrom;
            DataMovement.copy(out, out.at(x), outStep, in, in.at(y), inStep, lastSize, esize);
            if (!r.next(x, last)) return;
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] perm = new ConstView(graph.tensor(op.input(1))).toIntArray();
        return Kernel.firstInputFrom(graph, op, output, r -> {
            int[] lo = new int[perm.length], hi = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                lo[perm[i]] = r.lo(i);
                hi[perm[i]] = r.hi(i);
            }
            return Region.of(lo, hi);
        });
    }
}
