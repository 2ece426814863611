package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

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
    public void prepare(Preparation p) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        check(p, p.input(0), p.input(1), p.output(0));
    }

    /** TFLM's transpose.cc: at most 6 dims, a constant permutation of them that maps the input's shape to the output's. */
    private static int[] check(Refusals r, Tensor in, Tensor permTensor, Tensor out) {
        DataMovement.movable(r, in, out, TYPES);
        int dims = in.shape().rank();
        if (dims > MAX_DIMS) throw r.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);
        int[] perm = DataMovement.constantInts(r, permTensor, "perm");
        if (permTensor.shape().rank() != 1 || perm.length != dims) throw r.invalid("perm of shape " + permTensor.shape() + " does not match input rank " + dims);
        int[] inDims = in.shape().toArray();
        int[] outDims = out.shape().toArray();
        boolean[] seen = new boolean[dims];
        boolean ok = outDims.length == dims;
        for (int i = 0; i < dims && ok; i++) {
            ok = perm[i] >= 0 && perm[i] < dims && !seen[perm[i]] && outDims[i] == inDims[perm[i]];
            if (ok) seen[perm[i]] = true;
        }
        if (!ok) throw r.invalid("perm " + Arrays.toString(perm) + " is not a permutation mapping input " + Arrays.toString(inDims) + " to output " + Arrays.toString(outDims));
        return perm;
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        int[] perm = check(ctx, in.tensor(), DataMovement.optionalTensor(ctx, 1), out.tensor());
        int esize = in.dtype().bytes();
        int dims = in.rank();

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
