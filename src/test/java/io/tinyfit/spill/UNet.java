package io.tinyfit.spill;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;

import static io.tinyfit.model.GraphBuilder.Activation.NONE;
import static io.tinyfit.model.GraphBuilder.Activation.RELU;
import static io.tinyfit.model.GraphBuilder.Padding.SAME;

/**
 * A small U-Net (after TinySeg's Tiny U-Net): a 32×32×3 image, two encoder levels (conv, then max-pool), a
 * bottleneck, two decoder levels (nearest-neighbour upsampling, concatenation with the encoder's skip tensor, conv)
 * and a 1×1 head. The skips e1 (32×32×8) and e2 (16×16×16) stay live from the encoder to the decoder: long idle ranges.
 */
public final class UNet {
    private UNet() {}

    public static Graph build() {
        GraphBuilder b = new GraphBuilder("tiny-unet", 16);
        GraphBuilder.Ref x = b.input("image", DType.INT8, 1, 32, 32, 3);
        GraphBuilder.Ref e1 = b.conv2d(x, 8, 3, 1, SAME, RELU);
        GraphBuilder.Ref e1b = b.conv2d(e1, 8, 3, 1, SAME, RELU);
        GraphBuilder.Ref p1 = b.maxPool(e1b, 2, 2, SAME);
        GraphBuilder.Ref e2 = b.conv2d(p1, 16, 3, 1, SAME, RELU);
        GraphBuilder.Ref e2b = b.conv2d(e2, 16, 3, 1, SAME, RELU);
        GraphBuilder.Ref p2 = b.maxPool(e2b, 2, 2, SAME);
        GraphBuilder.Ref m = b.conv2d(p2, 32, 3, 1, SAME, RELU);
        GraphBuilder.Ref m2 = b.conv2d(m, 32, 3, 1, SAME, RELU);
        GraphBuilder.Ref u2 = b.upsampleNearest(m2, 2);
        GraphBuilder.Ref c2 = b.concatenation(3, NONE, u2, e2b);
        GraphBuilder.Ref d2 = b.conv2d(c2, 16, 3, 1, SAME, RELU);
        GraphBuilder.Ref u1 = b.upsampleNearest(d2, 2);
        GraphBuilder.Ref c1 = b.concatenation(3, NONE, u1, e1b);
        GraphBuilder.Ref d1 = b.conv2d(c1, 8, 3, 1, SAME, RELU);
        b.output(b.conv2d(d1, 2, 1, 1, SAME, NONE));
        return b.build();
    }
}
