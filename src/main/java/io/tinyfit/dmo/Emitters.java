package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.kernels.Window;
import io.tinyfit.model.DType;

import java.util.Arrays;

/** Reads an operator's shapes and options and hands them to the loop nest of its kind ({@link AccessOrders#enumerate}). */
final class Emitters {
    private Emitters() {}

    static void emit(Operand o, boolean aliased, AccessListener reads, AccessListener writes) {
        String kind = o.kind();
        int si = o.si(), so = o.so();
        switch (kind) {
            case "CONV_2D" -> WindowOrders.conv(window(o), si, so, reads, writes);
            case "DEPTHWISE_CONV_2D" -> WindowOrders.depthwise(window(o), si, so, reads, writes);
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> WindowOrders.pool(window(o), si, so, reads, writes);
            case "PAD", "PADV2" -> {
                requireData(o, 0);
                RasterOrders.pad(o.in().shape().toArray(), o.out().shape().toArray(), o.constInts(1), si, reads, writes);
            }
            case "FULLY_CONNECTED" -> {
                requireData(o, 0);
                int[] od = o.out().shape().toArray();
                int[] wd = o.input(1).shape().toArray();
                long outDepth = od[od.length - 1];
                RasterOrders.fullyConnected(o.out().shape().numElements() / outDepth, outDepth, wd[wd.length - 1], si, so, reads, writes);
            }
            case "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE" -> {
                int[] out = o.out().shape().toArray();
                long[][] strides = new long[2][];
                for (int p = 0; p < 2; p++) {
                    strides[p] = o.op().input(p) == o.op().input(o.inputIndex()) ? StreamBounds.broadcastStrides(o.input(p).shape().toArray(), out)[0] : null;
                }
                RasterOrders.broadcast(out, strides, si, so, reads, writes);
            }
            case "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE" -> {
                requireData(o, 0);
                RasterOrders.elementwise(o.inElements(), 1, si, so, reads, writes);
            }
            case "SOFTMAX", "LOG_SOFTMAX" -> {
                int[] d = o.in().shape().toArray();
                int depth = d[d.length - 1];
                long rows = depth == 0 ? 0 : o.inElements() / depth;
                if (kind.equals("SOFTMAX")) RasterOrders.softmax(rows, depth, o.in().dtype(), si, so, reads, writes);
                else RasterOrders.logSoftmax(rows, depth, si, so, reads, writes);
            }
            case "RESHAPE" -> {
                if (!aliased) RasterOrders.copyBytes(0, 0, o.in().bytes(), reads, writes);
            }
            case "TRANSPOSE" -> {
                requireData(o, 0);
                long[] inStride = StreamBounds.transposeStrides(o.in().shape().toArray(), o.constInts(1))[0];
                RasterOrders.transpose(o.out().shape().toArray(), inStride, si, reads, writes);
            }
            case "EXPAND_DIMS" -> RasterOrders.copyBytes(0, 0, o.in().bytes(), reads, writes);
            case "MEAN", "SUM" -> reduce(o, reads, writes);
            case "ARG_MAX", "ARG_MIN" -> {
                int[] d = o.in().shape().toArray();
                int axis = o.constInts(1)[0];
                if (axis < 0) axis += d.length;
                RasterOrders.argMinMax(product(d, 0, axis), d[axis], product(d, axis + 1, d.length), si, so, reads, writes);
            }
            case "RESIZE_BILINEAR" -> {
                requireData(o, 0);
                int[] in = o.in().shape().extended(4), out = o.out().shape().extended(4);
                boolean align = o.op().options().getBool("alignCorners"), half = o.op().options().getBool("halfPixelCenters");
                boolean integer = o.in().dtype() == DType.INT8;
                int[][] rows = new int[out[1]][], cols = new int[out[2]][];
                for (int y = 0; y < out[1]; y++) rows[y] = ResizeSource.of(y, in[1], out[1], align, half, integer);
                for (int x = 0; x < out[2]; x++) cols[x] = ResizeSource.of(x, in[2], out[2], align, half, integer);
                RasterOrders.resizeBilinear(in, out, rows, cols, si, so, reads, writes);
            }
            default -> throw new IllegalArgumentException(kind + " has no modelled loop nest");
        }
    }

    private static Window window(Operand o) {
        requireData(o, 0);
        return Window.of(o.graph(), o.op());
    }

    private static void reduce(Operand o, AccessListener reads, AccessListener writes) {
        requireData(o, 0);
        int[] dims = o.in().shape().toArray();
        int[] axes = o.constInts(1);
        boolean isFloat = o.in().dtype() == DType.FLOAT32;
        boolean mean = o.kind().equals("MEAN");
        if (mean && isFloat && dims.length == 4 && o.op().options().getBool("keepDims")) {
            int[] sorted = axes.clone();
            Arrays.sort(sorted);
            if (axes.length == 2 && Arrays.equals(sorted, new int[] {1, 2})) {
                RasterOrders.mean4d(dims, o.si(), o.so(), reads, writes);
                return;
            }
        }
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) reduced[a < 0 ? a + dims.length : a] = true;
        RasterOrders.reduce(dims, reduced, o.out().shape().numElements(), o.si(), o.so(), isFloat, !mean, mean, reads, writes);
    }

    private static void requireData(Operand o, int index) {
        if (o.inputIndex() != index) throw new IllegalArgumentException(o.kind() + " operand " + o.inputIndex() + " is not modelled");
    }

    private static long product(int[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= d[i];
        return p;
    }
}
