package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every CONV_2D and DEPTHWISE_CONV_2D of the two coral uint8 models (asymmetric uint8 weights, which no int8 twin
 * can reproduce, see {@link Uint8TwinTest}), run alone on random uint8 inputs, against an independent computation of
 * the integer sum {@code acc = bias + sum (w - zp_w)(x - zp_x)} (64-bit, written out separately here): the output must
 * be exactly TFLite's requantisation of that sum ({@code MultiplyByQuantizedMultiplier} with the per-tensor multiplier
 * of {@code GetQuantizedConvolutionMultipler}), and within one step of the exact rational rescaling
 * {@code round(acc * s_in * s_w / s_out)} (the double rounding of the fixed-point path moves values that lie within
 * 2^(shift-1) of a half; the counts are printed).
 */
class CoralUint8LayersTest {

    @TestFactory
    Stream<DynamicTest> coralLayersAgreeWithExactRescaling() {
        Shared.assume();
        return Stream.of("coral_mobilenet_v1_0_25_128_uint8", "coral_mobilenet_v2_1_0_224_uint8")
                .map(n -> DynamicTest.dynamicTest(n, () -> check(n)));
    }

    static void check(String name) {
        Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
        long outputs = 0, offByOne = 0;
        int layers = 0;
        for (int opIndex = 0; opIndex < g.ops().size(); opIndex++) {
            Op op = g.ops().get(opIndex);
            boolean dw = op.kind().equals("DEPTHWISE_CONV_2D");
            if (!dw && !op.kind().equals("CONV_2D")) continue;
            Tensor inT = g.tensor(op.input(0)), fT = g.tensor(op.input(1)), bT = g.tensor(op.input(2)), outT = g.tensor(op.output(0));
            assertThat(inT.dtype()).isEqualTo(DType.UINT8);
            byte[] x = new byte[(int) inT.bytes()];
            new SplittableRandom(opIndex).nextBytes(x);
            byte[] got = new byte[(int) outT.bytes()];
            List<View> inputs = new ArrayList<>(List.of(new ArenaView(x, 0, inT), new ConstView(fT), new ConstView(bT)));
            KernelRegistry.forOp(op, opIndex).eval(new SoloContext(g, op, opIndex, inputs, List.of(new ArenaView(got, 0, outT))));

            int[] id = inT.shape().extended(4), fd = fT.shape().extended(4), od = outT.shape().extended(4);
            ConvCommon.Geometry geo = ConvCommon.Geometry.of(op);
            int padH = Window.Axis.of(id[1], od[1], geo.strideH(), geo.dilationH(), fd[1], geo.padding()).pad();
            int padW = Window.Axis.of(id[2], od[2], geo.strideW(), geo.dilationW(), fd[2], geo.padding()).pad();
            int zx = inT.quant().zeroPoint(), zw = fT.quant().zeroPoint(), zo = outT.quant().zeroPoint();
            double scale = (double) inT.quant().scale() * fT.quant().scale() / outT.quant().scale();
            int[] m = ConvCommon.perTensor(inT.quant().scale(), fT.quant().scale(), outT.quant().scale());
            int[] act = QuantizedMath.activationRange(op.options().getInt("fusedActivationFunction", 0), new ArenaView(got, 0, outT));
            ConstView w = new ConstView(fT), bias = new ConstView(bT);
            for (int oy = 0; oy < od[1]; oy++) {
                for (int ox = 0; ox < od[2]; ox++) {
                    for (int oc = 0; oc < od[3]; oc++) {
                        long acc = bias.i32(oc);
                        for (int ky = 0; ky < fd[1]; ky++) {
                            for (int kx = 0; kx < fd[2]; kx++) {
                                int iy = oy * geo.strideH() - padH + ky * geo.dilationH();
                                int ix = ox * geo.strideW() - padW + kx * geo.dilationW();
                                if (iy < 0 || iy >= id[1] || ix < 0 || ix >= id[2]) continue;
                                if (dw) {
                                    int ic = oc / (od[3] / id[3]);
                                    acc += (long) (w.u8((ky * fd[2] + kx) * fd[3] + oc) - zw) * ((x[(iy * id[2] + ix) * id[3] + ic] & 0xFF) - zx);
                                } else {
                                    for (int ic = 0; ic < id[3]; ic++) {
                                        acc += (long) (w.u8(((oc * fd[1] + ky) * fd[2] + kx) * fd[3] + ic) - zw) * ((x[(iy * id[2] + ix) * id[3] + ic] & 0xFF) - zx);
                                    }
                                }
                            }
                        }
                        int have = got[(oy * od[2] + ox) * od[3] + oc] & 0xFF;
                        int fixed = QuantizedMath.multiplyByQuantizedMultiplier(Math.toIntExact(acc), m[0], m[1]) + zo;
                        fixed = Math.max(act[0], Math.min(act[1], fixed));
                        assertThat(have).as("%s operator %d (%s) output (%d, %d, %d)", name, opIndex, op.kind(), oy, ox, oc).isEqualTo(fixed);
                        long exact = Math.max(act[0], Math.min(act[1], Math.round(acc * scale) + zo));
                        assertThat(Math.abs(have - exact)).isLessThanOrEqualTo(1);
                        if (have != exact) offByOne++;
                        outputs++;
                    }
                }
            }
            layers++;
        }
        System.out.println("coral " + name + ": " + layers + " layers, " + outputs + " outputs, " + offByOne + " one step from the exact rescaling");
    }
}
