package io.tinyfit.model;

import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;

/** Small models built in code for tests. */
public final class TestModels {
    private TestModels() {}

    /**
     * A 12×12×3 model with every operator kind GraphBuilder offers (and the non-default options: VALID padding,
     * dilation, depth multiplier, keep_dims), in int8 or float32.
     */
    public static Graph everyOp(DType dtype) {
        GraphBuilder b = new GraphBuilder("every-op-" + dtype.label(), 7);
        Ref x = b.input("x", dtype, 1, 12, 12, 3);
        Ref p = b.pad(x, new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}});
        Ref c = b.conv2d(p, 8, 3, 3, 1, 1, Padding.VALID, 1, 1, Activation.RELU);
        Ref d = b.depthwiseConv2d(c, 2, 3, 3, 1, 1, Padding.SAME, 2, 2, Activation.RELU6);
        Ref e = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        Ref s = b.add(c, e, Activation.NONE);
        Ref m = b.maxPool(s, 2, 2, Padding.VALID);
        Ref a = b.averagePool(s, 2, 2, Padding.VALID);
        Ref cat = b.concatenation(3, Activation.NONE, m, a);
        Ref mean = b.mean(cat, new int[] {1, 2}, true);
        Ref flat = b.reshape(mean, 1, -1);
        Ref fc = b.fullyConnected(flat, 5, Activation.NONE);
        return b.output(b.softmax(fc)).build();
    }

    /**
     * A model whose peak step reads the graph input: a 1x1 convolution of a 16x16x8 int8 input (2,048 bytes) into
     * an output of the same size (traced safe delta 7 bytes, 16 once aligned), then a 2x2 max pool.
     */
    public static Graph peakReadsTheInput() {
        GraphBuilder b = new GraphBuilder("test:keep-inputs", 11);
        Ref x = b.input("x", DType.INT8, 1, 16, 16, 8);
        Ref y = b.conv2d(x, 8, 1, 1, Padding.SAME, Activation.RELU);
        return b.output(b.maxPool(y, 2, 2, Padding.VALID)).build();
    }
}
