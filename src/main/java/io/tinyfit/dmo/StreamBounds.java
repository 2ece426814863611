package io.tinyfit.dmo;

import io.tinyfit.dmo.AnalyticalMethod.Bound;
import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Arrays;

/**
 * Exact DMO bounds of the kernels whose output is written in raster order, one element (or one run) per step,
 * each step's reads preceding its write. They all follow from one identity: when step s reads, the output bytes
 * {@code [0, s * so)} have been written, so {@code minDelta = max(0, max over steps s of s * so - lowestRead(s))}.
 * Each method names its steps and the lowest byte each reads, and maximises in closed form (the terms are linear
 * in every loop index, so the maximum is at the first or last value of each).
 */
final class StreamBounds {
    private StreamBounds() {}

    /**
     * Same-shape elementwise operand: step i reads element i, then writes element i, so
     * {@code max_i i * (so - si)}: in place when the output element is no wider than the input's.
     */
    static Bound elementwise(Operand o) {
        long n = o.inElements();
        long growth = o.so() - o.si();
        if (growth <= 0) return new Bound(0, true, String.format("in place: element i read before element i is written, so=%d <= si=%d", o.so(), o.si()));
        return new Bound((n - 1) * growth, true, String.format("(n-1)*(so-si) = (%d-1)*(%d-%d)", n, o.so(), o.si()));
    }

    /**
     * A broadcast operand of a binary elementwise kernel: TFLM's broadcast loops visit the output in row-major
     * order and read this operand at {@code sum_d i_d * stride_d} (stride 0 along its size-1 dims). Step s writes
     * output s after reading that element, so the lag {@code s*so - index(s)*si} is a sum of one term per output
     * dim, {@code i_d * (outStride_d*so - stride_d*si)}, maximal at {@code i_d = 0} or the last index:
     * {@code sum_d max(0, (O_d - 1) * (outStride_d*so - stride_d*si))}. For an operand of the output's shape it is
     * the elementwise bound.
     */
    static Bound broadcast(Operand o) {
        long[][] strides = broadcastStrides(o.in().shape().toArray(), o.out().shape().toArray());
        int[] out = o.out().shape().toArray();
        long v = 0;
        for (int d = 0; d < out.length; d++) v += Math.max(0, (out[d] - 1) * (strides[1][d] * o.so() - strides[0][d] * o.si()));
        return new Bound(v, true, String.format("broadcast: sum_d max(0,(O_d-1)*(outStride_d*so - inStride_d*si)) over output %s, operand %s",
                o.out().shape(), o.in().shape()));
    }

    /** {operand strides (0 along broadcast dims), output strides}, both over the output's dims (the operand right-aligned). */
    static long[][] broadcastStrides(int[] operand, int[] out) {
        int rank = out.length, shift = rank - operand.length;
        long[] in = new long[rank], os = new long[rank];
        long si = 1, so = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int extent = d < shift ? 1 : operand[d - shift];
            in[d] = extent == 1 ? 0 : si;
            os[d] = so;
            si *= extent;
            so *= out[d];
        }
        return new long[][] {in, os};
    }

    /**
     * TRANSPOSE ({@code TransposeImpl}, an element loop, no memcpy): output element s, at output index
     * {@code (i_0..i_r)}, is copied from input element {@code sum_d i_d * inStride[perm[d]]}, read just before it is
     * written, so {@code e * sum_d max(0, (O_d - 1) * (outStride_d - inStride[perm[d]]))}.
     */
    static Bound transpose(Operand o) {
        long[][] strides = transposeStrides(o.in().shape().toArray(), o.constInts(1));
        int[] out = o.out().shape().toArray();
        long v = 0;
        for (int d = 0; d < out.length; d++) v += Math.max(0, (out[d] - 1) * (strides[1][d] - strides[0][d]));
        return new Bound(v * o.si(), true, String.format("e*sum_d max(0,(O_d-1)*(outStride_d - inStride[perm[d]])) with perm %s",
                Arrays.toString(o.constInts(1))));
    }

    /** {input stride of the input dim each output dim comes from, output strides}, in elements. */
    static long[][] transposeStrides(int[] in, int[] perm) {
        int rank = in.length;
        long[] inStride = new long[rank], outStride = new long[rank], permuted = new long[rank];
        long si = 1, so = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStride[d] = si;
            si *= in[d];
        }
        for (int d = rank - 1; d >= 0; d--) {
            outStride[d] = so;
            so *= in[perm[d]];
            permuted[d] = inStride[perm[d]];
        }
        return new long[][] {permuted, outStride};
    }

    /**
     * SOFTMAX / LOG_SOFTMAX: each row is read in full once or twice (max, sum of exponentials), then a last pass
     * reads element c and writes element c. Before any read of row r only rows below r are written, and during the
     * last pass element c of row r is read after elements below it: the elementwise bound.
     */
    static Bound rows(Operand o) {
        Bound e = elementwise(o);
        return new Bound(e.minDeltaBytes(), true, "rows read fully, then element c read before it is written: " + e.formula());
    }

    /**
     * FULLY_CONNECTED: step (b, oc) reads the whole input row b from its first element, then writes output
     * {@code b * OC + oc}: {@code max(0, (B-1)*(OC*so - D*si)) + (OC-1)*so}.
     */
    static Bound fullyConnected(Operand o) {
        int[] od = o.out().shape().toArray();
        long oc = od[od.length - 1];
        long rows = oc == 0 ? 0 : o.out().shape().numElements() / oc;
        int[] wd = o.input(1).shape().toArray();
        long depth = wd[wd.length - 1];
        long batch = Math.max(0, (rows - 1) * (oc * o.so() - depth * o.si()));
        long within = Math.max(0, (oc - 1) * o.so());
        return new Bound(batch + within, true, String.format(
                "max(0, (B-1)*(OC*so - D*si)) + (OC-1)*so with B=%d OC=%d D=%d so=%d si=%d", rows, oc, depth, o.so(), o.si()));
    }

    /**
     * PAD / PADV2: the output raster is written in order, each core element read just before it is written, so
     * input element k is read after output elements {@code [0, pos(k))} (pos its output raster index) are written:
     * {@code max_k si*(pos(k) - k)}, largest for the last input element since pos(k) - k never decreases.
     */
    static Bound pad(Operand o) {
        long n = o.inElements();
        if (n == 0) return new Bound(0, true, "empty input");
        int[] in = o.in().shape().toArray();
        int[] out = o.out().shape().toArray();
        int[] pads = o.constInts(1);
        long pos = 0;
        for (int d = 0; d < out.length; d++) pos = pos * out[d] + (in[d] - 1 + pads[2 * d]);
        long e = o.si();
        return new Bound(e * (pos + 1 - n), true, String.format("elemSize*(lastCorePos+1-N_in) = %d*(%d+1-%d)", e, pos, n));
    }

    /**
     * ARG_MAX / ARG_MIN: step (outer, inner) reads the axis from {@code (outer*A*inner + inner_idx)} and writes
     * output {@code outer*inner + inner_idx}: {@code max(0,(outer-1)*inner*(so - A*si)) + max(0,(inner-1)*(so-si))}.
     */
    static Bound argMinMax(Operand o) {
        int[] d = o.in().shape().toArray();
        int axis = o.constInts(1)[0];
        if (axis < 0) axis += d.length;
        long outer = product(d, 0, axis), size = d[axis], inner = product(d, axis + 1, d.length);
        long a = Math.max(0, (outer - 1) * inner * (o.so() - size * o.si()));
        long b = Math.max(0, (inner - 1) * (o.so() - o.si()));
        return new Bound(a + b, true, String.format("max(0,(outer-1)*inner*(so-A*si)) + max(0,(inner-1)*(so-si)) with outer=%d A=%d inner=%d", outer, size, inner));
    }

    /**
     * MEAN's float 4-D path over axes {1, 2} (loop b, d, then h, w): step (b, d) reads from {@code (b*H*W*D + d)}
     * and writes output {@code b*D + d}: {@code max(0,(B-1)*(D*so - H*W*D*si)) + max(0,(D-1)*(so-si))}.
     */
    static Bound mean4d(Operand o) {
        int[] in = o.in().shape().extended(4);
        long b = in[0], h = in[1], w = in[2], d = in[3];
        long batch = Math.max(0, (b - 1) * (d * o.so() - h * w * d * o.si()));
        long channel = Math.max(0, (d - 1) * (o.so() - o.si()));
        return new Bound(batch + channel, true, String.format("4-D mean over H,W: max(0,(B-1)*(D*so-H*W*D*si)) + max(0,(D-1)*(so-si)) with B=%d H=%d W=%d D=%d", b, h, w, d));
    }

    /**
     * UNIDIRECTIONAL_SEQUENCE_LSTM, input operand: step k (a time step of all batches when time-major, else one
     * batch row's time step) reads input rows {@code [k*R, (k+1)*R)} in its gate FCs and copies the hidden state
     * to output rows {@code [k*R, (k+1)*R)} at its end: {@code max(0, (K-1)*R*(U*so - I*si))}.
     */
    static Bound lstm(Operand o) {
        int[] in = o.in().shape().toArray();
        int[] out = o.out().shape().toArray();
        boolean timeMajor = o.op().options().getBool("timeMajor");
        long steps = timeMajor ? in[0] : (long) in[0] * in[1];
        long rows = timeMajor ? in[1] : 1;
        long units = out[out.length - 1], inputSize = in[2];
        long v = Math.max(0, (steps - 1) * rows * (units * o.so() - inputSize * o.si()));
        return new Bound(v, true, String.format("max(0,(K-1)*R*(U*so - I*si)) with K=%d R=%d U=%d I=%d", steps, rows, units, inputSize));
    }

    /**
     * RESIZE_BILINEAR: step (b, y, x, c) reads four corners, the lowest at (y0(y), x0(x), c), then writes output
     * element s. Separable as for the window operators; the source row and column of each output row and column
     * come from the kernel's own coordinate arithmetic, evaluated once per output row and per output column.
     */
    static Bound resizeBilinear(Operand o) {
        int[] in = o.in().shape().extended(4);
        int[] out = o.out().shape().extended(4);
        boolean align = o.op().options().getBool("alignCorners");
        boolean half = o.op().options().getBool("halfPixelCenters");
        boolean integer = o.in().dtype() == DType.INT8;
        long depth = in[3], so = o.so(), si = o.si();
        long batch = Math.max(0, (in[0] - 1) * ((long) out[1] * out[2] * depth * so - (long) in[1] * in[2] * depth * si));
        long row = Long.MIN_VALUE, col = Long.MIN_VALUE;
        for (int y = 0; y < out[1]; y++) row = Math.max(row, (long) y * out[2] * depth * so - ResizeSource.lowest(y, in[1], out[1], align, half, integer) * in[2] * depth * si);
        for (int x = 0; x < out[2]; x++) col = Math.max(col, (long) x * depth * so - ResizeSource.lowest(x, in[2], out[2], align, half, integer) * depth * si);
        long channel = Math.max(0, (depth - 1) * (so - si));
        return new Bound(Math.max(0, batch + row + col + channel), true,
                String.format("exact: batch %d + row %d + column %d + channel %d (source rows/columns per output row/column)", batch, row, col, channel));
    }

    private static long product(int[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= d[i];
        return p;
    }

    static boolean sameElements(Tensor a, Tensor b) { return a.shape().numElements() == b.shape().numElements(); }
}
