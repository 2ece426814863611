package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Region;

import java.util.List;

/**
 * RESIZE_BILINEAR, bit-exact with TFLM's {@code resize_bilinear.cc}: float32 through
 * {@code reference_ops::ResizeBilinear} (single-precision weights), int8 through
 * {@code reference_ops::ResizeBilinearInteger} (10-bit fixed-point coordinates, 20-bit products, double-rounding
 * build: round half away from zero by division). Loop order batch, y, x, channel.
 *
 * <p>Regions: every output dimension splits; output rows and columns read the two source rows and columns they
 * interpolate between, batches and channels pass through.
 */
final class ResizeBilinearKernel implements Kernel {

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View size = ctx.input(1);
        View out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        if (size.dtype() != DType.INT32 || size.elements() != 2) throw ctx.unsupported("size operand must be int32[2]");
        Options o = ctx.op().options();
        boolean alignCorners = o.getBool("alignCorners");
        boolean halfPixelCenters = o.getBool("halfPixelCenters");
        if (alignCorners && halfPixelCenters) throw ctx.unsupported("half_pixel_centers together with align_corners");
        switch (t) {
            case FLOAT32 -> resizeFloat(in, size, out, ctx.outputRegion(), alignCorners, halfPixelCenters);
            case INT8 -> resizeInteger(in, size, out, ctx.outputRegion(), alignCorners, halfPixelCenters);
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    private static void resizeFloat(View in, View size, View out, Region r, boolean alignCorners, boolean halfPixelCenters) {
        int inH = in.dim4(1), inW = in.dim4(2);
        int outH = size.i32(0), outW = size.i32(1);
        float heightScale = (float) inH / outH;
        float widthScale = (float) inW / outW;
        if (alignCorners && outH > 1) heightScale = (float) (inH - 1) / (outH - 1);
        if (alignCorners && outW > 1) widthScale = (float) (inW - 1) / (outW - 1);

        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int y = r.lo(1); y < r.hi(1); y++) {
                float inputY = scaled(y, heightScale, halfPixelCenters);
                int y0 = Math.max((int) (float) Math.floor(inputY), 0);
                int y1 = Math.min((int) (float) Math.ceil(inputY), inH - 1);
                for (int x = r.lo(2); x < r.hi(2); x++) {
                    float inputX = scaled(x, widthScale, halfPixelCenters);
                    int x0 = Math.max((int) (float) Math.floor(inputX), 0);
                    int x1 = Math.min((int) (float) Math.ceil(inputX), inW - 1);
                    float dy = inputY - y0, dx = inputX - x0;
                    for (int c = r.lo(3); c < r.hi(3); c++) {
                        float v = in.f32(in.at(b, y0, x0, c)) * (1 - dy) * (1 - dx)
                                + in.f32(in.at(b, y1, x0, c)) * dy * (1 - dx)
                                + in.f32(in.at(b, y0, x1, c)) * (1 - dy) * dx
                                + in.f32(in.at(b, y1, x1, c)) * dy * dx
                                + 0.0f;
                        out.setF32(out.at(b, y, x, c), v);
                    }
                }
            }
        }
    }

    /** {@code ComputeInterpolationValues}' scaled coordinate, in float. */
    private static float scaled(int value, float scale, boolean halfPixelCenters) {
        return halfPixelCenters ? ((float) value + 0.5f) * scale - 0.5f : (float) value * scale;
    }

    private static void resizeInteger(View in, View size, View out, Region r, boolean alignCorners, boolean halfPixelCenters) {
        int inH = in.dim4(1), inW = in.dim4(2);
        int outH = size.i32(0), outW = size.i32(1);
        int heightScale10 = ((1 << 10) * inH + outH / 2) / outH;
        int widthScale10 = ((1 << 10) * inW + outW / 2) / outW;
        if (alignCorners && outH > 1) heightScale10 = ((1 << 10) * (inH - 1) + (outH - 1) / 2) / (outH - 1);
        if (alignCorners && outW > 1) widthScale10 = ((1 << 10) * (inW - 1) + (outW - 1) / 2) / (outW - 1);

        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int y = r.lo(1); y < r.hi(1); y++) {
                int inputY = halfPixelCenters ? y * heightScale10 + heightScale10 / 2 - (1 << 9) : y * heightScale10;
                int y0 = Math.max(inputY / (1 << 10), 0);
                int y1 = Math.min((inputY + (1 << 10) - 1) / (1 << 10), inH - 1);
                for (int x = r.lo(2); x < r.hi(2); x++) {
                    int inputX = halfPixelCenters ? x * widthScale10 + widthScale10 / 2 - (1 << 9) : x * widthScale10;
                    int x0 = Math.max(inputX / (1 << 10), 0);
                    int x1 = Math.min((inputX + (1 << 10) - 1) / (1 << 10), inW - 1);
                    int fy = inputY - (1 << 10) * y0;
                    int fx = inputX - (1 << 10) * x0;
                    for (int c = r.lo(3); c < r.hi(3); c++) {
                        long ll = (long) in.i8(in.at(b, y0, x0, c)) * ((1 << 10) - fy) * ((1 << 10) - fx);
                        long lu = (long) in.i8(in.at(b, y1, x0, c)) * fy * ((1 << 10) - fx);
                        long rl = (long) in.i8(in.at(b, y0, x1, c)) * ((1 << 10) - fy) * fx;
                        long ru = (long) in.i8(in.at(b, y1, x1, c)) * fy * fx;
                        long output20 = ll + lu + rl + ru;
                        long round = output20 > 0 ? (1 << 19) : -(1 << 19);
                        out.setI8(out.at(b, y, x, c), (int) ((output20 + round) / (1 << 20)));
                    }
                }
            }
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    /** Rows {@code [min y0, max y1]} and columns {@code [min x0, max x1]} over the region, by the dtype's own arithmetic. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] id = graph.tensor(op.input(0)).shape().toArray(), od = graph.tensor(op.output(0)).shape().toArray();
        boolean align = op.options().getBool("alignCorners"), half = op.options().getBool("halfPixelCenters");
        boolean integer = graph.tensor(op.input(0)).dtype() == DType.INT8;
        return Kernel.firstInputFrom(graph, op, output, r -> {
            int[] ys = sources(r.lo(1), r.hi(1), id[1], od[1], align, half, integer);
            int[] xs = sources(r.lo(2), r.hi(2), id[2], od[2], align, half, integer);
            return Region.of(new int[] {r.lo(0), ys[0], xs[0], r.lo(3)}, new int[] {r.hi(0), ys[1], xs[1], r.hi(3)});
        });
    }

    /** The source positions {@code [lo, hi)} that outputs {@code [from, to)} of one axis interpolate between. */
    private static int[] sources(int from, int to, int in, int out, boolean align, boolean half, boolean integer) {
        int lo = Integer.MAX_VALUE, hi = 0;
        for (int o = from; o < to; o++) {
            int p0, p1;
            if (integer) {
                int scale10 = align && out > 1 ? ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1) : ((1 << 10) * in + out / 2) / out;
                int p = half ? o * scale10 + scale10 / 2 - (1 << 9) : o * scale10;
                p0 = Math.max(p / (1 << 10), 0);
                p1 = Math.min((p + (1 << 10) - 1) / (1 << 10), in - 1);
            } else {
                float scale = align && out > 1 ? (float) (in - 1) / (out - 1) : (float) in / out;
                float p = scaled(o, scale, half);
                p0 = Math.max((int) (float) Math.floor(p), 0);
                p1 = Math.min((int) (float) Math.ceil(p), in - 1);
            }
            lo = Math.min(lo, Math.min(p0, p1));
            hi = Math.max(hi, Math.max(p0, p1) + 1);
        }
        return new int[] {lo, hi};
    }
}
