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

    /**
     * The tail of an SSD detector: int8 features [1, 4, 4, 8], two 1x1 heads (box encodings for two anchors per
     * cell, and scores for two classes plus background), reshaped to [1, 32, 4] and [1, 32, 3], dequantised, and
     * TFLite_Detection_PostProcess over 32 constant anchors (fast NMS, five detections).
     */
    public static Graph ssdTail() {
        GraphBuilder b = new GraphBuilder("test:ssd-tail", 18);
        Ref x = b.input("features", DType.INT8, 1, 4, 4, 8);
        Ref boxes = b.dequantize(b.reshape(b.conv2d(x, 8, 1, 1, Padding.SAME, Activation.NONE), 1, 32, 4));
        Ref scores = b.dequantize(b.reshape(b.conv2d(x, 6, 1, 1, Padding.SAME, Activation.NONE), 1, 32, 3));
        float[] anchors = new float[32 * 4];
        for (int r = 0, i = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                for (int a = 0; a < 2; a++, i++) {
                    anchors[4 * i] = (r + 0.5f) / 4;
                    anchors[4 * i + 1] = (c + 0.5f) / 4;
                    anchors[4 * i + 2] = 0.25f * (a + 1);
                    anchors[4 * i + 3] = 0.25f * (a + 1);
                }
            }
        }
        Ref anchorTensor = b.constant("anchors", anchors, 32, 4);
        var out = b.detectionPostprocess(boxes, scores, anchorTensor,
                new GraphBuilder.DetectionOptions(5, 1, 100, false, 0.3f, 0.5f, 2, 10f, 10f, 5f, 5f));
        return b.output(out.toArray(Ref[]::new)).build();
    }

    /** A model with an operator tinyfit has no kernel for (custom code {@code NoKernelHere}) between two convolutions. */
    public static Graph unknownOperator() {
        GraphBuilder b = new GraphBuilder("test:unknown-op", 19);
        Ref x = b.input("image", DType.INT8, 1, 8, 8, 4);
        Ref y = b.conv2d(x, 8, 3, 1, Padding.SAME, Activation.RELU);
        Ref z = b.custom("NoKernelHere", new byte[0], java.util.List.of(y), java.util.List.of(DType.INT8), java.util.List.of(new int[] {1, 8, 8, 8})).get(0);
        Ref w = b.conv2d(b.conv2d(y, 8, 1, 1, Padding.SAME, Activation.RELU), 8, 1, 1, Padding.SAME, Activation.NONE);
        return b.output(b.add(z, w, Activation.NONE)).build();
    }
}
