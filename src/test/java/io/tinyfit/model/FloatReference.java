package io.tinyfit.model;

import java.util.HashMap;
import java.util.Map;

/**
 * A plain double-precision forward pass over the real values a built model represents (int8 weights and biases
 * dequantised), for the few operator kinds GraphBuilder emits. Tests use it to see how the real activation
 * values sit inside the int8 ranges GraphBuilder chose; it is not bit-exact with anything and need not be.
 */
final class FloatReference {
    private FloatReference() {}

    /** Real values of every tensor computed from {@code input} (the real values of graph input 0). */
    static Map<Integer, double[]> run(Graph g, double[] input) {
        Map<Integer, double[]> v = new HashMap<>();
        v.put(g.inputs().get(0), input);
        for (Op op : g.ops()) {
            Tensor out = g.tensor(op.output(0));
            double[] x = v.get(op.input(0));
            int[] xs = g.tensor(op.input(0)).shape().toArray();
            int[] os = out.shape().toArray();
            Options o = op.options();
            double[] y = switch (op.kind()) {
                case "CONV_2D" -> conv(x, xs, real(g.tensor(op.input(1))), g.tensor(op.input(1)).shape().toArray(),
                        real(g.tensor(op.input(2))), os, o, false);
                case "DEPTHWISE_CONV_2D" -> conv(x, xs, real(g.tensor(op.input(1))), g.tensor(op.input(1)).shape().toArray(),
                        real(g.tensor(op.input(2))), os, o, true);
                case "FULLY_CONNECTED" -> fc(x, real(g.tensor(op.input(1))), real(g.tensor(op.input(2))), os);
                case "ADD" -> {
                    double[] b = v.get(op.input(1));
                    double[] s = new double[x.length];
                    for (int i = 0; i < s.length; i++) s[i] = x[i] + b[i];
                    yield s;
                }
                case "MEAN" -> meanHw(x, xs);
                case "SOFTMAX" -> softmax(x, os[os.length - 1]);
                case "RESHAPE" -> x.clone();
                default -> throw new IllegalArgumentException("FloatReference has no " + op.kind());
            };
            int act = o.getInt("fusedActivationFunction", 0);
            for (int i = 0; i < y.length; i++) {
                if (act == 1) y[i] = Math.max(0, y[i]);
                if (act == 3) y[i] = Math.max(0, Math.min(6, y[i]));
            }
            v.put(out.id(), y);
        }
        return v;
    }

    /** Dequantised (or plain float) values of a constant tensor; per-channel scales along the quantised dimension. */
    static double[] real(Tensor t) {
        ConstData d = t.data();
        int n = (int) t.shape().numElements();
        double[] out = new double[n];
        Quantization q = t.quant();
        int[] dims = t.shape().toArray();
        int inner = 1;
        for (int i = q.quantizedDimension() + 1; i < dims.length; i++) inner *= dims[i];
        for (int i = 0; i < n; i++) {
            double raw = switch (t.dtype()) {
                case INT8 -> d.i8(i);
                case INT32 -> d.i32At(4 * i);
                case FLOAT32 -> d.f32At(4 * i);
                default -> throw new IllegalArgumentException(t.dtype().label());
            };
            if (t.dtype() == DType.FLOAT32) out[i] = raw;
            else out[i] = raw * q.scale(q.isPerChannel() ? (i / inner) % dims[q.quantizedDimension()] : 0);
        }
        return out;
    }

    private static double[] conv(double[] x, int[] xs, double[] w, int[] ws, double[] bias, int[] os, Options o, boolean depthwise) {
        int sh = o.getInt("strideH");
        int sw = o.getInt("strideW");
        int dh = o.getInt("dilationHFactor");
        int dw = o.getInt("dilationWFactor");
        int kh = ws[1];
        int kw = ws[2];
        int padH = 0;
        int padW = 0;
        if (o.getInt("padding") == 0) {
            padH = Math.max((os[1] - 1) * sh + (kh - 1) * dh + 1 - xs[1], 0) / 2;
            padW = Math.max((os[2] - 1) * sw + (kw - 1) * dw + 1 - xs[2], 0) / 2;
        }
        int inC = xs[3];
        int outC = os[3];
        int mult = depthwise ? outC / inC : 1;
        double[] y = new double[os[1] * os[2] * outC];
        for (int oy = 0; oy < os[1]; oy++) {
            for (int ox = 0; ox < os[2]; ox++) {
                for (int oc = 0; oc < outC; oc++) {
                    double acc = bias[oc];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * sh - padH + ky * dh;
                        if (iy < 0 || iy >= xs[1]) continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * sw - padW + kx * dw;
                            if (ix < 0 || ix >= xs[2]) continue;
                            int base = (iy * xs[2] + ix) * inC;
                            if (depthwise) {
                                acc += x[base + oc / mult] * w[(ky * kw + kx) * outC + oc];
                            } else {
                                int wb = ((oc * kh + ky) * kw + kx) * inC;
                                for (int ic = 0; ic < inC; ic++) acc += x[base + ic] * w[wb + ic];
                            }
                        }
                    }
                    y[(oy * os[2] + ox) * outC + oc] = acc;
                }
            }
        }
        return y;
    }

    private static double[] fc(double[] x, double[] w, double[] bias, int[] os) {
        int units = os[os.length - 1];
        int k = w.length / units;
        int batch = x.length / k;
        double[] y = new double[batch * units];
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                double acc = bias[u];
                for (int i = 0; i < k; i++) acc += x[b * k + i] * w[u * k + i];
                y[b * units + u] = acc;
            }
        }
        return y;
    }

    private static double[] meanHw(double[] x, int[] xs) {
        int hw = xs[1] * xs[2];
        double[] y = new double[xs[3]];
        for (int p = 0; p < hw; p++) for (int c = 0; c < xs[3]; c++) y[c] += x[p * xs[3] + c] / hw;
        return y;
    }

    private static double[] softmax(double[] x, int n) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, x[r * n + i]);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += y[r * n + i] = Math.exp(x[r * n + i] - max);
            for (int i = 0; i < n; i++) y[r * n + i] /= sum;
        }
        return y;
    }
}
