package io.tinyfit.model;

import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;

/** Models built in code, so that {@code tinyfit analyze} has something real to show without any file. */
public final class DefaultModels {
    /** The source name of {@link #mobileNetV2Style()}, as it appears in reports and error messages. */
    public static final String MOBILENET_V2_96 = "default:mobilenetv2-96";

    private static final long SEED = 96;

    /** Inverted residual blocks: expansion factor, output channels, stride (MobileNetV2 at width ≈ 0.35). */
    private static final int[][] BLOCKS = {
            {1, 8, 1},
            {6, 16, 2}, {6, 16, 1},
            {6, 24, 2}, {6, 24, 1}, {6, 24, 1},
            {6, 32, 2}, {6, 32, 1},
            {6, 48, 1}, {6, 48, 1},
            {6, 64, 2}, {6, 64, 1},
    };

    private DefaultModels() {}

    /**
     * A MobileNetV2-style int8 classifier for 96×96×3 images (10 classes): a stride-2 3×3 stem conv, twelve
     * inverted residual blocks (1×1 expand + ReLU6, 3×3 depthwise + ReLU6, 1×1 linear projection, and a residual
     * ADD where input and output shapes match), a 1×1 conv to 256 channels, MEAN over H and W, FULLY_CONNECTED
     * and SOFTMAX: 46 operators. Its peak is the first stride-2 block, whose 48×48×48 expansion is the largest
     * tensor, as in real MobileNetV2s. The same bytes every build.
     */
    public static Graph mobileNetV2Style() {
        GraphBuilder b = new GraphBuilder(MOBILENET_V2_96, SEED);
        Ref x = b.input("input", DType.INT8, 1, 96, 96, 3);
        x = b.scope("stem").conv2d(x, 16, 3, 2, Padding.SAME, Activation.RELU6);
        int channels = 16;
        for (int i = 0; i < BLOCKS.length; i++) {
            int t = BLOCKS[i][0];
            int out = BLOCKS[i][1];
            int stride = BLOCKS[i][2];
            b.scope("block" + (i + 1));
            Ref y = x;
            if (t != 1) y = b.conv2d(y, channels * t, 1, 1, Padding.SAME, Activation.RELU6);
            y = b.depthwiseConv2d(y, 1, 3, stride, Padding.SAME, Activation.RELU6);
            y = b.conv2d(y, out, 1, 1, Padding.SAME, Activation.NONE);
            if (stride == 1 && out == channels) y = b.add(x, y, Activation.NONE);
            x = y;
            channels = out;
        }
        x = b.scope("head").conv2d(x, 256, 1, 1, Padding.SAME, Activation.RELU6);
        x = b.mean(x, new int[] {1, 2}, false);
        x = b.fullyConnected(x, 10, Activation.NONE);
        Ref probabilities = b.softmax(x);
        return b.output(probabilities).build();
    }
}
