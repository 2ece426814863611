package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hybrid CONV_2D layers of mlperf_kws_dscnn_f32 (float activations, per-tensor int8 weights; TFLM refuses the
 * model, so there are no golden outputs): each layer, run alone on the stored model input (first layer) or on random
 * non-negative inputs (later layers, which follow a RELU), must stay close to the float convolution with the
 * dequantised weights: the only differences are the 8-bit quantisation of the input and the float rounding.
 */
class HybridKwsLayersTest {

    @Test
    void hybridConvLayersTrackTheFloatConvolution() {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve("mlperf_kws_dscnn_f32.tflite"));
        byte[] modelInput = CaseFiles.read(Shared.golden().resolve("mlperf_kws_dscnn_f32").resolve("input_0.bin"));
        int layers = 0;
        for (int opIndex = 0; opIndex < g.ops().size(); opIndex++) {
            Op op = g.ops().get(opIndex);
            if (!op.kind().equals("CONV_2D") || g.tensor(op.input(1)).dtype() != DType.INT8) continue;
            Tensor inT = g.tensor(op.input(0)), fT = g.tensor(op.input(1)), bT = g.tensor(op.input(2)), outT = g.tensor(op.output(0));
            byte[] x;
            if (op.input(0) == g.inputs().get(0)) {
                x = modelInput;
            } else {
                ByteBuffer bb = ByteBuffer.allocate((int) inT.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                SplittableRandom r = new SplittableRandom(opIndex);
                for (int i = 0; i < inT.shape().numElements(); i++) bb.putFloat(r.nextInt(4) == 0 ? 0f : (float) r.nextDouble(0, 3));
                x = bb.array();
            }
            byte[] hybrid = new byte[(int) outT.bytes()];
            KernelRegistry.forOp(op, opIndex).eval(new SoloContext(g, op, opIndex,
                    List.of(new ArenaView(x, 0, inT), new ConstView(fT), new ConstView(bT)), List.of(new ArenaView(hybrid, 0, outT))));

            // the same layer with float weights w = scale * q
            ByteBuffer fw = ByteBuffer.allocate(4 * (int) fT.shape().numElements()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < fT.shape().numElements(); i++) fw.putFloat(fT.quant().scale() * fT.data().i8(i));
            Tensor floatFilter = fT.withDType(DType.FLOAT32).withData(fT.buffer(), ConstData.copyOf(fw.array()));
            byte[] reference = new byte[(int) outT.bytes()];
            KernelRegistry.forOp(op, opIndex).eval(new SoloContext(g, op, opIndex,
                    new ArrayList<>(List.of(new ArenaView(x, 0, inT), new ConstView(floatFilter), new ConstView(bT))), List.of(new ArenaView(reference, 0, outT))));

            float[] h = OneOpModel.toF32(hybrid), f = OneOpModel.toF32(reference);
            float peak = 0;
            for (float v : f) peak = Math.max(peak, Math.abs(v));
            float worst = 0;
            for (int i = 0; i < h.length; i++) worst = Math.max(worst, Math.abs(h[i] - f[i]));
            assertThat(peak).isGreaterThan(0f);
            assertThat(worst).as("operator %d: largest difference %s against a peak of %s", opIndex, worst, peak).isLessThan(0.01f * peak);
            System.out.printf("hybrid kws operator %d: largest difference %.5f of peak %.3f%n", opIndex, worst, peak);
            layers++;
        }
        assertThat(layers).isEqualTo(5);
    }
}
