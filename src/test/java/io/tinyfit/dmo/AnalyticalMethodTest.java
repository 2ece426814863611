package io.tinyfit.dmo;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Options;
import io.tinyfit.testing.LittleEndian;
import io.tinyfit.testing.OneOp;
import io.tinyfit.verify.TraceMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tinyfit.testing.OneOp.q;
import static io.tinyfit.testing.TestOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-derived bounds on small operators, each also checked against the trace. */
class AnalyticalMethodTest {

    /**
     * 5x5 int8 image, 3x3 SAME conv, one channel. Output pixel (1, 1) is element 6 and its window starts at input
     * (0, 0), byte 0: six output bytes are written before that read, so delta 6. No later step does worse (rows
     * and columns advance together on both sides from there).
     */
    @Test
    void sameConvNeedsOneOutputRowAndOnePixel() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {1, 5, 5, 1}, q(0.05f, 0));
        int f = m.constant(DType.INT8, new int[] {1, 3, 3, 1}, q(0.01f, 0), new byte[9]);
        int y = m.output(DType.INT8, new int[] {1, 5, 5, 1}, q(0.05f, 0));
        Graph g = m.build("CONV_2D", options("Conv2DOptions", "padding", 0, "strideW", 1, "strideH", 1, "fusedActivationFunction", 0,
                "dilationWFactor", 1, "dilationHFactor", 1), List.of(x, f, -1), List.of(y));
        assertBound(g, 0, 6, true);
    }

    /** VALID 3x3 stride 1 on 5x5: output (oy, ox) reads from input (oy, ox), always at or after what it writes: in place. */
    @Test
    void validConvRunsInPlace() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {1, 5, 5, 1}, q(0.05f, 0));
        int f = m.constant(DType.INT8, new int[] {1, 3, 3, 1}, q(0.01f, 0), new byte[9]);
        int y = m.output(DType.INT8, new int[] {1, 3, 3, 1}, q(0.05f, 0));
        Graph g = m.build("CONV_2D", options("Conv2DOptions", "padding", 1, "strideW", 1, "strideH", 1, "fusedActivationFunction", 0),
                List.of(x, f, -1), List.of(y));
        assertBound(g, 0, 0, true);
    }

    /** int8 to float32: element 9 is read after 9 four-byte outputs, 36 bytes written, at byte 9: delta 27 = 9 x 3. */
    @Test
    void dequantizeWidensSoNeedsThreeBytesPerElement() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {10}, q(0.1f, 3));
        int y = m.output(DType.FLOAT32, new int[] {10}, null);
        assertBound(m.build("DEQUANTIZE", Options.NONE, List.of(x), List.of(y)), 0, 27, true);
    }

    @Test
    void quantizeNarrowsSoRunsInPlace() {
        OneOp m = new OneOp();
        int x = m.input(DType.FLOAT32, new int[] {2, 5}, null);
        int y = m.output(DType.INT8, new int[] {2, 5}, q(0.1f, 3));
        assertBound(m.build("QUANTIZE", Options.NONE, List.of(x), List.of(y)), 0, 0, true);
    }

    /** [2, 3] padded by ((1, 0), (0, 2)) to [3, 5]: the last input element lands at 2 * 5 + 2 = 12, so 12 + 1 - 6 = 7. */
    @Test
    void padFollowsTheLastCoreElement() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {2, 3}, q(0.1f, 0));
        int p = m.constant(DType.INT32, new int[] {2, 2}, null, LittleEndian.i32(1, 0, 0, 2));
        int y = m.output(DType.INT8, new int[] {3, 5}, q(0.1f, 0));
        assertBound(m.build("PAD", Options.NONE, List.of(x, p), List.of(y)), 0, 7, true);
    }

    /**
     * Two rows of depth 3 into four outputs: row 0's step oc = 3 reads byte 0 after three outputs (3); row 1 reads
     * from byte 3 after 4 + 3 outputs (7 - 3 = 4).
     */
    @Test
    void fullyConnectedRowsReadFromTheirStart() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {2, 3}, q(0.1f, 0));
        int w = m.constant(DType.INT8, new int[] {4, 3}, q(0.01f, 0), new byte[12]);
        int y = m.output(DType.INT8, new int[] {2, 4}, q(0.1f, 0));
        Graph g = m.build("FULLY_CONNECTED", options("FullyConnectedOptions", "fusedActivationFunction", 0), List.of(x, w, -1), List.of(y));
        assertBound(g, 0, 4, true);
    }

    /** b of shape [1, 3] is re-read for output row 1: its element 0 (byte 0) after 3 output bytes: delta 3. */
    @Test
    void broadcastOperandIsReReadForEveryRow() {
        OneOp m = new OneOp();
        int a = m.input(DType.INT8, new int[] {2, 3}, q(0.1f, 0));
        int b = m.input(DType.INT8, new int[] {1, 3}, q(0.1f, 0));
        int y = m.output(DType.INT8, new int[] {2, 3}, q(0.1f, 0));
        Graph g = m.build("ADD", options("AddOptions", "fusedActivationFunction", 0), List.of(a, b), List.of(y));
        assertBound(g, 0, 0, true);
        assertBound(g, 1, 3, true);
    }

    /** The Java copy is a forward byte loop (trace 0), but TFLM's memcpy on overlapping buffers is undefined. */
    @Test
    void memcpyKernelsGetNoOverlap() {
        OneOp m = new OneOp();
        int x = m.input(DType.INT8, new int[] {1, 4, 1}, q(0.1f, 0));
        int y = m.output(DType.INT8, new int[] {4}, q(0.1f, 0));
        Graph g = m.build("SQUEEZE", options("SqueezeOptions", "squeezeDims", new int[0]), List.of(x), List.of(y));
        AnalyticalMethod.Bound b = AnalyticalMethod.of(g, 0, 0, 0);
        assertThat(b.derived()).isTrue();
        assertThat(b.minDeltaBytes()).isEqualTo(4);
        assertThat(b.formula()).contains("memcpy");
        assertThat(TraceMethod.minDelta(g, 0, 0, 0)).isZero();
    }

    private static void assertBound(Graph g, int input, long want, boolean derived) {
        AnalyticalMethod.Bound b = AnalyticalMethod.of(g, 0, input, 0);
        assertThat(b.minDeltaBytes()).as(b.formula()).isEqualTo(want);
        assertThat(b.derived()).isEqualTo(derived);
        assertThat(TraceMethod.minDelta(g, 0, input, 0)).as("trace").isEqualTo(want);
    }
}
