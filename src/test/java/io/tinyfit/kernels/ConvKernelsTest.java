package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tinyfit.kernels.Window.SAME;
import static io.tinyfit.kernels.Window.VALID;
import static io.tinyfit.testing.LittleEndian.f32;
import static io.tinyfit.testing.LittleEndian.i16;
import static io.tinyfit.testing.LittleEndian.i32;
import static io.tinyfit.testing.LittleEndian.i64;
import static io.tinyfit.testing.LittleEndian.i8;
import static io.tinyfit.kernels.OneOpModel.perChannel;
import static io.tinyfit.kernels.OneOpModel.q;
import static io.tinyfit.kernels.OneOpModel.toF32;
import static io.tinyfit.kernels.OneOpModel.toI16;
import static io.tinyfit.kernels.OneOpModel.toI8;
import static io.tinyfit.kernels.QuantizedMath.ACT_NONE;
import static io.tinyfit.kernels.QuantizedMath.ACT_RELU;
import static io.tinyfit.kernels.QuantizedMath.ACT_RELU6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Small cases with hand-computed results for the conv family. Float cases use TFLM's and TFLite's own kernel test
 * vectors ({@code conv_test.cc}, {@code depthwise_conv_test.cc}, {@code fully_connected_test.cc},
 * {@code transpose_conv_test.cc}); quantised cases use the same numbers with power-of-two scales, so that every
 * requantisation is exact and the expected integers follow by hand (derivations in the comments).
 */
class ConvKernelsTest {

    // ---- CONV_2D -------------------------------------------------------------------------------------------

    /** TFLM conv_test.cc SimpleTestFloat: 2x2x4x1 input, three 2x2 filters, stride 2, VALID. */
    static final float[] CONV_IN = {1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4};
    static final float[] CONV_FILTER = {1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1};
    static final float[] CONV_BIAS = {1, 2, 3};
    static final float[] CONV_GOLDEN = {18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3};

    @Test
    void convFloatMatchesTflmSimpleTest() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {2, 2, 4, 1}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {3, 2, 2, 1}, null, f32(CONV_FILTER));
        int b = m.constant("b", DType.FLOAT32, new int[] {3}, null, f32(CONV_BIAS));
        int out = m.output("out", DType.FLOAT32, new int[] {2, 1, 2, 3}, null);
        Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 2, 2, 1, 1, ACT_NONE), List.of(in, f, b), out);
        assertThat(toF32(OneOpModel.run(g, f32(CONV_IN)).get(0))).containsExactly(CONV_GOLDEN);
    }

    /**
     * The same convolution in int8: input scale 0.5, zero point -1 (q = 2x - 1); per-channel filter scales 1/16,
     * 1/64, 1/64 (q = 16w, 64w, 64w); bias scale = input scale x filter scale (q = 32b, 128b, 128b); output scale 1,
     * zero point 3. Then acc = (2/s_c) * golden and the multipliers 1/32, 1/128 are exact powers of two, so the
     * output is golden + 3, and with RELU6 it is clamped to [3, 9].
     */
    @Test
    void convInt8PerChannelIsExactWithPowerOfTwoScales() {
        int[] qin = new int[CONV_IN.length];
        for (int i = 0; i < qin.length; i++) qin[i] = (int) (2 * CONV_IN[i]) - 1;
        int[] qf = new int[CONV_FILTER.length];
        float[] fs = {1f / 16, 1f / 64, 1f / 64};
        for (int i = 0; i < qf.length; i++) qf[i] = (int) (CONV_FILTER[i] / fs[i / 4]);
        int[] qb = {32, 2 * 128, 3 * 128};
        for (int act : new int[] {ACT_NONE, ACT_RELU6}) {
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.INT8, new int[] {2, 2, 4, 1}, q(0.5f, -1));
            int f = m.constant("f", DType.INT8, new int[] {3, 2, 2, 1}, perChannel(0, fs), i8(qf));
            int b = m.constant("b", DType.INT32, new int[] {3}, perChannel(0, 0.5f / 16, 0.5f / 64, 0.5f / 64), i32(qb));
            int out = m.output("out", DType.INT8, new int[] {2, 1, 2, 3}, q(1f, 3));
            Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 2, 2, 1, 1, act), List.of(in, f, b), out);
            int[] want = new int[CONV_GOLDEN.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = (int) CONV_GOLDEN[i] + 3;
                if (act == ACT_RELU6) want[i] = Math.max(3, Math.min(9, want[i]));
            }
            assertThat(toI8(OneOpModel.run(g, i8(qin)).get(0))).containsExactly(want);
        }
    }

    /** TFLM conv_test.cc InputAndFilterSameWidthHeight: one 2x4 filter covering the whole 2x4 image, bias 0. */
    @Test
    void convFloatFilterAsLargeAsTheImage() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {2, 2, 4, 1}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {1, 2, 4, 1}, null, f32(1, 2, 3, 4, -1, -1, 1, 1));
        int b = m.constant("b", DType.FLOAT32, new int[] {1}, null, f32(0));
        int out = m.output("out", DType.FLOAT32, new int[] {2, 1, 1, 1}, null);
        Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 2, 2, 1, 1, ACT_NONE), List.of(in, f, b), out);
        assertThat(toF32(OneOpModel.run(g, f32(CONV_IN)).get(0))).containsExactly(10, 34);
    }

    /**
     * Dilation 2 with SAME padding on a 3x3 image of 1..9 and a 2x2 filter of ones: the effective filter is 3x3,
     * the padding 1 on each side, so output (y, x) sums the in-image pixels among (y-1+2i, x-1+2j), i, j in {0, 1}:
     * the centre sees the four corners 1+3+7+9 = 20, an edge centre two pixels (4+6 or 2+8), a corner only the 5.
     */
    @Test
    void convFloatDilationWithSamePadding() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {1, 3, 3, 1}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {1, 2, 2, 1}, null, f32(1, 1, 1, 1));
        int out = m.output("out", DType.FLOAT32, new int[] {1, 3, 3, 1}, null);
        Graph g = m.build("CONV_2D", OneOpModel.conv(SAME, 1, 1, 2, 2, ACT_NONE), List.of(in, f, -1), out);
        assertThat(toF32(OneOpModel.run(g, f32(1, 2, 3, 4, 5, 6, 7, 8, 9)).get(0))).containsExactly(5, 10, 5, 10, 20, 10, 5, 10, 5);
    }

    /**
     * Grouped convolution with an omitted bias: 4 input channels, filters of depth 2, so 2 groups; output channel 0
     * sees channels 0-1 (1*1 + 2*1 = 3), output channel 1 channels 2-3 (3*1 + 4*-1 = -1).
     */
    @Test
    void convFloatGroupedWithoutBias() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {1, 1, 1, 4}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {2, 1, 1, 2}, null, f32(1, 1, 1, -1));
        int out = m.output("out", DType.FLOAT32, new int[] {1, 1, 1, 2}, null);
        Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE), List.of(in, f, -1), out);
        assertThat(toF32(OneOpModel.run(g, f32(1, 2, 3, 4)).get(0))).containsExactly(3, -1);
    }

    /**
     * int16x8 CONV_2D chooses the accumulator by bias type, as TFLM does: int64 bias -> int64 accumulator and the
     * 16-bit-multiplier requantisation; int32 bias or none -> int32 and the Q31 requantisation. With effective scale
     * 1/3 (multiplier 1431655765, shift -1) and acc = 90002: Q31 gives round(round(90002 * m / 2^31) / 2) = 30001,
     * the int64 path (90002 * 21845 + 2^15) >> 16 = 30000.
     */
    @Test
    void int16ConvAndFullyConnectedPickTheAccumulatorByBiasType() {
        for (String kind : List.of("CONV_2D", "FULLY_CONNECTED")) {
            for (String bias : List.of("none", "int32", "int64")) {
                OneOpModel m = new OneOpModel();
                boolean conv = kind.equals("CONV_2D");
                int in = m.input("in", DType.INT16, conv ? new int[] {1, 1, 1, 3} : new int[] {1, 3}, q(1f, 0));
                int f = m.constant("f", DType.INT8, conv ? new int[] {1, 1, 1, 3} : new int[] {1, 3}, conv ? perChannel(0, 1f) : q(1f, 0), i8(1, 1, 1));
                int b = switch (bias) {
                    case "int32" -> m.constant("b", DType.INT32, new int[] {1}, q(1f, 0), i32(0));
                    case "int64" -> m.constant("b", DType.INT64, new int[] {1}, q(1f, 0), i64(0));
                    default -> -1;
                };
                int out = m.output("out", DType.INT16, conv ? new int[] {1, 1, 1, 1} : new int[] {1, 1}, q(3f, 0));
                Graph g = m.build(kind, conv ? OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE) : OneOpModel.fc(ACT_NONE, false, false),
                        List.of(in, f, b), out);
                int want = bias.equals("int64") ? 30000 : 30001;
                assertThat(toI16(OneOpModel.run(g, i16(30000, 30000, 30002)).get(0))).as(kind + " with bias " + bias).containsExactly(want);
            }
        }
    }

    // ---- DEPTHWISE_CONV_2D ---------------------------------------------------------------------------------

    /** TFLM/TFLite depthwise_conv_test.cc SimpleTest: 3x2 image of 2 channels, depth multiplier 2, VALID. */
    static final float[] DW_IN = {1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12};
    static final float[] DW_FILTER = {1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16};
    static final float[] DW_GOLDEN = {71, -34, 99, -20, 91, -26, 127, -4};

    @Test
    void depthwiseFloatMatchesTflmSimpleTest() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {1, 3, 2, 2}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {1, 2, 2, 4}, null, f32(DW_FILTER));
        int b = m.constant("b", DType.FLOAT32, new int[] {4}, null, f32(1, 2, 3, 4));
        int out = m.output("out", DType.FLOAT32, new int[] {1, 2, 1, 4}, null);
        Graph g = m.build("DEPTHWISE_CONV_2D", OneOpModel.depthwise(VALID, 1, 1, 1, 1, 2, ACT_NONE), List.of(in, f, b), out);
        assertThat(toF32(OneOpModel.run(g, f32(DW_IN)).get(0))).containsExactly(DW_GOLDEN);
    }

    /**
     * The same in int8: input scale 0.5 (q = 2x); filter scales 1/8, 1/8, 1/8, 1/4 along dimension 3; bias scale
     * input x filter; output scale 2, zero point -10. acc = 16 golden (8 golden on channel 3) and the multipliers
     * are 1/32 and 1/16, so the output is round(golden / 2) - 10, halves away from zero: 35.5 -> 36, 49.5 -> 50,
     * 45.5 -> 46, 63.5 -> 64.
     */
    @Test
    void depthwiseInt8PerChannelRoundsHalvesAwayFromZero() {
        float[] fs = {1f / 8, 1f / 8, 1f / 8, 1f / 4};
        int[] qin = new int[DW_IN.length];
        for (int i = 0; i < qin.length; i++) qin[i] = (int) (2 * DW_IN[i]);
        int[] qf = new int[DW_FILTER.length];
        for (int i = 0; i < qf.length; i++) qf[i] = (int) (DW_FILTER[i] / fs[i % 4]);
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.INT8, new int[] {1, 3, 2, 2}, q(0.5f, 0));
        int f = m.constant("f", DType.INT8, new int[] {1, 2, 2, 4}, perChannel(3, fs), i8(qf));
        int b = m.constant("b", DType.INT32, new int[] {4}, perChannel(0, 1f / 16, 1f / 16, 1f / 16, 1f / 8), i32(16, 32, 48, 32));
        int out = m.output("out", DType.INT8, new int[] {1, 2, 1, 4}, q(2f, -10));
        Graph g = m.build("DEPTHWISE_CONV_2D", OneOpModel.depthwise(VALID, 1, 1, 1, 1, 2, ACT_NONE), List.of(in, f, b), out);
        assertThat(toI8(OneOpModel.run(g, i8(qin)).get(0))).containsExactly(26, -27, 40, -20, 36, -23, 54, -12);
    }

    // ---- FULLY_CONNECTED -----------------------------------------------------------------------------------

    /** TFLM fully_connected_test.cc SimpleTest: 2 rows of 10, 3 units of weights 1..10, bias 1, 2, 3. */
    @Test
    void fullyConnectedFloatMatchesTflmSimpleTest() {
        float[] w = new float[30];
        for (int i = 0; i < 30; i++) w[i] = i % 10 + 1;
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {2, 10}, null);
        int f = m.constant("f", DType.FLOAT32, new int[] {3, 10}, null, f32(w));
        int b = m.constant("b", DType.FLOAT32, new int[] {3}, null, f32(1, 2, 3));
        int out = m.output("out", DType.FLOAT32, new int[] {2, 3}, null);
        Graph g = m.build("FULLY_CONNECTED", OneOpModel.fc(ACT_NONE, false, false), List.of(in, f, b), out);
        byte[] x = f32(1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10);
        assertThat(toF32(OneOpModel.run(g, x).get(0))).containsExactly(24, 25, 26, 58, 59, 60);
    }

    /**
     * Per-tensor int8: x = (1, -2, 3) at scale 0.5, zero point 4 (q = 2x + 4); weights ((1, 2, 3), (-1, 0, 2)) at
     * scale 0.25 (q = 4w); bias (0.5, -1) at 0.125 (q = 8b); output scale 0.5, zero point -3. Real results 6.5 and
     * 4; acc = 8 x real, multiplier 0.25, so q = 2 x real - 3 = (10, 5); with RELU6 the range is [-3, 9].
     */
    @Test
    void fullyConnectedInt8PerTensor() {
        for (int act : new int[] {ACT_NONE, ACT_RELU6}) {
            OneOpModel m = new OneOpModel();
            int in = m.input("in", DType.INT8, new int[] {1, 3}, q(0.5f, 4));
            int f = m.constant("f", DType.INT8, new int[] {2, 3}, q(0.25f, 0), i8(4, 8, 12, -4, 0, 8));
            int b = m.constant("b", DType.INT32, new int[] {2}, q(0.125f, 0), i32(4, -8));
            int out = m.output("out", DType.INT8, new int[] {1, 2}, q(0.5f, -3));
            Graph g = m.build("FULLY_CONNECTED", OneOpModel.fc(act, false, false), List.of(in, f, b), out);
            int[] want = act == ACT_NONE ? new int[] {10, 5} : new int[] {9, 5};
            assertThat(toI8(OneOpModel.run(g, i8(6, 0, 10)).get(0))).containsExactly(want);
        }
    }

    /**
     * Per-channel int8 with keepNumDims and two rows in a 3-D input: weights scales 0.25 and 0.5 per output unit,
     * no bias; rows (1, -2, 3) and (0.5, 1, -1) at scale 0.5; real results (6, 5) and (-0.5, -2.5); output scale 0.5
     * gives (12, 10, -1, -5): -1 and -5 are the exact halves -0.5/0.5 and -2.5/0.5.
     */
    @Test
    void fullyConnectedInt8PerChannelKeepNumDims() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.INT8, new int[] {2, 1, 3}, q(0.5f, 0));
        int f = m.constant("f", DType.INT8, new int[] {2, 3}, perChannel(0, 0.25f, 0.5f), i8(4, 8, 12, -2, 0, 4));
        int out = m.output("out", DType.INT8, new int[] {2, 1, 2}, q(0.5f, 0));
        Graph g = m.build("FULLY_CONNECTED", OneOpModel.fc(ACT_NONE, true, false), List.of(in, f, -1), out);
        assertThat(toI8(OneOpModel.run(g, i8(2, -4, 6, 1, 2, -2)).get(0))).containsExactly(12, 10, -1, -5);
    }

    /**
     * Hybrid (float input, int8 weights), symmetric: the row (1, -0.5, 0.25, 0) has range 1, so it is quantised
     * with 127 / 1 to (127, -64, 32, 0) (-63.5 and 31.75 rounded half away from zero); with weights (1, 2, 3, 4) at
     * scale 0.5 the dot product is 95 and the output is bias + 95 * ((1 / 127) * 0.5) ~ 0.624 (0.625 exactly).
     */
    @Test
    void fullyConnectedHybridSymmetric() {
        Graph g = hybridFc(false, ACT_NONE);
        float got = toF32(OneOpModel.run(g, f32(1, -0.5f, 0.25f, 0)).get(0))[0];
        assertThat(got).isEqualTo(0.25f + 95 * ((1f / 127) * 0.5f));
        assertThat(got).isCloseTo(0.625f, within(0.002f));
    }

    /** Asymmetric input quantisation (asymmetricQuantizeInputs): within one step of the row scale of 0.625. */
    @Test
    void fullyConnectedHybridAsymmetric() {
        Graph g = hybridFc(true, ACT_NONE);
        float got = toF32(OneOpModel.run(g, f32(1, -0.5f, 0.25f, 0)).get(0))[0];
        assertThat(got).isCloseTo(0.625f, within(0.01f));
        // an all-zero row skips the product: bias only, then the activation
        assertThat(toF32(OneOpModel.run(g, f32(0, 0, 0, 0)).get(0))).containsExactly(0.25f);
        Graph relu = hybridFc(true, ACT_RELU);
        assertThat(toF32(OneOpModel.run(relu, f32(-1, -1, -1, -1)).get(0))).containsExactly(0f);
    }

    private static Graph hybridFc(boolean asymmetric, int act) {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {1, 4}, null);
        int f = m.constant("f", DType.INT8, new int[] {1, 4}, q(0.5f, 0), i8(1, 2, 3, 4));
        int b = m.constant("b", DType.FLOAT32, new int[] {1}, null, f32(0.25f));
        int out = m.output("out", DType.FLOAT32, new int[] {1, 1}, null);
        return m.build("FULLY_CONNECTED", OneOpModel.fc(act, false, asymmetric), List.of(in, f, b), out);
    }

    /** Hybrid CONV_2D, per-tensor filter (TFLite's EvalHybrid): the 1x1 conv of the same row: (0 + 95 * scale) + bias. */
    @Test
    void convHybridPerTensor() {
        OneOpModel m = new OneOpModel();
        int in = m.input("in", DType.FLOAT32, new int[] {1, 1, 1, 4}, null);
        int f = m.constant("f", DType.INT8, new int[] {1, 1, 1, 4}, q(0.5f, 0), i8(1, 2, 3, 4));
        int b = m.constant("b", DType.FLOAT32, new int[] {1}, null, f32(0.25f));
        int out = m.output("out", DType.FLOAT32, new int[] {1, 1, 1, 1}, null);
        Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE), List.of(in, f, b), out);
        assertThat(toF32(OneOpModel.run(g, f32(1, -0.5f, 0.25f, 0)).get(0))).containsExactly(0.25f + 95 * ((1f / 127) * 0.5f));
        assertThat(KernelRegistry.find("CONV_2D").orElseThrow().scratchBytes(g, g.ops().get(0))).containsExactly(4L);
    }

    // ---- TRANSPOSE_CONV ------------------------------------------------------------------------------------

    /** TFLite transpose_conv_test.cc SimpleTest: 4x4 image of 1..16, 3x3 filter of 1..9, stride 1, SAME. */
    @Test
    void transposeConvFloatMatchesTfliteSimpleTest() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i + 1;
        OneOpModel m = new OneOpModel();
        int shape = m.constant("shape", DType.INT32, new int[] {4}, null, i32(1, 4, 4, 1));
        int f = m.constant("f", DType.FLOAT32, new int[] {1, 3, 3, 1}, null, f32(1, 2, 3, 4, 5, 6, 7, 8, 9));
        int in = m.input("in", DType.FLOAT32, new int[] {1, 4, 4, 1}, null);
        int out = m.output("out", DType.FLOAT32, new int[] {1, 4, 4, 1}, null);
        Graph g = m.build("TRANSPOSE_CONV", OneOpModel.transposeConv(SAME, 1, 1, ACT_NONE), List.of(shape, f, in), out);
        assertThat(toF32(OneOpModel.run(g, f32(x)).get(0)))
                .containsExactly(29, 62, 83, 75, 99, 192, 237, 198, 207, 372, 417, 330, 263, 446, 485, 365);
        assertThat(TransposeConvKernel.INSTANCE.scratchBytes(g, g.ops().get(0))).isEmpty();
    }

    /**
     * int8, stride 2, VALID, 2x2 filter: every input pixel scatters into its own 2x2 output block, out = x * f + b.
     * x = (1, 2, -1, 3) at scale 0.5, zero point 1; f = (1, -1, 2, 0.5) at scale 0.5; bias 0.25 at 0.25; output
     * scale 0.25, zero point -2; the multiplier is 1, so q = 4 (x f + 0.25) - 2. Scratch: 16 int32 accumulators.
     */
    @Test
    void transposeConvInt8ScattersThroughItsInt32Scratch() {
        OneOpModel m = new OneOpModel();
        int shape = m.constant("shape", DType.INT32, new int[] {4}, null, i32(1, 4, 4, 1));
        int f = m.constant("f", DType.INT8, new int[] {1, 2, 2, 1}, perChannel(0, 0.5f), i8(2, -2, 4, 1));
        int in = m.input("in", DType.INT8, new int[] {1, 2, 2, 1}, q(0.5f, 1));
        int b = m.constant("b", DType.INT32, new int[] {1}, perChannel(0, 0.25f), i32(1));
        int out = m.output("out", DType.INT8, new int[] {1, 4, 4, 1}, q(0.25f, -2));
        Graph g = m.build("TRANSPOSE_CONV", OneOpModel.transposeConv(VALID, 2, 2, ACT_NONE), List.of(shape, f, in, b), out);
        assertThat(TransposeConvKernel.INSTANCE.scratchBytes(g, g.ops().get(0))).containsExactly(64L);
        assertThat(toI8(OneOpModel.run(g, i8(3, 5, -1, 7)).get(0)))
                .containsExactly(3, -5, 7, -9, 7, 1, 15, 3, -5, 3, 11, -13, -9, -3, 23, 5);
    }

    /**
     * int16x8 with an int16 bias: TFLM requests the int64 accumulators (16 x 8 bytes) and then a buffer for the bias
     * widened to int64 (1 x 8 bytes). Same numbers as the int8 case without zero points: q = 4 (x f + 0.25).
     */
    @Test
    void transposeConvInt16WidensAnInt16Bias() {
        OneOpModel m = new OneOpModel();
        int shape = m.constant("shape", DType.INT32, new int[] {4}, null, i32(1, 4, 4, 1));
        int f = m.constant("f", DType.INT8, new int[] {1, 2, 2, 1}, perChannel(0, 0.5f), i8(2, -2, 4, 1));
        int in = m.input("in", DType.INT16, new int[] {1, 2, 2, 1}, q(0.5f, 0));
        int b = m.constant("b", DType.INT16, new int[] {1}, perChannel(0, 0.25f), i16(1));
        int out = m.output("out", DType.INT16, new int[] {1, 4, 4, 1}, q(0.25f, 0));
        Graph g = m.build("TRANSPOSE_CONV", OneOpModel.transposeConv(VALID, 2, 2, ACT_NONE), List.of(shape, f, in, b), out);
        assertThat(TransposeConvKernel.INSTANCE.scratchBytes(g, g.ops().get(0))).containsExactly(128L, 8L);
        assertThat(toI16(OneOpModel.run(g, i16(2, 4, -2, 6)).get(0)))
                .containsExactly(5, -3, 9, -7, 9, 3, 17, 5, -3, 5, 13, -11, -7, -1, 25, 7);
    }

    // ---- scratch requests and padding ----------------------------------------------------------------------

    /**
     * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED request no scratch in TFLM's reference kernels, except for a
     * packed int4 filter (one byte per element for its unpacked copy).
     */
    @Test
    void onlyTransposeConvRequestsScratchForTflmTypes() {
        DType[][] activationAndWeights = {{DType.INT8, DType.INT8}, {DType.INT16, DType.INT8}, {DType.FLOAT32, DType.FLOAT32}, {DType.INT8, DType.INT4}};
        for (DType[] tw : activationAndWeights) {
            DType t = tw[0], w = tw[1];
            OneOpModel m = new OneOpModel();
            int in = m.input("in", t, new int[] {1, 4, 4, 2}, q(0.5f, 0));
            int f = m.constant("f", w, new int[] {2, 1, 1, 2}, q(0.5f, 0), new byte[4 * w.bytes()]);
            int out = m.output("out", t, new int[] {1, 4, 4, 2}, q(0.5f, 0));
            Graph g = m.build("CONV_2D", OneOpModel.conv(VALID, 1, 1, 1, 1, ACT_NONE), List.of(in, f, -1), out);
            Op op = g.ops().get(0);
            for (String kind : List.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")) {
                List<Long> sizes = KernelRegistry.find(kind).orElseThrow().scratchBytes(g, op);
                if (w == DType.INT4) assertThat(sizes).as(kind + " int4").containsExactly(4L);
                else assertThat(sizes).as(kind + " " + t).isEmpty();
            }
        }
    }

    /** TFLite's ComputePaddingHeightWidth: the padding follows from the size the padding mode implies. */
    @Test
    void paddingFollowsTflite() {
        // SAME, 5 wide, kernel 3, stride 2: 3 outputs, total padding 2 -> 1 before
        assertThat(Window.Axis.of(5, 3, 2, 1, 3, SAME).pad()).isEqualTo(1);
        // SAME, 6 wide, kernel 3, stride 2: 3 outputs, total 1 -> 0 before (the odd one goes after)
        assertThat(Window.Axis.of(6, 3, 2, 1, 3, SAME).pad()).isZero();
        // SAME with dilation 2: effective kernel 5 on 7 at stride 1: total 4 -> 2
        assertThat(Window.Axis.of(7, 7, 1, 2, 3, SAME).pad()).isEqualTo(2);
        // VALID never pads
        assertThat(Window.Axis.of(10, 3, 3, 1, 4, VALID).pad()).isZero();
    }

    /** The taps an output reads inside the image: the dilation skips positions, so the range ends at real taps. */
    @Test
    void inputRangesEndAtTheTapsInsideTheImage() {
        Window.Axis a = Window.Axis.of(7, 7, 1, 2, 3, SAME); // pad 2: output o reads o - 2, o, o + 2
        assertThat(a.firstTap(0)).isZero();
        assertThat(a.lastTap(0)).isEqualTo(2);
        assertThat(a.inputRange(0, 1)).containsExactly(0, 3);
        assertThat(a.inputRange(6, 7)).containsExactly(4, 7);
        assertThat(a.inputRange(1, 2)).containsExactly(1, 4);
        // in 2, kernel 2, dilation 3, stride 1, SAME: pad 1, output 0 reads -1 and 2: nothing inside
        Window.Axis none = Window.Axis.of(2, 2, 1, 3, 2, SAME);
        assertThat(none.firstTap(0)).isEqualTo(-1);
        assertThat(none.lastTap(0)).isEqualTo(-1);
        assertThat(none.inputRange(0, 1)).containsExactly(0, 0);
    }

    /** The float clamp keeps the standard library's semantics; "no activation" clamps to the finite float range. */
    @Test
    void floatActivationFollowsTheStandardLibrary() {
        float[] none = QuantizedMath.activationRangeFloat(ACT_NONE);
        assertThat(QuantizedMath.clamp(Float.POSITIVE_INFINITY, none[0], none[1])).isEqualTo(Float.MAX_VALUE);
        assertThat(QuantizedMath.clamp(Float.NEGATIVE_INFINITY, none[0], none[1])).isEqualTo(-Float.MAX_VALUE);
        float[] relu = QuantizedMath.activationRangeFloat(ACT_RELU);
        assertThat(Float.floatToRawIntBits(QuantizedMath.clamp(-0.0f, relu[0], relu[1]))).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(QuantizedMath.clamp(Float.NaN, relu[0], relu[1])).isNaN();
    }
}
