package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Region;

import java.util.List;

/**
 * RESIZE_NEAREST_NEIGHBOR, bit-exact with TFLM's {@code resize_nearest_neighbor.cc} and
 * {@code reference_ops::ResizeNearestNeighbor}: for each batch, output row and column, the source pixel's
 * channels are copied whole (a memcpy of depth elements); float32, int8 and int16 as TFLM.
 *
 * <p>Regions: every output dimension splits; output rows and columns read the source rows and columns their
 * nearest neighbours pick, batches and channels pass through.
 */
final class ResizeNearestNeighborKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { ResizeBilinearKernel.prepareResize(p, DType.FLOAT32, DType.INT8, DType.INT16); }


    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View size = ctx.input(1);
        View out = ctx.output(0);
        DType t = in.dtype();
        if (t != DType.FLOAT32 && t != DType.INT8 && t != DType.INT16) throw ctx.unsupported("dtype " + t);
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        if (size.dtype() != DType.INT32 || size.elements() != 2) throw ctx.unsupported("size operand must be int32[2]");
        Options o = ctx.op().options();
        boolean alignCorners = o.getBool("alignCorners");
        boolean halfPixelCenters = o.getBool("halfPixelCenters");

        int inH = in.dim4(1), inW = in.dim4(2);
        int outH = size.i32(0), outW = size.i32(1);
        int elementBytes = t.bytes();
        Region r = ctx.outputRegion();
        int c0 = r.lo(3), depth = r.extent(3);
        int[] inX = new int[outW];
        for (int x = 0; x < outW; x++) inX[x] = nearest(x, inW, outW, alignCorners, halfPixelCenters);
        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int y = r.lo(1); y < r.hi(1); y++) {
                int inY = nearest(y, inH, outH, alignCorners, halfPixelCenters);
                for (int x = r.lo(2); x < r.hi(2); x++) {
                    DataMovement.copy(out, out.at(b, y, x, c0), out.stride(3), in, in.at(b, inY, inX[x], c0), in.stride(3), depth, elementBytes);
                }
            }
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] id = graph.tensor(op.input(0)).shape().toArray(), od = graph.tensor(op.output(0)).shape().toArray();
        boolean align = op.options().getBool("alignCorners"), half = op.options().getBool("halfPixelCenters");
        // GetNearestNeighbor never decreases as the output position grows: the ends of the range pick the ends.
        return Kernel.firstInputFrom(graph, op, output, r -> Region.of(
                new int[] {r.lo(0), nearest(r.lo(1), id[1], od[1], align, half), nearest(r.lo(2), id[2], od[2], align, half), r.lo(3)},
                new int[] {r.hi(0), nearest(r.hi(1) - 1, id[1], od[1], align, half) + 1, nearest(r.hi(2) - 1, id[2], od[2], align, half) + 1, r.hi(3)}));
    }

    /** {@code GetNearestNeighbor}: float scale, std::round with align_corners, floor otherwise. */
    static int nearest(int inputValue, int inputSize, int outputSize, boolean alignCorners, boolean halfPixelCenters) {
        float scale = (alignCorners && outputSize > 1)
                ? (inputSize - 1) / (float) (outputSize - 1)
                : inputSize / (float) outputSize;
        float offset = halfPixelCenters ? 0.5f : 0.0f;
        float scaled = (inputValue + offset) * scale;
        int value = Math.min(alignCorners ? (int) QuantizedMath.round(scaled) : (int) (float) Math.floor(scaled), inputSize - 1);
        if (halfPixelCenters) value = Math.max(0, value);
        return value;
    }
}
