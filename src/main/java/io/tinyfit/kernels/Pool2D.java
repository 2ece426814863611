package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * What AVERAGE_POOL_2D and MAX_POOL_2D share: their Prepare ({@code pooling_common.cc}), TFLM's
 * {@code CalculateOpDataPooling} checks, the window geometry, the loop nest (batch, out_y, out_x, channel, then the
 * window clipped to the global image) over an output region, and the region inference (rows and columns the windows
 * reach, channels passed through).
 */
abstract class Pool2D implements Kernel {
    /** One output element: the window {@code [y0, y1) x [x0, x1)} of channel c in image b, into {@code out[o]}. */
    abstract static class Element {
        abstract void apply(View in, int b, int c, int y0, int y1, int x0, int x1, View out, int o);
    }

    /** The element computation of this kind for the op's dtype (checked here). */
    abstract Element element(OpContext ctx, View in, View out, int activation);

    /**
     * pooling_common.cc's Prepare: one 4-D input and output of one dtype, Pool2DOptions present (TFLM would
     * pool with zero strides and windows without them), strides and window at least 1, a known padding, and
     * the output shaped as the window slides (batch and channels kept).
     */
    @Override public final void prepare(Preparation p) {
        p.inputs(1, 1);
        p.outputs(1, 1);
        p.images(DType.FLOAT32, DType.INT8, DType.INT16, DType.UINT8);
        Tensor in = p.input(0), out = p.output(0);
        p.require(!p.options().isNone(), "has no Pool2DOptions");
        int padding = p.options().getInt("padding");
        if (padding != Window.SAME && padding != Window.VALID) throw p.invalid("padding " + padding + " is neither SAME (0) nor VALID (1)");
        ConvCommon.Geometry g = new ConvCommon.Geometry(padding, p.atLeastOne("strideH", 0), p.atLeastOne("strideW", 0), 1, 1,
                p.options().getInt("fusedActivationFunction"));
        int[] id = in.shape().toArray(), od = out.shape().toArray();
        p.require(od[0] == id[0] && od[3] == id[3], "output " + out.shape() + " does not keep the batch and channels of input " + in.shape());
        ConvCommon.prepareOutputSize(p, g, id[1], id[2], p.atLeastOne("filterHeight", 0), p.atLeastOne("filterWidth", 0), od[1], od[2]);
        if (in.dtype() != DType.FLOAT32) {
            p.quantized(in, "input");
            p.quantized(out, "output");
        }
    }

    @Override public final void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        int padding = ctx.op().options().getInt("padding");
        if (padding != Window.SAME && padding != Window.VALID) throw ctx.unsupported("padding " + padding);
        if (out.dtype() != in.dtype()) throw ctx.unsupported("input " + in.dtype() + " with output " + out.dtype());
        Element e = element(ctx, in, out, ctx.op().options().getInt("fusedActivationFunction"));
        Window w = Window.of(ctx.graph(), ctx.op());
        Window.Axis ay = w.y(), ax = w.x();
        Region r = ctx.outputRegion();
        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int outY = r.lo(1); outY < r.hi(1); outY++) {
                for (int outX = r.lo(2); outX < r.hi(2); outX++) {
                    for (int c = r.lo(3); c < r.hi(3); c++) {
                        int inXOrigin = ax.origin(outX);
                        int inYOrigin = ay.origin(outY);
                        int x0 = inXOrigin + Math.max(0, -inXOrigin);
                        int x1 = inXOrigin + Math.min(ax.taps(), ax.in() - inXOrigin);
                        int y0 = inYOrigin + Math.max(0, -inYOrigin);
                        int y1 = inYOrigin + Math.min(ay.taps(), ay.in() - inYOrigin);
                        e.apply(in, b, c, y0, y1, x0, x1, out, out.at(b, outY, outX, c));
                    }
                }
            }
        }
    }

    @Override public final boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    @Override public final List<Region> inputRegions(Graph graph, Op op, Region output) {
        return List.of(Window.of(graph, op).inputRegion(output));
    }
}
