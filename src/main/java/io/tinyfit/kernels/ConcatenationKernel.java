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
 * CONCATENATION (TFLM {@code micro/kernels/concatenation.cc} over {@code reference_ops::Concatenation}). Every
 * type, int8 included, goes through TFLM's unquantised path: bytes are copied, never requantised, even when the
 * inputs' scales or zero points differ from the output's. The output is written in order: for each outer index,
 * each input's contiguous slab in turn.
 *
 * <p>Regions: every output dimension splits; input i needs the output region cut to its slab on the axis and
 * shifted to its own coordinates (empty when the region misses its slab).
 */
final class ConcatenationKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL);
    /** TFLM's {@code kMaxInputNum}. */
    private static final int MAX_INPUTS = 10;
    /** TFLM rejects inputs of more dims than {@code RuntimeShape::kMaxSmallSize}. */
    private static final int MAX_DIMS = 6;

    @Override
    public void prepare(Preparation p) {
        p.outputs(1, 1);
        check(p);
    }

    /** TFLM's ConcatenationPrepare: up to 10 inputs of the output's dtype and rank, fitting it but on the axis. */
    private static int check(Refusals r) {
        Tensor out = r.graph().tensor(r.op().output(0));
        int n = r.op().inputs().size();
        if (n < 1) throw r.invalid("CONCATENATION needs at least one input");
        if (n > MAX_INPUTS) throw r.unsupported(n + " inputs exceed TFLM's limit of " + MAX_INPUTS);
        Tensor first = DataMovement.optionalTensor(r, 0);
        if (first == null) throw r.invalid("input 0 is missing");
        int axisOption = r.op().options().getInt("axis", 0);
        int rank = out.shape().rank();
        int axis = axisOption < 0 ? axisOption + rank : axisOption;
        if (axis < 0 || axis >= rank) throw r.invalid("axis " + axisOption + " is out of range for output rank " + rank);
        int esize = DataMovement.movable(r, first, out, TYPES);
        if (r.op().options().getInt("fusedActivationFunction", 0) != 0) {
            throw r.unsupported("fused activation " + r.op().options().get("fusedActivationFunction") + " is not supported (TFLM requires NONE)");
        }
        int[] outDims = out.shape().toArray();
        long concat = 0;
        for (int i = 0; i < n; i++) {
            Tensor in = DataMovement.optionalTensor(r, i);
            if (in == null) throw r.invalid("input " + i + " is missing");
            if (in.shape().rank() > MAX_DIMS) throw r.unsupported("input " + i + " has rank " + in.shape().rank() + " above " + MAX_DIMS);
            if (in.dtype() != out.dtype()) throw r.unsupported("input " + i + " of type " + in.dtype().label() + " differs from the output's");
            int[] d = in.shape().toArray();
            boolean ok = d.length == rank;
            for (int j = 0; ok && j < rank; j++) ok = j == axis || d[j] == outDims[j];
            if (!ok) throw r.invalid("input " + i + " shape " + Arrays.toString(d) + " does not fit output " + Arrays.toString(outDims) + " on axis " + axis);
            concat += d[axis];
        }
        if (concat != outDims[axis]) throw r.invalid("inputs add up to " + concat + " on axis " + axis + " but the output has " + outDims[axis]);
        return esize;
    }

    @Override
    public void eval(OpContext ctx) {
        int esize = check(ctx);
        View out = ctx.output(0);
        int n = ctx.inputCount();
        int rank = out.rank();
        int axisOption = ctx.op().options().getInt("axis", 0);
        int axis = axisOption < 0 ? axisOption + rank : axisOption;
        // For each outer coordinate of the region (row-major), each input's part of the region in turn: on whole
        // tensors one contiguous slab per (outer index, input), as the reference copies it.
        Region r = ctx.outputRegion();
        if (r.isEmpty()) return;
        int[] x = r.lo();
        while (true) {
            int offset = 0;
            for (int i = 0; i < n; i++) {
                View in = ctx.input(i);
                int size = in.dim(axis);
                int from = Math.max(r.lo(axis), offset), to = Math.min(r.hi(axis), offset + size);
                if (to > from) {
                    int[] outStart = x.clone(), inStart = x.clone(), extents = new int[rank];
                    for (int d = 0; d < rank; d++) extents[d] = d < axis ? 1 : r.extent(d);
                    outStart[axis] = from;
                    inStart[axis] = from - offset;
                    extents[axis] = to - from;
                    DataMovement.copyBox(out, outStart, in, inStart, extents, esize);
                }
                offset += size;
            }
            if (!r.next(x, axis)) return;
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int rank = graph.tensor(op.output(0)).shape().rank();
        int axisOption = op.options().getInt("axis", 0);
        int axis = axisOption < 0 ? axisOption + rank : axisOption;
        List<Region> regions = Kernel.wholeInputs(graph, op);
        int offset = 0;
        for (int i = 0; i < regions.size(); i++) {
            int size = graph.tensor(op.input(i)).shape().dim(axis);
            regions.set(i, output.isEmpty() ? Region.empty(rank)
                    : output.with(axis, Math.max(output.lo(axis), offset) - offset, Math.min(output.hi(axis), offset + size) - offset));
            offset += size;
        }
        return regions;
    }
}
