package io.tinyfit.dmo;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Tensor;

/**
 * The sliding-window geometry of CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and MAX_POOL_2D over an NHWC input,
 * computed from the model the way TFLite's {@code ComputePaddingHeightWidth} does (the padding follows from the
 * padding mode's own output size, the loops run over the output tensor's dims). The DMO bounds and the symbolic
 * loop nests of {@link AccessOrders} both need it, so it lives here once rather than in each.
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
record Window(int batches, Axis y, Axis x, int inDepth, int outDepth, int tapDepth, int groupWidth) {

    /** The schema's Padding enum. */
    private static final int SAME = 0;

    /**
     * One spatial axis: output position o reads input positions {@code o * stride - pad + dilation * k} for
     * {@code 0 <= k < taps}, those inside {@code [0, in)} only.
     */
    record Axis(int in, int out, int stride, int dilation, int taps, int pad) {
        int origin(int o) { return o * stride - pad; }

        /** The lowest in-image position output o reads, or -1 when every tap of o falls outside the image. */
        int firstTap(int o) {
            int origin = origin(o);
            int k = origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
            if (k >= taps) return -1;
            int pos = origin + k * dilation;
            return pos < in ? pos : -1;
        }

        /** True when output o reads tap k (inside the image). */
        boolean inside(int o, int k) {
            int pos = origin(o) + k * dilation;
            return pos >= 0 && pos < in;
        }

        static Axis of(int in, int out, int stride, int dilation, int taps, int paddingMode) {
            int effective = (taps - 1) * dilation + 1;
            int modeOut = paddingMode == SAME ? (in + stride - 1) / stride : (in + stride - effective) / stride;
            int total = Math.max(0, (modeOut - 1) * stride + effective - in);
            return new Axis(in, out, stride, dilation, taps, total / 2);
        }
    }

    static boolean handles(String kind) {
        return switch (kind) {
            case "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D" -> true;
            default -> false;
        };
    }

    static Window of(Graph g, Op op) {
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
                        ? new Window(id[0], y, x, id[3], od[3], 1, od[3] / id[3])
                        : new Window(id[0], y, x, id[3], od[3], fd[3], od[3] / (id[3] / fd[3]));
            }
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> new Window(id[0],
                    Axis.of(id[1], od[1], sh, 1, o.getInt("filterHeight"), mode),
                    Axis.of(id[2], od[2], sw, 1, o.getInt("filterWidth"), mode), id[3], od[3], 1, 1);
            default -> throw new IllegalArgumentException(op.kind() + " is not a window operator");
        };
    }

    /** The lowest input channel output channel oc reads. */
    int firstChannel(int oc) { return oc / groupWidth * tapDepth; }
}
