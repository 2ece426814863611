package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;

import java.util.Arrays;
import java.util.List;
import io.tinyfit.model.Tensor;

/**
 * RESHAPE (TFLM {@code micro/kernels/reshape.cc}): a byte copy of the whole input, skipped when input and
 * output share the same bytes. TFLM compares the two data pointers; here two arena views at the same array and
 * base are the same pointer, so a plan that aliases a reshape's input and output makes it free, as in TFLM.
 *
 * <p>Regions: output element x is input element {@code unflatten(flatten(x))}; an output region reads the bounding
 * box of those elements. An output dimension splits cleanly when it lines up with an input dimension (the same
 * extent and the same number of elements before it), so that a band of it is a band of the input; others need
 * boxes larger than their share and are declared unsplittable. A region of whole views is the reference's one
 * copy; of tiles, element by element in row-major order.
 */
final class ReshapeKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        p.inputs(1, 2);
        p.outputs(1, 1);
        check(p, p.input(0), p.output(0));
    }

    /** TFLM's reshape.cc Prepare: a movable dtype, the input's, and equal element counts (the model gives the shape). */
    private static void check(Refusals r, Tensor in, Tensor out) {
        DataMovement.movable(r, in, out, DataMovement.SIZED);
        if (in.shape().numElements() != out.shape().numElements()) {
            throw r.invalid("input " + in.shape() + " has " + in.shape().numElements() + " elements but output " + out.shape() + " has " + out.shape().numElements());
        }
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        check(ctx, in.tensor(), out.tensor());
        int esize = in.dtype().bytes();
        Region r = ctx.outputRegion();
        if (in.isDense() && out.isDense() && r.equals(out.region())) {
            if (in.sameBytesAs(out)) return;
            out.copyBytes(0, in, 0, in.byteSize());
            return;
        }
        int[] inDims = in.dims();
        forEachElement(out.dims(), inDims, r, (x, y) -> DataMovement.copy(out, out.at(x), in, in.at(y), 1, esize));
    }

    /** Output coordinate x of the region (row-major) and its input coordinate y. */
    private interface Pair {
        void apply(int[] outCoordinate, int[] inCoordinate);
    }

    private static void forEachElement(int[] outDims, int[] inDims, Region r, Pair fn) {
        if (r.isEmpty()) return;
        int[] x = r.lo();
        while (true) {
            long flat = 0;
            for (int d = 0; d < outDims.length; d++) flat = flat * outDims[d] + x[d];
            int[] y = new int[inDims.length];
            for (int d = inDims.length - 1; d >= 0; d--) {
                y[d] = (int) (flat % inDims[d]);
                flat /= inDims[d];
            }
            fn.apply(x, y);
            if (!r.next(x, x.length)) return;
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) {
        Shape in = graph.tensor(op.input(0)).shape(), out = graph.tensor(op.output(0)).shape();
        boolean[] s = new boolean[out.rank()];
        for (int d = 0; d < out.rank(); d++) {
            long before = 1;
            for (int k = 0; k < d; k++) before *= out.dim(k);
            long inBefore = 1;
            for (int e = 0; e < in.rank() && !s[d]; e++) {
                s[d] = inBefore == before && in.dim(e) == out.dim(d);
                inBefore *= in.dim(e);
            }
        }
        return s;
    }

    /** The bounding box of the input elements the output region's elements come from; a 1-D shape input (RESHAPE's second operand) whole. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] inDims = graph.tensor(op.input(0)).shape().toArray();
        return Kernel.firstInputFrom(graph, op, output, r -> {
            int[] lo = new int[inDims.length], hi = new int[inDims.length];
            Arrays.fill(lo, Integer.MAX_VALUE);
            forEachElement(graph.tensor(op.output(0)).shape().toArray(), inDims, r, (x, y) -> {
                for (int d = 0; d < y.length; d++) {
                    lo[d] = Math.min(lo[d], y[d]);
                    hi[d] = Math.max(hi[d], y[d] + 1);
                }
            });
            return Region.of(lo, hi);
        });
    }
}
