package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

/**
 * The sliding-window geometry of CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and MAX_POOL_2D over an NHWC input,
 * computed from the model the way TFLite's {@code ComputePaddingHeightWidth} does: the padding follows from the
 * padding mode's own output size and the global input shape, the loops run over the output tensor's dims. The
 * kernels, their region inference, the DMO bounds and the symbolic loop nests of the DMO access orders all use
 * this one geometry.
 *
 * @param batches    N of input and output
 * @param y          the height axis
 * @param x          the width axis
 * @param inDepth    C of the input
 * @param outDepth   C of the output
 * @param tapDepth   input channels one output channel reads per tap (the filter's depth for CONV_2D, else 1)
 * @param groupWidth consecutive output channels that read the same input channels: CONV_2D's filters per group
 *                   (all of them unless grouped), DEPTHWISE_CONV_2D's depth multiplier, 1 for pooling
 */
public record Window(int batches, Axis y, Axis x, int inDepth, int outDepth, int tapDepth, int groupWidth) {

    /** The schema's Padding enum. */
    static final int SAME = 0, VALID = 1;

    /**
     * One spatial axis: output position o reads input positions {@code o * stride - pad + dilation * k} for
     * {@code 0 <= k < taps}, those inside {@code [0, in)} only (the global input: a tile edge is not an image edge).
     */
    public record Axis(int in, int out, int stride, int dilation, int taps, int pad) {
        public int origin(int o) { return o * stride - pad; }

        /** The lowest in-image position output o reads, or -1 when every tap of o falls outside the image. */
        public int firstTap(int o) {
            int origin = origin(o);
            int k = origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
            if (k >= taps) return -1;
            int pos = origin + k * dilation;
            return pos < in ? pos : -1;
        }

        /** The highest in-image position output o reads, or -1 when every tap of o falls outside the image. */
        public int lastTap(int o) {
            int origin = origin(o);
            int k = Math.min(taps - 1, origin < in ? (in - 1 - origin) / dilation : -1);
            if (k < 0) return -1;
            int pos = origin + k * dilation;
            return pos >= 0 ? pos : -1;
        }

        /** True when output o reads tap k (inside the image). */
        public boolean inside(int o, int k) {
            int pos = origin(o) + k * dilation;
            return pos >= 0 && pos < in;
        }

        /** The input positions {@code [lo, hi)} that outputs {@code [from, to)} read, or {@code {0, 0}} when none. */
        public int[] inputRange(int from, int to) {
            int lo = Integer.MAX_VALUE, hi = -1;
            for (int o = from; o < to; o++) {
                int first = firstTap(o);
                if (first < 0) continue;
                lo = Math.min(lo, first);
                hi = Math.max(hi, lastTap(o));
            }
            return hi < 0 ? new int[] {0, 0} : new int[] {lo, hi + 1};
        }

        /** The axis of an input of {@code in} positions; the padding from the padding mode's own output size. */
        public static Axis of(int in, int out, int stride, int dilation, int taps, int paddingMode) {
            int effective = (taps - 1) * dilation + 1;
            int total = Math.max(0, (outSize(paddingMode, in, taps, stride, dilation) - 1) * stride + effective - in);
            return new Axis(in, out, stride, dilation, taps, total / 2);
        }

        /** {@code ComputeOutSize}: the output size a padding mode gives (0 for a zero stride or an unknown mode). */
        public static int outSize(int paddingMode, int in, int taps, int stride, int dilation) {
            int effective = (taps - 1) * dilation + 1;
            if (stride == 0) return 0;
            return switch (paddingMode) {
                case SAME -> (in + stride - 1) / stride;
                case VALID -> (in + stride - effective) / stride;
                default -> 0;
            };
        }
    }

    public static boolean handles(String kind) {
        return switch (kind) {
            case "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D" -> true;
            default -> false;
        };
    }

    public static Window of(Graph g, Op op) {
        Tensor in = g.tensor(op.input(0));
        Tensor out = g.tensor(op.output(0));
        int[] id = in.shape().extended(4);
        int[] od = out.shape().extended(4);
        Options o = op.options();
        int mode = o.getInt("padding", SAME);
        int sh = o.getInt("strideH", 1), sw = o.getInt("strideW", 1);
        return switch (op.kind()) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                int[] fd = g.tensor(op.input(1)).shape().extended(4);
                int dh = o.getInt("dilationHFactor", 1), dw = o.getInt("dilationWFactor", 1);
                boolean depthwise = op.kind().equals("DEPTHWISE_CONV_2D");
                Axis y = Axis.of(id[1], od[1], sh, dh, fd[1], mode);
                Axis x = Axis.of(id[2], od[2], sw, dw, fd[2], mode);
                yield depthwise
                        ? new Window(id[0], y, x, id[3], od[3], 1, id[3] == 0 ? 0 : od[3] / id[3])
                        : new Window(id[0], y, x, id[3], od[3], fd[3], fd[3] == 0 || id[3] / fd[3] == 0 ? 0 : od[3] / (id[3] / fd[3]));
            }
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> new Window(id[0],
                    Axis.of(id[1], od[1], sh, 1, o.getInt("filterHeight"), mode),
                    Axis.of(id[2], od[2], sw, 1, o.getInt("filterWidth"), mode), id[3], od[3], 1, 1);
            default -> throw new IllegalArgumentException(op.kind() + " is not a window operator");
        };
    }

    /** The lowest input channel output channel oc reads. */
    public int firstChannel(int oc) { return oc / groupWidth * tapDepth; }

    /**
     * The input region an NHWC output region reads: its batches, the rows and columns the windows reach inside the
     * image, the channels of its output channels' groups; empty when no tap falls inside the image.
     */
    public Region inputRegion(Region output) {
        if (output.isEmpty()) return Region.empty(4);
        int[] ys = y.inputRange(output.lo(1), output.hi(1));
        int[] xs = x.inputRange(output.lo(2), output.hi(2));
        int c0 = firstChannel(output.lo(3)), c1 = firstChannel(output.hi(3) - 1) + tapDepth;
        return Region.of(new int[] {output.lo(0), ys[0], xs[0], c0}, new int[] {output.hi(0), ys[1], xs[1], c1});
    }
}
