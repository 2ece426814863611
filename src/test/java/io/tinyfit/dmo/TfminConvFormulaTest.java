package io.tinyfit.dmo;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.testing.OneOp;
import io.tinyfit.verify.TraceMethod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.tinyfit.testing.OneOp.q;
import static io.tinyfit.testing.TestOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why tinyfit derives its own conv bound: the closed form published with TFMin (REFERENCES.md, conv_2d.py
 * {@code get_safe_overlap}) is right for stride 1 but understates the safe delta of strided convolutions, such as
 * the 1x1 stride-2 shortcut convolutions of ResNets; the black-box search proves that placement wrong by
 * execution, while tinyfit's analytical bound equals the trace in both cases.
 */
class TfminConvFormulaTest {

    /** TFMin's conv formula as published, turned from "safe overlap bytes" into a delta (output size minus overlap). */
    static long tfminDelta(int in1, int in2, int cin, int out1, int out2, int cout, int s1, int k1, int k2, int s2) {
        double pad1 = Math.floor((out1 * s1 - s1 + k1 - 1 - in1 + 1) / 2.0);
        double pad2 = Math.floor((out2 * s2 - s2 + k2 - 1 - in2 + 1) / 2.0);
        double a = (double) s1 * in1 * cin / (out1 * cout);
        double b = (out1 * s1 - pad1 * in1 - s1 * in1 - s1 - pad2) * cin + 1;
        double ic = (double) out1 * out2 * cout;
        long outBytes = (long) out1 * out2 * cout;
        double overlap = outBytes + Math.min(b / a, a * ic + b - ic);
        return outBytes - (long) Math.floor(overlap);
    }

    @Test
    void publishedFormulaAgreesOnA3x3SameStride1Conv() {
        Graph g = conv(8, 4, 8, 3, 1);
        long trace = TraceMethod.minDelta(g, 0, 0, 0);
        assertThat(tfminDelta(8, 8, 4, 8, 8, 8, 1, 3, 3, 1)).isEqualTo(trace);
        assertThat(AnalyticalMethod.of(g, 0, 0, 0).minDeltaBytes()).isEqualTo(trace);
    }

    @Test
    void publishedFormulaIsUnsafeOnA1x1Stride2Conv() {
        Graph g = conv(8, 4, 8, 1, 2);
        long tfmin = tfminDelta(8, 8, 4, 4, 4, 8, 2, 1, 1, 2);
        long trace = TraceMethod.minDelta(g, 0, 0, 0);
        assertThat(tfmin).as("TFMin's delta").isLessThan(trace);
        assertThat(SearchMethod.refutes(g, 0, 0, 0, tfmin)).as("executing at TFMin's delta corrupts the output").isTrue();
        assertThat(AnalyticalMethod.of(g, 0, 0, 0).minDeltaBytes()).isEqualTo(trace);
        assertThat(SearchMethod.refutes(g, 0, 0, 0, trace)).isFalse();
    }

    /** An int8 SAME convolution of an in x in x cin image with random weights. */
    private static Graph conv(int in, int cin, int cout, int k, int stride) {
        OneOp m = new OneOp();
        int out = (in + stride - 1) / stride;
        int x = m.input(DType.INT8, new int[] {1, in, in, cin}, q(0.05f, 0));
        byte[] w = new byte[cout * k * k * cin];
        new SplittableRandom(3).nextBytes(w);
        int f = m.constant(DType.INT8, new int[] {cout, k, k, cin}, q(0.01f, 0), w);
        int y = m.output(DType.INT8, new int[] {1, out, out, cout}, q(0.05f, 0));
        return m.build("CONV_2D", options("Conv2DOptions", "padding", 0, "strideW", stride, "strideH", stride, "fusedActivationFunction", 0,
                "dilationWFactor", 1, "dilationHFactor", 1), List.of(x, f, -1), List.of(y));
    }
}
