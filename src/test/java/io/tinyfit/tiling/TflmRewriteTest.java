package io.tinyfit.tiling;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TflmRewriteTest {
    /** input → conv 3x3 SAME → depthwise 3x3 SAME → conv 1x1 (the path is the three operators). */
    static Graph small() {
        GraphBuilder b = new GraphBuilder("rewrite-small", 11);
        Ref x = b.input("x", DType.INT8, 1, 12, 10, 3);
        Ref c = b.conv2d(x, 8, 3, 1, Padding.SAME, Activation.RELU6);
        Ref d = b.depthwiseConv2d(c, 1, 3, 1, Padding.SAME, Activation.RELU6);
        Ref o = b.conv2d(d, 4, 1, 1, Padding.SAME, Activation.NONE);
        return b.output(o).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void bandsOfAConvDepthwiseConvChainAreBitExactStockOperators(int bands) {
        Graph g = small();
        TflmRewrite.Rewrite r = TflmRewrite.rewrite(g, new TflmRewrite.Path(0, 2, 0), bands).orElseThrow();
        assertThat(r.graph().ops()).extracting(op -> op.kind()).contains("SLICE", "CONCATENATION");
        // the band copies read the same weights: no new filter constants
        assertThat(r.graph().ops().stream().filter(op -> op.kind().equals("CONV_2D")).map(op -> op.input(1)).distinct().count()).isEqualTo(2);
        checked(g, r.graph());
    }

    @Test
    void stridedAndPaddedPathsKeepTheirPaddingWhereTheBandReadsTheSameRows() {
        GraphBuilder b = new GraphBuilder("rewrite-strided", 5);
        Ref x = b.input("x", DType.INT8, 1, 32, 16, 4);
        Ref p = b.pad(x, new int[][] {{0, 0}, {0, 1}, {0, 1}, {0, 0}});
        Ref d = b.depthwiseConv2d(p, 1, 3, 2, Padding.VALID, Activation.RELU6);
        Ref c = b.conv2d(d, 6, 3, 2, Padding.SAME, Activation.RELU);
        Ref m = b.maxPool(c, 2, 2, Padding.VALID);
        Graph g = b.output(m).build();
        for (int bands : new int[] {2, 3, 4}) checked(g, TflmRewrite.rewrite(g, new TflmRewrite.Path(0, 3, 0), bands).orElseThrow().graph());
    }

    @Test
    void randomChainsRewriteBitExactOrAreRefused() {
        int rewritten = 0;
        for (long seed = 1; seed <= 25; seed++) {
            Graph g = TilingPropertiesTest.chain(new SplittableRandom(seed), seed);
            for (TflmRewrite.Path p : TflmRewrite.paths(g, 6)) {
                for (int bands = 2; bands <= 4; bands++) {
                    Optional<TflmRewrite.Rewrite> r = TflmRewrite.rewrite(g, p, bands);
                    if (r.isEmpty()) continue;
                    assertThat(new TflmRewrite.Reference(g).matches(r.get().graph())).as(g.source() + " " + r.get().description()).isTrue();
                    rewritten++;
                }
            }
        }
        assertThat(rewritten).isGreaterThan(20);
    }

    @Test
    void pathsAreTheRowSplittableRunsOfCopyableOperators() {
        assertThat(TflmRewrite.paths(small(), 8)).extracting(TflmRewrite.Path::first, TflmRewrite.Path::last).contains(org.assertj.core.groups.Tuple.tuple(0, 2));
    }

    /** Paths of a shared model around its peak (mcunet's have explicit PAD operators): bit-exact, lint-clean, round-trip. */
    @ParameterizedTest
    @ValueSource(strings = {"mlperf_vww_mobilenet_v1_int8", "mcunet_vww_int8"})
    void sharedModelPathsAroundThePeakRewriteBitExact(String name) {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
        int peak = TflmRewrite.peakPosition(g);
        List<TflmRewrite.Path> around = TflmRewrite.paths(g, 6).stream().filter(p -> p.length() >= 2 && p.first() <= peak && peak <= p.last()).limit(3).toList();
        assertThat(around).as(name + ": paths around the peak").isNotEmpty();
        boolean padded = false;
        for (TflmRewrite.Path p : around) {
            TflmRewrite.Rewrite r = TflmRewrite.rewrite(g, p, 3).orElseThrow();
            padded |= r.graph().ops().stream().anyMatch(op -> op.kind().equals("PAD"));
            checked(g, r.graph());
        }
        if (name.startsWith("mcunet")) assertThat(padded).as("a path with an explicit PAD, or a band that needed one").isTrue();
    }

    /** Bit-exact with the original, clean under TFLM's load-time lint, and the same model after a write and read. */
    static void checked(Graph original, Graph rewritten) {
        assertThat(new TflmRewrite.Reference(original).matches(rewritten)).as("bit-exact").isTrue();
        byte[] bytes = ModelWriter.toBytes(rewritten);
        TflmLint.Report lint = TflmLint.check(bytes, "rewritten");
        assertThat(lint.passed()).as(lint.describe()).isTrue();
        Graph back = ModelReader.read(bytes, "rewritten");
        assertThat(back.ops()).hasSameSizeAs(rewritten.ops());
        assertThat(back.tensors()).hasSameSizeAs(rewritten.tensors());
        for (int i = 0; i < back.ops().size(); i++) {
            assertThat(back.ops().get(i).kind()).isEqualTo(rewritten.ops().get(i).kind());
            assertThat(back.ops().get(i).inputs()).isEqualTo(rewritten.ops().get(i).inputs());
            assertThat(back.ops().get(i).options()).isEqualTo(rewritten.ops().get(i).options());
        }
        assertThat(ModelWriter.toBytes(back)).isEqualTo(bytes);
        assertThat(new TflmRewrite.Reference(original).matches(back)).as("bit-exact after the round trip").isTrue();
    }
}
