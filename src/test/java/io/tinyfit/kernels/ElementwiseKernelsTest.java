package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Paths of the elementwise family that the shared opsuite does not reach (its cases pass byte for byte). */
class ElementwiseKernelsTest {

    @Test
    void broadcastVisitsOutputInRowMajorOrderWithBroadcastInputIndices() {
        int[] s1 = {3, 1, 4}, s2 = {1, 5, 1}, so = {3, 5, 4};
        View out = view(DType.INT8, so, null);
        ElementOrder loop = ElementOrder.binary(view(DType.INT8, s1, null), view(DType.INT8, s2, null), out, out.region());
        List<int[]> seen = new ArrayList<>();
        loop.forEach((i1, i2, o) -> seen.add(new int[] {i1, i2, o}));
        assertThat(seen).hasSize(60);
        int k = 0;
        for (int a = 0; a < 3; a++) for (int b = 0; b < 5; b++) for (int c = 0; c < 4; c++, k++) {
            assertThat(seen.get(k)).containsExactly(a * 4 + c, b, k);
        }
    }

    @Test
    void gemmlowpFixedPointFunctionsApproximateTheRealOnes() {
        for (double x = -7.9; x < 7.9; x += 0.0137) {
            int q4 = (int) Math.round(x * (1 << 27));
            double logistic = QuantizedMath.fixedPointLogistic(q4, 4) / 2147483648.0;
            double tanh = QuantizedMath.fixedPointTanh(q4, 4) / 2147483648.0;
            assertThat(logistic).isCloseTo(1 / (1 + Math.exp(-x)), within(1e-6));
            assertThat(tanh).isCloseTo(Math.tanh(x), within(1e-6));
            if (x < 0) {
                assertThat(QuantizedMath.expOnNegativeValues(q4, 4) / 2147483648.0).isCloseTo(Math.exp(x), within(1e-6));
            }
        }
        assertThat(QuantizedMath.fixedPointLogistic(0, 4)).isEqualTo(1 << 30);
        assertThat(QuantizedMath.fixedPointTanh(0, 4)).isZero();
    }

    @Test
    void int16LogisticAndTanhAgreeBetweenPowerOfTwoAndGeneralScales() {
        short[] raw = new short[200];
        for (int i = 0; i < raw.length; i++) raw[i] = (short) (-32768 + i * 329);
        float pot = 1f / 4096f;      // power-of-two path (multiplier 3)
        for (String kind : List.of("LOGISTIC", "TANH")) {
            short[] exact = run(kind, raw, pot);
            for (int i = 0; i < raw.length; i++) {
                double x = raw[i] * (double) pot;
                double expected = kind.equals("TANH") ? Math.tanh(x) : 1 / (1 + Math.exp(-x));
                assertThat(exact[i] / 32768.0).as(kind + " at " + x).isCloseTo(expected, within(2e-3));
            }
            // A scale just off the power of two takes the general rescaling path and must land nearby.
            short[] general = run(kind, raw, pot * 1.01f);
            for (int i = 0; i < raw.length; i++) {
                double x = raw[i] * (double) (pot * 1.01f);
                double expected = kind.equals("TANH") ? Math.tanh(x) : 1 / (1 + Math.exp(-x));
                assertThat(general[i] / 32768.0).as(kind + " general at " + x).isCloseTo(expected, within(2e-3));
            }
        }
    }

    @Test
    void quantizeInt8ToUint8WithEqualScaleFlipsTheTopBit() {
        ArenaView in = view(DType.INT8, new int[] {4}, Quantization.perTensor(0.5f, -3));
        ArenaView out = view(DType.UINT8, new int[] {4}, Quantization.perTensor(0.5f, 125));
        int[] values = {-128, -1, 0, 127};
        for (int i = 0; i < 4; i++) in.setI8(i, values[i]);
        new QuantizeKernel().eval(context("QUANTIZE", Options.NONE, List.of(in), out));
        for (int i = 0; i < 4; i++) assertThat(out.u8(i)).isEqualTo((values[i] & 0xFF) ^ 0x80);
    }

    @Test
    void unsupportedCombinationsNameTheProblem() {
        ArenaView in = view(DType.INT32, new int[] {2}, Quantization.perTensor(1f, 0));
        ArenaView out = view(DType.UINT8, new int[] {2}, Quantization.perTensor(1f, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new QuantizeKernel().eval(context("QUANTIZE", Options.NONE, List.of(in), out)))
            .isInstanceOf(UnsupportedOpVariantException.class)
            .hasMessageContaining("INT32 to UINT8");
    }

    private static short[] run(String kind, short[] raw, float inScale) {
        ArenaView in = view(DType.INT16, new int[] {raw.length}, Quantization.perTensor(inScale, 0));
        ArenaView out = view(DType.INT16, new int[] {raw.length}, Quantization.perTensor(1f / 32768f, 0));
        for (int i = 0; i < raw.length; i++) in.setI16(i, raw[i]);
        Kernel k = kind.equals("TANH") ? new TanhKernel() : new LogisticKernel();
        k.eval(context(kind, Options.NONE, List.of(in), out));
        short[] r = new short[raw.length];
        for (int i = 0; i < raw.length; i++) r[i] = (short) out.i16(i);
        return r;
    }

    private static ArenaView view(DType t, int[] dims, Quantization q) {
        Shape shape = Shape.of(dims);
        Tensor tensor = new Tensor(0, "t", t, shape, null, q, 0, null, false, true);
        return new ArenaView(new byte[(int) tensor.bytes()], 0, tensor);
    }

    private static OpContext context(String kind, Options options, List<View> inputs, View output) {
        Op op = new Op(0, kind, List.of(0), List.of(1), options);
        Graph g = SoloContext.graphOf("elementwise", op, List.of(inputs.get(0).tensor(), output.tensor()));
        return new OpContext() {
            @Override public Graph graph() { return g; }
            @Override public Op op() { return op; }
            @Override public int opIndex() { return 0; }
            @Override public View input(int i) { return inputs.get(i); }
            @Override public View output(int i) { return output; }
            @Override public View scratch(int i) { throw new IllegalStateException("no scratch"); }
        };
    }
}
