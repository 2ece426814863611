package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.tinyfit.kernels.Window.SAME;
import static io.tinyfit.kernels.Window.VALID;
import static io.tinyfit.testing.LittleEndian.i32;
import static io.tinyfit.testing.LittleEndian.i8;
import static io.tinyfit.kernels.OneOpModel.q;
import static io.tinyfit.kernels.QuantizedMath.ACT_NONE;
import static io.tinyfit.kernels.QuantizedMath.ACT_RELU;
import static io.tinyfit.kernels.QuantizedMath.ACT_RELU6;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uint8 (legacy TFLite) paths against their int8 twin: every uint8 tensor's zero point shifted by -128 and
 * its bytes XOR 0x80, same scales. Since {@code q_u8 - zp_u8 == q_i8 - zp_i8}, the twin's outputs, shifted back,
 * must be identical wherever the two kernels compute the same function, which holds when
 * <ul>
 *   <li>FULLY_CONNECTED: always (both per-tensor, both apply the weight zero point, both take the multiplier of
 *       {@code GetQuantizedConvolutionMultipler});</li>
 *   <li>CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV: the uint8 weights are symmetric (zero point 128, so the twin's
 *       is 0: TFLM's int8 per-channel kernels ignore the weight zero point) and {@code input_scale * filter_scale}
 *       is exact in float (TFLite's uint8 path multiplies the two scales in float, TFLM's per-channel int8 path in
 *       double, so otherwise the Q31 multipliers differ in their low bits and an output can differ by one).</li>
 * </ul>
 * The cases below meet these conditions with random data, several shapes, strides, paddings, dilations and
 * activations; {@link #conditionsMatter()} shows that they are needed (the coral models do not meet them: their
 * uint8 weights are asymmetric).
 */
class Uint8TwinTest {

    /** The int8 twin of a model: uint8 tensors become int8, zero points - 128, constant bytes XOR 0x80. */
    static Graph twin(Graph g) {
        List<ConstData> buffers = new ArrayList<>(g.buffers());
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : g.tensors()) {
            if (t.dtype() != DType.UINT8) { tensors.add(t); continue; }
            Tensor x = t.withDType(DType.INT8).withQuantization(t.quant().shiftZeroPoints(-128));
            if (t.isConstant()) {
                byte[] b = flip(t.data().toByteArray());
                buffers.add(ConstData.copyOf(b));
                x = x.withData(buffers.size() - 1, ConstData.copyOf(b));
            }
            tensors.add(x);
        }
        Subgraph main = g.main().withTensors(tensors);
        Graph withMain = g.withMain(main);
        return new Graph(g.source() + " (int8 twin)", g.version(), g.description(), g.opcodes(), withMain.subgraphs(), buffers,
                g.metadata(), g.signatureDefs(), g.metadataBuffer());
    }

    static byte[] flip(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) out[i] ^= (byte) 0x80;
        return out;
    }

    static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Random uint8 weights around the zero point {@code zp} (all 256 codes when zp is 128). */
    static byte[] weights(SplittableRandom r, int n) { return random(r, n); }

    static int[] biases(SplittableRandom r, int n, int bound) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) b[i] = r.nextInt(-bound, bound);
        return b;
    }

    static void assertTwinIdentical(Graph g, byte[] input) {
        byte[] u8 = OneOpModel.run(g, input).get(0);
        byte[] s8 = OneOpModel.run(twin(g), flip(input)).get(0);
        assertThat(OneOpModel.toU8(flip(s8))).as(g.source()).containsExactly(OneOpModel.toU8(u8));
    }

    // input scale x a power-of-two filter scale is exact in float and in double
    static final float IN_SCALE = 0.0235294122f, FILTER_SCALE = 0.00390625f, OUT_SCALE = 0.0470588244f;

    @Test
    void conv2dTwinIsIdentical() {
        SplittableRandom r = new SplittableRandom(1);
        int[][] cases = { // n, h, w, cin, cout, kh, kw, stride h, stride w, dil h, dil w, padding, activation, groups
                {1, 9, 9, 3, 4, 3, 3, 1, 1, 1, 1, SAME, ACT_RELU6, 1},
                {2, 8, 7, 4, 6, 3, 2, 2, 1, 1, 1, VALID, ACT_NONE, 2},
                {1, 10, 10, 2, 3, 3, 3, 1, 2, 2, 1, SAME, ACT_RELU, 1},
                {1, 7, 7, 5, 2, 1, 1, 2, 2, 1, 1, VALID, ACT_RELU6, 1},
        };
        for (int[] c : cases) {
            int n = c[0], h = c[1], w = c[2], cin = c[3], cout = c[4], kh = c[5], kw = c[6], groups = c[13];
            int oh = Window.Axis.outSize(c[11], h, kh, c[7], c[9]);
            int ow = Window.Axis.outSize(c[11], w, kw, c[8], c[10]);
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.UINT8, new int[] {n, h, w, cin}, q(IN_SCALE, 117));
            int f = m.constant("f", DType.UINT8, new int[] {cout, kh, kw, cin / groups}, q(FILTER_SCALE, 128), weights(r, cout * kh * kw * cin / groups));
            int b = m.constant("b", DType.INT32, new int[] {cout}, q(IN_SCALE * FILTER_SCALE, 0), i32(biases(r, cout, 3000)));
            int out = m.output("out", DType.UINT8, new int[] {n, oh, ow, cout}, q(OUT_SCALE, 131));
            Graph g = m.build("CONV_2D", OneOpModel.conv(c[11], c[7], c[8], c[9], c[10], c[12]), List.of(in, f, b), out);
            assertTwinIdentical(g, random(r, n * h * w * cin));
        }
    }

    @Test
    void depthwiseTwinIsIdentical() {
        SplittableRandom r = new SplittableRandom(2);
        int[][] cases = { // n, h, w, cin, multiplier, kh, kw, stride h, stride w, dil h, dil w, padding, activation
                {1, 9, 9, 4, 1, 3, 3, 1, 1, 1, 1, SAME, ACT_RELU6},
                {2, 8, 7, 3, 2, 3, 3, 2, 2, 1, 1, SAME, ACT_NONE},
                {1, 11, 10, 2, 3, 2, 3, 1, 2, 2, 1, VALID, ACT_RELU},
        };
        for (int[] c : cases) {
            int n = c[0], h = c[1], w = c[2], cin = c[3], cout = cin * c[4], kh = c[5], kw = c[6];
            int oh = Window.Axis.outSize(c[11], h, kh, c[7], c[9]);
            int ow = Window.Axis.outSize(c[11], w, kw, c[8], c[10]);
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.UINT8, new int[] {n, h, w, cin}, q(IN_SCALE, 0));
            int f = m.constant("f", DType.UINT8, new int[] {1, kh, kw, cout}, q(FILTER_SCALE, 128), weights(r, kh * kw * cout));
            int b = m.constant("b", DType.INT32, new int[] {cout}, q(IN_SCALE * FILTER_SCALE, 0), i32(biases(r, cout, 3000)));
            int out = m.output("out", DType.UINT8, new int[] {n, oh, ow, cout}, q(OUT_SCALE, 0));
            Graph g = m.build("DEPTHWISE_CONV_2D", OneOpModel.depthwise(c[11], c[7], c[8], c[9], c[10], c[4], c[12]), List.of(in, f, b), out);
            assertTwinIdentical(g, random(r, n * h * w * cin));
        }
    }

    /** FULLY_CONNECTED: asymmetric weights and arbitrary scales, since both paths are per-tensor and identical. */
    @Test
    void fullyConnectedTwinIsIdenticalEvenWithAsymmetricWeights() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] cases = {{1, 64, 10, 131, ACT_NONE}, {3, 17, 5, 90, ACT_RELU}, {2, 40, 8, 200, ACT_RELU6}}; // rows, depth, units, weight zp, act
        for (int[] c : cases) {
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.UINT8, new int[] {c[0], c[1]}, q(0.0312f, 121));
            int f = m.constant("f", DType.UINT8, new int[] {c[2], c[1]}, q(0.00731f, c[3]), weights(r, c[2] * c[1]));
            int b = m.constant("b", DType.INT32, new int[] {c[2]}, q(0.0312f * 0.00731f, 0), i32(biases(r, c[2], 5000)));
            int out = m.output("out", DType.UINT8, new int[] {c[0], c[2]}, q(0.1739f, 97));
            Graph g = m.build("FULLY_CONNECTED", OneOpModel.fc(c[4], false, false), List.of(in, f, b), out);
            assertTwinIdentical(g, random(r, c[0] * c[1]));
        }
    }

    @Test
    void transposeConvTwinIsIdentical() {
        SplittableRandom r = new SplittableRandom(4);
        int[][] cases = {{1, 4, 4, 3, 5, 3, 2, SAME}, {2, 3, 5, 2, 3, 2, 3, VALID}}; // n, h, w, cin, cout, k, stride, padding
        for (int[] c : cases) {
            int n = c[0], h = c[1], w = c[2], cin = c[3], cout = c[4], k = c[5], s = c[6];
            int oh = c[7] == SAME ? h * s : (h - 1) * s + k;
            int ow = c[7] == SAME ? w * s : (w - 1) * s + k;
            OneOpModel m = new OneOpModel();
            int shape = m.constant("shape", DType.INT32, new int[] {4}, null, i32(n, oh, ow, cout));
            int f = m.constant("f", DType.UINT8, new int[] {cout, k, k, cin}, q(FILTER_SCALE, 128), weights(r, cout * k * k * cin));
            int in = m.input("in", DType.UINT8, new int[] {n, h, w, cin}, q(IN_SCALE, 140));
            int b = m.constant("b", DType.INT32, new int[] {cout}, q(IN_SCALE * FILTER_SCALE, 0), i32(biases(r, cout, 3000)));
            int out = m.output("out", DType.UINT8, new int[] {n, oh, ow, cout}, q(OUT_SCALE, 120));
            Graph g = m.build("TRANSPOSE_CONV", OneOpModel.transposeConv(c[7], s, s, ACT_NONE), List.of(shape, f, in, b), out);
            assertTwinIdentical(g, random(r, n * h * w * cin));
        }
    }

    /**
     * Why the conditions above: with asymmetric uint8 weights the twin's int8 weights have a non-zero zero point,
     * which TFLM's int8 CONV_2D ignores (the int8 spec makes weights symmetric), so the twin is a different function.
     */
    @Test
    void conditionsMatter() {
        SplittableRandom r = new SplittableRandom(5);
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.UINT8, new int[] {1, 5, 5, 3}, q(IN_SCALE, 117));
        int f = m.constant("f", DType.UINT8, new int[] {4, 3, 3, 3}, q(FILTER_SCALE, 150), weights(r, 4 * 27));
        int out = m.output("out", DType.UINT8, new int[] {1, 3, 3, 4}, q(OUT_SCALE, 131));
        Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE), List.of(in, f, -1), out);
        byte[] x = random(r, 75);
        byte[] u8 = OneOpModel.run(g, x).get(0);
        byte[] s8 = OneOpModel.run(twin(g), flip(x)).get(0);
        assertThat(flip(s8)).isNotEqualTo(u8);
    }

    /** TFLM's int8 CONV_2D ignores a weight zero point (ConvPerChannel has no weights_offset): results as with 0. */
    @Test
    void int8ConvIgnoresTheWeightZeroPointLikeTflm() {
        byte[][] outs = new byte[2][];
        for (int zp = 0; zp < 2; zp++) {
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.INT8, new int[] {1, 1, 1, 2}, q(0.5f, 0));
            int f = m.constant("f", DType.INT8, new int[] {1, 1, 1, 2}, Quantization.perChannel(new float[] {0.5f}, new long[] {zp * 7}, 0), i8(3, -5));
            int out = m.output("out", DType.INT8, new int[] {1, 1, 1, 1}, q(0.25f, 0));
            Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE), List.of(in, f, -1), out);
            outs[zp] = OneOpModel.run(g, i8(4, 2)).get(0);
        }
        assertThat(outs[1]).isEqualTo(outs[0]).containsExactly(2); // acc 3*4 - 5*2 = 2, multiplier 0.5*0.5/0.25 = 1
    }
}
