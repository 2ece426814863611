package io.tinyfit.model;

import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GraphBuilderTest {

    @Test
    void shapesFollowTheOperatorsSemantics() {
        Graph g = TestModels.everyOp(DType.INT8);
        assertThat(kinds(g)).containsExactly("PAD", "CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "ADD", "MAX_POOL_2D",
                "AVERAGE_POOL_2D", "CONCATENATION", "MEAN", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX");
        int[][] expected = {{1, 14, 14, 3}, {1, 12, 12, 8}, {1, 12, 12, 16}, {1, 12, 12, 8}, {1, 12, 12, 8}, {1, 6, 6, 8},
                {1, 6, 6, 8}, {1, 6, 6, 16}, {1, 1, 1, 16}, {1, 16}, {1, 5}, {1, 5}};
        for (int i = 0; i < expected.length; i++) {
            assertThat(out(g, i).shape()).as(g.ops().get(i).toString()).isEqualTo(Shape.of(expected[i]));
        }
        assertThat(g.tensor(g.ops().get(1).input(1)).shape()).isEqualTo(Shape.of(8, 3, 3, 3));
        assertThat(g.tensor(g.ops().get(2).input(1)).shape()).isEqualTo(Shape.of(1, 3, 3, 16));
        assertThat(g.tensor(g.ops().get(10).input(1)).shape()).isEqualTo(Shape.of(5, 16));
        assertThat(g.tensor(g.ops().get(0).input(1)).data().toIntArray()).containsExactly(0, 0, 1, 1, 1, 1, 0, 0);
        assertThat(g.tensor(g.ops().get(9).input(1)).data().toIntArray()).containsExactly(1, 16);
    }

    @Test
    void stridesPaddingAndDilationGiveTfliteOutputSizes() {
        GraphBuilder b = new GraphBuilder("sizes", 1);
        Ref x = b.input("x", DType.FLOAT32, 1, 15, 16, 2);
        assertThat(b.shape(b.conv2d(x, 4, 3, 2, Padding.SAME, Activation.NONE))).isEqualTo(Shape.of(1, 8, 8, 4));
        assertThat(b.shape(b.conv2d(x, 4, 3, 2, Padding.VALID, Activation.NONE))).isEqualTo(Shape.of(1, 7, 7, 4));
        assertThat(b.shape(b.conv2d(x, 4, 3, 3, 1, 1, Padding.VALID, 2, 2, Activation.NONE))).isEqualTo(Shape.of(1, 11, 12, 4));
        assertThat(b.shape(b.depthwiseConv2d(x, 3, 5, 2, Padding.SAME, Activation.RELU))).isEqualTo(Shape.of(1, 8, 8, 6));
        assertThat(b.shape(b.averagePool(x, 3, 3, Padding.VALID))).isEqualTo(Shape.of(1, 5, 5, 2));
        assertThat(b.shape(b.maxPool(x, 2, 2, Padding.SAME))).isEqualTo(Shape.of(1, 8, 8, 2));
        assertThat(b.shape(b.mean(x, new int[] {-3, -2}, false))).isEqualTo(Shape.of(1, 2));
        assertThat(b.shape(b.fullyConnected(x, 7, Activation.NONE))).isEqualTo(Shape.of(240, 7));
    }

    @Test
    void float32ModelsHaveFloatWeightsAndNoQuantization() {
        Graph g = TestModels.everyOp(DType.FLOAT32);
        for (Tensor t : g.tensors()) {
            assertThat(t.quantization()).as(t.label()).isNull();
            assertThat(t.dtype()).as(t.label()).isIn(DType.FLOAT32, DType.INT32);
            if (t.dtype() == DType.INT32) assertThat(t.isConstant()).as("only shape operands are int32: " + t.label()).isTrue();
        }
        Tensor w = g.tensor(g.ops().get(1).input(1));
        double sumSq = 0;
        for (int i = 0; i < 8 * 27; i++) sumSq += w.data().f32At(4 * i) * w.data().f32At(4 * i);
        // He-style initialisation: std close to sqrt(2 / fanIn), varied per channel by at most a factor 0.6..1.4.
        assertThat(Math.sqrt(sumSq / (8 * 27))).isBetween(0.5 * Math.sqrt(2.0 / 27), 1.5 * Math.sqrt(2.0 / 27));
        // Float kernels are all version 1, except a dilated depthwise conv (TFLite's op_version: version 2).
        for (OpCode c : g.opcodes()) assertThat(c.version()).as(c.toString()).isEqualTo(c.builtinCode() == 4 ? 2 : 1);
    }

    @Test
    void graphHasOneOpcodePerKindBufferSentinelAndVersion3() {
        Graph g = TestModels.everyOp(DType.INT8);
        assertThat(g.version()).isEqualTo(3);
        assertThat(g.buffers().get(0).isEmpty()).isTrue();
        assertThat(g.source()).isEqualTo("every-op-int8");
        Map<String, Integer> versions = Map.of("CONV_2D", 3, "DEPTHWISE_CONV_2D", 3, "FULLY_CONNECTED", 4, "ADD", 2,
                "AVERAGE_POOL_2D", 2, "MAX_POOL_2D", 2, "RESHAPE", 1, "SOFTMAX", 2, "CONCATENATION", 2, "PAD", 2);
        Set<Integer> codes = new HashSet<>();
        for (Op op : g.ops()) {
            OpCode c = g.opcodes().get(op.opcodeIndex());
            assertThat(c.builtinCode()).as(op.kind()).isEqualTo(GraphBuilder.BUILTIN_CODES.get(op.kind()));
            if (versions.containsKey(op.kind())) assertThat(c.version()).as(op.kind()).isEqualTo(versions.get(op.kind()));
            codes.add(c.builtinCode());
        }
        assertThat(g.opcodes()).hasSize(codes.size());
        for (Tensor t : g.tensors()) {
            assertThat(t.isConstant()).as(t.label()).isEqualTo(t.buffer() != 0);
            if (t.isConstant()) assertThat((long) t.data().length()).as(t.label()).isEqualTo(t.bytes());
        }
    }

    @Test
    void int8QuantizationIsValid() {
        for (Graph g : List.of(TestModels.everyOp(DType.INT8), DefaultModels.mobileNetV2Style())) assertValidInt8(g);
    }

    @Test
    void defaultModelIsAMobileNetV2() {
        Graph g = DefaultModels.mobileNetV2Style();
        assertThat(g.source()).isEqualTo("default:mobilenetv2-96");
        assertThat(g.ops()).hasSize(46);
        assertThat(g.inputs()).hasSize(1);
        Tensor in = g.tensor(g.inputs().get(0));
        assertThat(in.dtype()).isEqualTo(DType.INT8);
        assertThat(in.shape()).isEqualTo(Shape.of(1, 96, 96, 3));
        assertThat(g.tensor(g.outputs().get(0)).shape()).isEqualTo(Shape.of(1, 10));
        List<String> kinds = kinds(g);
        assertThat(kinds.get(0)).isEqualTo("CONV_2D");
        assertThat(kinds.subList(kinds.size() - 3, kinds.size())).containsExactly("MEAN", "FULLY_CONNECTED", "SOFTMAX");
        assertThat(kinds.stream().filter("ADD"::equals).count()).isEqualTo(6);
        assertThat(kinds.stream().filter("DEPTHWISE_CONV_2D"::equals).count()).isEqualTo(12);
        assertThat(out(g, 0).shape()).isEqualTo(Shape.of(1, 48, 48, 16));
        long largest = g.tensors().stream().filter(t -> !t.isConstant()).mapToLong(Tensor::bytes).max().orElseThrow();
        assertThat(largest).isEqualTo(48 * 48 * 48);
        for (Op op : g.ops()) {
            if (op.kind().equals("ADD")) {
                Tensor a = g.tensor(op.input(0));
                assertThat(g.tensor(op.input(1)).shape()).isEqualTo(a.shape());
            }
        }
    }

    @Test
    void buildsAreDeterministicAndSeedDependent() {
        assertThat(DefaultModels.mobileNetV2Style()).isEqualTo(DefaultModels.mobileNetV2Style());
        assertThat(TestModels.everyOp(DType.FLOAT32)).isEqualTo(TestModels.everyOp(DType.FLOAT32));
        assertThat(conv(1).buffers()).isNotEqualTo(conv(2).buffers());
        GraphBuilder b = new GraphBuilder("twice", 1);
        b.output(b.softmax(b.input("x", DType.INT8, 1, 4)));
        assertThat(b.build()).isEqualTo(b.build());
    }

    /** A real forward pass on a random image: every int8 activation spans many steps and almost never clips. */
    @Test
    void activationScalesNeitherSaturateNorVanish() {
        Graph g = DefaultModels.mobileNetV2Style();
        Random rng = new Random(5);
        double[] image = new double[96 * 96 * 3];
        for (int i = 0; i < image.length; i++) image[i] = (rng.nextInt(256) - 128) / 128.0;
        Map<Integer, double[]> values = FloatReference.run(g, image);
        for (Op op : g.ops()) {
            Tensor t = out(g, g.ops().indexOf(op));
            double s = t.quant().scale();
            double lo = s * (-128 - t.quant().zeroPoint()) - s / 2;
            double hi = s * (127 - t.quant().zeroPoint()) + s / 2;
            double[] v = values.get(t.id());
            long clipped = java.util.Arrays.stream(v).filter(x -> x < lo || x > hi).count();
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow());
            assertThat((double) clipped / v.length).as("fraction of %s outside its int8 range", t.label()).isLessThan(0.001);
            assertThat(sd / s).as("spread of %s in quantisation steps", t.label()).isGreaterThan(8);
        }
    }

    @Test
    void concatenationRequantisesUnusedInputsToOneScale() {
        GraphBuilder b = new GraphBuilder("concat", 3);
        Ref x = b.input("x", DType.INT8, 1, 4, 4, 3);
        Ref narrow = b.conv2d(x, 2, 1, 1, Padding.SAME, Activation.RELU6);
        Ref wide = b.conv2d(x, 3, 3, 1, Padding.SAME, Activation.NONE);
        assertThat(b.quantization(narrow)).isNotEqualTo(b.quantization(wide));
        Quantization before = b.quantization(wide);
        Ref cat = b.concatenation(-1, Activation.NONE, narrow, wide);
        assertThat(b.shape(cat)).isEqualTo(Shape.of(1, 4, 4, 5));
        assertThat(b.quantization(narrow)).isEqualTo(b.quantization(cat));
        assertThat(b.quantization(wide)).isEqualTo(b.quantization(cat));
        // The union of [0, 6] and the wide range: at least as wide as each.
        assertThat(b.quantization(cat).scale()).isGreaterThanOrEqualTo(before.scale());
        assertThat(b.quantization(cat).scale() * 255).isGreaterThanOrEqualTo(6f);

        assertThatThrownBy(() -> b.concatenation(3, Activation.NONE, x, narrow))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("graph input or already used");
    }

    @Test
    void invalidCallsAreRefused() {
        GraphBuilder b = new GraphBuilder("bad", 1);
        Ref x = b.input("x", DType.INT8, 1, 4, 4, 3);
        assertThatThrownBy(() -> b.conv2d(x, 2, 5, 1, Padding.VALID, Activation.NONE)).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> b.reshape(x, 5, -1)).hasMessageContaining("element count");
        assertThatThrownBy(() -> b.add(x, b.conv2d(x, 2, 1, 1, Padding.SAME, Activation.NONE), Activation.NONE))
                .hasMessageContaining("equal shapes");
        assertThatThrownBy(() -> b.input("y", DType.INT8, new int[] {1, 2}, Quantization.perTensor(0.1f, 200)))
                .hasMessageContaining("zero point 200");
        assertThatThrownBy(() -> b.input("z", DType.INT16, 1, 2)).hasMessageContaining("not int16");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("bad: graph has no output");
    }

    static void assertValidInt8(Graph g) {
        for (Op op : g.ops()) {
            Tensor in = g.tensor(op.input(0));
            Tensor out = g.tensor(op.output(0));
            assertPerTensorInt8(in);
            assertPerTensorInt8(out);
            String where = g.source() + " " + op.kind() + " " + out.label();
            switch (op.kind()) {
                case "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED" -> {
                    Tensor w = g.tensor(op.input(1));
                    Tensor bias = g.tensor(op.input(2));
                    int channels = out.shape().fromEnd(1);
                    boolean perChannel = !op.kind().equals("FULLY_CONNECTED");
                    assertThat(w.dtype()).as(where).isEqualTo(DType.INT8);
                    assertThat(bias.dtype()).as(where).isEqualTo(DType.INT32);
                    assertThat(bias.shape()).as(where).isEqualTo(Shape.of(channels));
                    Quantization wq = w.quant();
                    assertThat(wq.channels()).as(where).isEqualTo(perChannel ? channels : 1);
                    assertThat(wq.quantizedDimension()).as(where).isEqualTo(op.kind().equals("DEPTHWISE_CONV_2D") ? 3 : 0);
                    assertThat(wq.zeroPoints()).as(where).containsOnly(0L);
                    assertThat(bias.quant().zeroPoints()).as(where).containsOnly(0L);
                    assertThat(bias.quant().quantizedDimension()).as(where).isZero();
                    assertThat(bias.quant().channels()).as(where).isEqualTo(wq.channels());
                    for (int c = 0; c < wq.channels(); c++) {
                        double expected = (double) in.quant().scale() * wq.scale(c);
                        assertThat((double) bias.quant().scale(c)).as(where + " bias scale " + c).isCloseTo(expected, within(expected * 1e-6));
                    }
                    // Symmetric weights use the full [-127, 127] range in every channel and never -128.
                    int[] maxAbs = new int[wq.channels()];
                    int[] dims = w.shape().toArray();
                    int inner = 1;
                    for (int d = wq.quantizedDimension() + 1; d < dims.length; d++) inner *= dims[d];
                    for (int i = 0; i < w.data().length(); i++) {
                        int q = w.data().i8(i);
                        assertThat(q).as(where).isNotEqualTo(-128);
                        int c = perChannel ? (i / inner) % dims[wq.quantizedDimension()] : 0;
                        maxAbs[c] = Math.max(maxAbs[c], Math.abs(q));
                    }
                    assertThat(maxAbs).as(where).containsOnly(127);
                    int act = op.options().getInt("fusedActivationFunction");
                    if (act == 1 || act == 3) assertThat(out.quant().zeroPoint()).as(where).isEqualTo(-128);
                    if (act == 3) assertThat(out.quant().scale()).as(where).isLessThanOrEqualTo(6f / 255 * 1.0001f);
                }
                case "SOFTMAX" -> assertThat(out.quantization()).as(where).isEqualTo(Quantization.perTensor(1f / 256, -128));
                case "ADD" -> {
                    assertPerTensorInt8(g.tensor(op.input(1)));
                    assertThat(out.quantization()).as(where).isNotEqualTo(in.quantization()).isNotEqualTo(g.tensor(op.input(1)).quantization());
                }
                default -> assertThat(out.quantization()).as(where + " keeps its input's quantization").isEqualTo(in.quantization());
            }
        }
    }

    private static void assertPerTensorInt8(Tensor t) {
        assertThat(t.dtype()).as(t.label()).isEqualTo(DType.INT8);
        assertThat(t.quant().channels()).as(t.label()).isEqualTo(1);
        assertThat(t.quant().scale()).as(t.label()).isPositive();
        assertThat(t.quant().zeroPoint()).as(t.label()).isBetween(-128, 127);
    }

    private static Graph conv(long seed) {
        GraphBuilder b = new GraphBuilder("conv", seed);
        return b.output(b.conv2d(b.input("x", DType.INT8, 1, 4, 4, 3), 4, 3, 1, Padding.SAME, Activation.RELU)).build();
    }

    private static Tensor out(Graph g, int op) { return g.tensor(g.ops().get(op).output(0)); }

    private static List<String> kinds(Graph g) {
        List<String> k = new ArrayList<>();
        for (Op op : g.ops()) k.add(op.kind());
        return k;
    }
}
