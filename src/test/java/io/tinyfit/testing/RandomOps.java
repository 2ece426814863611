package io.tinyfit.testing;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.tinyfit.testing.OneOp.q;
import static io.tinyfit.testing.TestOptions.options;
import static io.tinyfit.model.DType.FLOAT32;
import static io.tinyfit.model.DType.INT16;
import static io.tinyfit.model.DType.INT32;
import static io.tinyfit.model.DType.INT64;
import static io.tinyfit.model.DType.INT8;
import static io.tinyfit.model.DType.UINT8;

/**
 * Random single-operator models for every kernel kind of {@link KernelRegistry}: small random shapes, strides,
 * paddings, dilations, channel counts, depth multipliers, broadcasts, axes, and the dtypes each kernel supports
 * (int8 mostly; int16, float32, int32, uint8 and hybrid where the kernel has them). Shapes stay small so that the
 * black-box search, which runs the kernel dozens of times per case, stays fast.
 */
public final class RandomOps {
    private RandomOps() {}

    /** One generated operator and its arena operands (non-constant, non-variable inputs, first position of each tensor). */
    public record OpCase(String kind, Graph graph, List<Integer> arenaInputs) {
        public String label() {
            Op op = graph.ops().get(0);
            StringBuilder s = new StringBuilder(kind);
            for (int t : op.inputs()) if (t >= 0) s.append(' ').append(describe(graph.tensor(t)));
            s.append(" -> ");
            for (int t : op.outputs()) s.append(describe(graph.tensor(t))).append(' ');
            return s.append(op.options()).toString();
        }

        private static String describe(Tensor t) {
            return t.dtype().label() + Arrays.toString(t.shape().toArray()) + (t.isConstant() ? "c" : t.variable() ? "v" : "");
        }
    }

    /** Every registered kind, sorted. */
    public static List<String> kinds() { return List.copyOf(new TreeSet<>(KernelRegistry.kinds())); }

    public static OpCase of(String kind, long seed) {
        Graph g = new Gen(new SplittableRandom(seed)).make(kind);
        Op op = g.ops().get(0);
        List<Integer> arena = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            int t = op.input(i);
            if (t < 0 || seen.contains(t)) continue;
            seen.add(t);
            Tensor x = g.tensor(t);
            if (!x.isConstant() && !x.variable()) arena.add(i);
        }
        return new OpCase(kind, g, List.copyOf(arena));
    }

    /** The generator: one per case, drawing from its own stream. */
    private static final class Gen {
        private final SplittableRandom r;
        private final OneOp m = new OneOp();

        Gen(SplittableRandom r) { this.r = r; }

        int in(int lo, int hi) { return r.nextInt(lo, hi + 1); }

        boolean chance(double p) { return r.nextDouble() < p; }

        @SafeVarargs
        final <T> T pick(T... options) { return options[r.nextInt(options.length)]; }

        int[] shape(int rank, int lo, int hi) {
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) s[i] = in(lo, hi);
            return s;
        }

        Quantization act(DType t) {
            return switch (t) {
                case INT8 -> q(0.02f + 0.08f * (float) r.nextDouble(), in(-10, 10));
                case UINT8 -> q(0.02f + 0.08f * (float) r.nextDouble(), in(118, 138));
                case INT16 -> q(1e-4f + 9e-4f * (float) r.nextDouble(), 0);
                case INT32 -> q(1e-3f, 0);
                default -> null;
            };
        }

        int activation(DType t, int[] shape) { return m.input(t, shape, act(t)); }

        int out(DType t, int[] shape) { return m.output(t, shape, act(t)); }

        int out(DType t, int[] shape, Quantization q) { return m.output(t, shape, q); }

        byte[] data(DType t, int n) {
            byte[] b = new byte[n * t.bytes()];
            switch (t) {
                case FLOAT32 -> {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) f[i] = (float) r.nextDouble() * 2 - 1;
                    return LittleEndian.f32(f);
                }
                case INT32 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) v[i] = in(-500, 500);
                    return LittleEndian.i32(v);
                }
                case INT64 -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) v[i] = in(-500, 500);
                    return LittleEndian.i64(v);
                }
                default -> {
                    for (int i = 0; i < b.length; i++) b[i] = (byte) in(-127, 127);
                    return b;
                }
            }
        }

        int weights(DType t, int[] shape, int channels, int dim) {
            int n = (int) Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            Quantization wq = null;
            if (t == INT8) {
                float[] s = new float[channels];
                for (int i = 0; i < channels; i++) s[i] = 0.002f + 0.01f * (float) r.nextDouble();
                wq = channels == 1 ? q(s[0], 0) : OneOp.perChannel(s, dim);
            }
            return m.constant(t, shape, wq, data(t, n));
        }

        /** A bias of the type the kernel wants for this activation type, or -1 (omitted) now and then. */
        int bias(DType activation, DType weights, int n, boolean int16NeedsInt64) {
            if (chance(0.15)) return -1;
            DType t = activation == FLOAT32 ? FLOAT32 : activation == INT16 && (int16NeedsInt64 || chance(0.5)) ? INT64 : INT32;
            return m.constant(t, new int[] {n}, t == FLOAT32 ? null : q(1e-4f, 0), data(t, n));
        }

        Graph build(String kind, Options o, List<Integer> inputs, int... outputs) {
            List<Integer> outs = new ArrayList<>();
            for (int x : outputs) outs.add(x);
            return m.build(kind, o, inputs, outs);
        }

        static int outSize(boolean same, int in, int taps, int stride, int dilation) {
            int eff = (taps - 1) * dilation + 1;
            return same ? (in + stride - 1) / stride : (in - eff) / stride + 1;
        }

        Graph make(String kind) {
            return switch (kind) {
                case "CONV_2D" -> conv();
                case "DEPTHWISE_CONV_2D" -> depthwise();
                case "TRANSPOSE_CONV" -> transposeConv();
                case "FULLY_CONNECTED" -> fullyConnected();
                case "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE" -> binary(kind);
                case "PRELU" -> prelu();
                case "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH" -> unary(kind);
                case "QUANTIZE" -> quantize();
                case "DEQUANTIZE" -> dequantize();
                case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> pool(kind);
                case "MEAN", "SUM" -> reduce(kind);
                case "SOFTMAX" -> softmax();
                case "LOG_SOFTMAX" -> logSoftmax();
                case "ARG_MAX", "ARG_MIN" -> argMinMax(kind);
                case "RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR" -> resize(kind);
                case "RESHAPE" -> reshape();
                case "SQUEEZE" -> squeeze();
                case "EXPAND_DIMS" -> expandDims();
                case "PAD", "PADV2" -> pad(kind);
                case "CONCATENATION" -> concatenation();
                case "SPLIT", "SPLIT_V" -> split(kind);
                case "PACK" -> pack();
                case "UNPACK" -> unpack();
                case "TRANSPOSE" -> transpose();
                case "STRIDED_SLICE" -> stridedSlice();
                case "SLICE" -> slice();
                case "SHAPE" -> shape();
                case "GATHER" -> gather();
                case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> lstm();
                case "SVDF" -> svdf();
                case "CUSTOM(TFLite_Detection_PostProcess)" -> detection();
                default -> throw new IllegalArgumentException("no generator for " + kind);
            };
        }

        // ------------------------------------------------------------------------------------ conv family

        /** Activation and weight types: int8 mostly, then int16x8, float32 and hybrid (float32 with int8 weights). */
        DType[] convTypes() {
            return pick(new DType[] {INT8, INT8}, new DType[] {INT8, INT8}, new DType[] {INT8, INT8}, new DType[] {INT16, INT8},
                    new DType[] {FLOAT32, FLOAT32}, new DType[] {FLOAT32, INT8});
        }

        Graph conv() {
            DType[] t = convTypes();
            int b = in(1, 2), h = in(1, 7), w = in(1, 7);
            int groups = chance(0.2) ? in(2, 3) : 1;
            int fDepth = in(1, 3), oc = groups * in(1, 3);
            int fh = in(1, 3), fw = in(1, 3), sh = in(1, 3), sw = in(1, 3), dh = in(1, 2), dw = in(1, 2);
            boolean same = chance(0.5) || (fh - 1) * dh + 1 > h || (fw - 1) * dw + 1 > w;
            int x = activation(t[0], new int[] {b, h, w, groups * fDepth});
            int f = weights(t[1], new int[] {oc, fh, fw, fDepth}, t[1] == INT8 && chance(0.8) ? oc : 1, 0);
            int bias = bias(t[0], t[1], oc, false);
            int y = out(t[0], new int[] {b, outSize(same, h, fh, sh, dh), outSize(same, w, fw, sw, dw), oc});
            Options o = options("Conv2DOptions", "padding", same ? 0 : 1, "strideW", sw, "strideH", sh,
                    "fusedActivationFunction", pick(0, 1, 3), "dilationWFactor", dw, "dilationHFactor", dh);
            return build("CONV_2D", o, List.of(x, f, bias), y);
        }

        Graph depthwise() {
            DType[] t = convTypes();
            int b = in(1, 2), h = in(1, 7), w = in(1, 7), ic = in(1, 4), mult = pick(1, 1, 2, 3);
            int fh = in(1, 3), fw = in(1, 3), sh = in(1, 3), sw = in(1, 3), dh = in(1, 2), dw = in(1, 2);
            boolean same = chance(0.5) || (fh - 1) * dh + 1 > h || (fw - 1) * dw + 1 > w;
            int oc = ic * mult;
            int x = activation(t[0], new int[] {b, h, w, ic});
            int f = weights(t[1], new int[] {1, fh, fw, oc}, t[1] == INT8 && chance(0.8) ? oc : 1, 3);
            int bias = bias(t[0], t[1], oc, true);
            int y = out(t[0], new int[] {b, outSize(same, h, fh, sh, dh), outSize(same, w, fw, sw, dw), oc});
            Options o = options("DepthwiseConv2DOptions", "padding", same ? 0 : 1, "strideW", sw, "strideH", sh, "depthMultiplier", mult,
                    "fusedActivationFunction", pick(0, 1, 3), "dilationWFactor", dw, "dilationHFactor", dh);
            return build("DEPTHWISE_CONV_2D", o, List.of(x, f, bias), y);
        }

        Graph transposeConv() {
            DType t = pick(INT8, INT8, INT16, FLOAT32);
            int b = in(1, 2), h = in(1, 4), w = in(1, 4), ic = in(1, 3), oc = in(1, 3);
            int fh = in(1, 3), fw = in(1, 3), sh = in(1, 2), sw = in(1, 2);
            boolean same = chance(0.5);
            int oh = same ? h * sh : (h - 1) * sh + fh, ow = same ? w * sw : (w - 1) * sw + fw;
            int shape = m.ints(b, oh, ow, oc);
            DType wt = t == FLOAT32 ? FLOAT32 : INT8;
            int f = weights(wt, new int[] {oc, fh, fw, ic}, wt == INT8 ? oc : 1, 0);
            int x = activation(t, new int[] {b, h, w, ic});
            int bias = bias(t, wt, oc, true);
            int y = out(t, new int[] {b, oh, ow, oc});
            Options o = options("TransposeConvOptions", "padding", same ? 0 : 1, "strideW", sw, "strideH", sh, "fusedActivationFunction", 0);
            return build("TRANSPOSE_CONV", o, List.of(shape, f, x, bias), y);
        }

        Graph fullyConnected() {
            DType[] t = convTypes();
            int rows = in(1, 3), depth = in(1, 8), oc = in(1, 6);
            int x = activation(t[0], rows == 1 && chance(0.3) ? new int[] {1, 1, depth} : new int[] {rows, depth});
            int f = weights(t[1], new int[] {oc, depth}, t[1] == INT8 && chance(0.5) ? oc : 1, 0);
            int bias = bias(t[0], t[1], oc, false);
            int y = out(t[0], new int[] {rows, oc});
            Options o = options("FullyConnectedOptions", "fusedActivationFunction", pick(0, 1), "asymmetricQuantizeInputs", chance(0.5),
                    "weightsFormat", 0, "keepNumDims", false);
            return build("FULLY_CONNECTED", o, List.of(x, f, bias), y);
        }

        // ------------------------------------------------------------------------------------ elementwise

        Graph binary(String kind) {
            DType t = pick(INT8, INT8, INT8, INT16, FLOAT32, INT32);
            int[] full = shape(in(1, 4), 1, 4);
            int[] a = full.clone(), bShape = full.clone();
            if (chance(0.35)) {
                int[] narrowed = chance(0.5) ? a : bShape;
                for (int i = 0; i < narrowed.length; i++) if (chance(0.5)) narrowed[i] = 1;
            }
            int x1 = activation(t, a);
            int x2 = chance(0.1) && Arrays.equals(a, bShape) ? x1 : activation(t, bShape);
            int y = out(t, full);
            Options o = kind.equals("ADD") || kind.equals("SUB") || kind.equals("MUL")
                    ? options(kind.charAt(0) + kind.substring(1).toLowerCase() + "Options", "fusedActivationFunction", pick(0, 1, 3))
                    : Options.NONE;
            return build(kind, o, List.of(x1, x2), y);
        }

        Graph prelu() {
            DType t = pick(INT8, INT8, INT16, FLOAT32);
            int[] s = shape(in(1, 4), 1, 4);
            int x = activation(t, s);
            DType at = t == FLOAT32 ? FLOAT32 : INT8;
            int alpha;
            if (chance(0.3)) {
                alpha = activation(at, s);
            } else {
                int c = s[s.length - 1];
                alpha = m.constant(at, new int[] {c}, at == INT8 ? q(0.01f, in(-5, 5)) : null, data(at, c));
            }
            return build("PRELU", Options.NONE, List.of(x, alpha), out(t, s));
        }

        Graph unary(String kind) {
            DType t = switch (kind) {
                case "HARD_SWISH" -> pick(INT8, INT8, FLOAT32);
                default -> pick(INT8, INT8, INT16, FLOAT32);
            };
            int[] s = shape(in(1, 4), 1, 5);
            Quantization inQ = act(t), outQ = act(t);
            if (t == INT16 && (kind.equals("LOGISTIC") || kind.equals("TANH"))) {
                inQ = q(1f / 4096, 0);
                outQ = q(1f / 32768, 0);
            } else if (t == INT8 && kind.equals("LOGISTIC")) {
                outQ = q(1f / 256, -128);
            } else if (t == INT8 && kind.equals("TANH")) {
                outQ = q(1f / 128, 0);
            } else if (t == INT8 && kind.equals("HARD_SWISH")) {
                outQ = q(inQ.scale(), inQ.zeroPoint());
            }
            int x = m.input(t, s, inQ);
            int y = out(t, s, outQ);
            Options o = kind.equals("LEAKY_RELU") ? options("LeakyReluOptions", "alpha", 0.2f) : Options.NONE;
            return build(kind, o, List.of(x), y);
        }

        Graph quantize() {
            DType[] pair = pick(new DType[] {FLOAT32, INT8}, new DType[] {FLOAT32, INT16}, new DType[] {FLOAT32, UINT8},
                    new DType[] {INT8, INT8}, new DType[] {INT8, INT16}, new DType[] {INT8, INT32}, new DType[] {INT16, INT8},
                    new DType[] {INT16, INT32}, new DType[] {INT32, INT8}, new DType[] {INT8, UINT8});
            int[] s = shape(in(1, 4), 1, 5);
            return build("QUANTIZE", Options.NONE, List.of(activation(pair[0], s)), out(pair[1], s));
        }

        Graph dequantize() {
            DType t = pick(INT8, INT8, INT16, UINT8);
            int[] s = shape(in(1, 4), 1, 5);
            return build("DEQUANTIZE", Options.NONE, List.of(activation(t, s)), out(FLOAT32, s));
        }

        // ------------------------------------------------------------------------------------ reductions

        Graph pool(String kind) {
            DType t = pick(INT8, INT8, INT16, FLOAT32);
            int b = in(1, 2), h = in(1, 7), w = in(1, 7), c = in(1, 4);
            int fh = in(1, 3), fw = in(1, 3), sh = in(1, 3), sw = in(1, 3);
            boolean same = chance(0.5) || fh > h || fw > w;
            Quantization qa = act(t);
            int x = m.input(t, new int[] {b, h, w, c}, qa);
            int y = out(t, new int[] {b, outSize(same, h, fh, sh, 1), outSize(same, w, fw, sw, 1), c}, qa);
            Options o = options("Pool2DOptions", "padding", same ? 0 : 1, "strideW", sw, "strideH", sh, "filterWidth", fw,
                    "filterHeight", fh, "fusedActivationFunction", pick(0, 1));
            return build(kind, o, List.of(x), y);
        }

        Graph reduce(String kind) {
            DType t = pick(INT8, INT8, INT16, FLOAT32, FLOAT32);
            int rank = in(1, 4);
            int[] s = shape(rank, 1, 4);
            int[] axes;
            if (rank == 4 && chance(0.5)) {
                axes = chance(0.5) ? new int[] {1, 2} : new int[] {2, 1};
            } else {
                List<Integer> a = new ArrayList<>();
                for (int i = 0; i < rank; i++) if (chance(0.5)) a.add(chance(0.2) ? i - rank : i);
                if (a.isEmpty()) a.add(in(0, rank - 1));
                axes = a.stream().mapToInt(Integer::intValue).toArray();
            }
            boolean keep = chance(0.6);
            boolean[] reduced = new boolean[rank];
            for (int a : axes) reduced[a < 0 ? a + rank : a] = true;
            List<Integer> od = new ArrayList<>();
            for (int i = 0; i < rank; i++) if (!reduced[i]) od.add(s[i]); else if (keep) od.add(1);
            if (od.isEmpty()) od.add(1);
            int x = activation(t, s);
            int axis = m.ints(axes);
            int y = out(t, od.stream().mapToInt(Integer::intValue).toArray());
            return build(kind, options("ReducerOptions", "keepDims", keep), List.of(x, axis), y);
        }

        Graph softmax() {
            DType[] pair = pick(new DType[] {INT8, INT8}, new DType[] {INT8, INT8}, new DType[] {INT8, INT16},
                    new DType[] {INT16, INT16}, new DType[] {FLOAT32, FLOAT32});
            int[] s = shape(in(1, 3), 1, 5);
            Quantization outQ = switch (pair[1]) {
                case INT8 -> q(1f / 256, -128);
                case INT16 -> q(1f / 32768, 0);
                default -> null;
            };
            int x = activation(pair[0], s);
            return build("SOFTMAX", options("SoftmaxOptions", "beta", 1.0f), List.of(x), out(pair[1], s, outQ));
        }

        Graph logSoftmax() {
            DType t = pick(INT8, FLOAT32);
            int[] s = shape(in(1, 3), 1, 5);
            int x = activation(t, s);
            return build("LOG_SOFTMAX", Options.NONE, List.of(x), out(t, s, t == INT8 ? q(16f / 256, 127) : null));
        }

        Graph argMinMax(String kind) {
            DType t = pick(INT8, INT8, FLOAT32, INT16);
            int[] s = shape(in(1, 3), 1, 5);
            int axis = in(0, s.length - 1);
            int[] od = new int[Math.max(1, s.length - 1)];
            Arrays.fill(od, 1);
            for (int i = 0, k = 0; i < s.length; i++) if (i != axis) od[k++] = s[i];
            int x = activation(t, s);
            int a = m.ints(chance(0.2) ? axis - s.length : axis);
            DType ot = pick(INT32, INT32, INT64);
            Options o = options(kind.equals("ARG_MAX") ? "ArgMaxOptions" : "ArgMinOptions", "outputType", (byte) ot.code());
            return build(kind, o, List.of(x, a), m.output(ot, od, null));
        }

        Graph resize(String kind) {
            DType t = kind.equals("RESIZE_BILINEAR") ? pick(INT8, INT8, UINT8, FLOAT32) : pick(INT8, INT16, FLOAT32);
            int b = in(1, 2), h = in(1, 4), w = in(1, 4), c = in(1, 3), oh = in(1, 6), ow = in(1, 6);
            boolean align = chance(0.3), half = !align && chance(0.5);
            Quantization qa = act(t);
            int x = m.input(t, new int[] {b, h, w, c}, qa);
            int size = m.ints(oh, ow);
            String type = kind.equals("RESIZE_BILINEAR") ? "ResizeBilinearOptions" : "ResizeNearestNeighborOptions";
            return build(kind, options(type, "alignCorners", align, "halfPixelCenters", half), List.of(x, size),
                    m.output(t, new int[] {b, oh, ow, c}, qa));
        }

        // ------------------------------------------------------------------------------------ data movement

        DType dataType() { return pick(INT8, INT8, INT16, FLOAT32); }

        Graph reshape() {
            DType t = dataType();
            int[] s = shape(in(1, 4), 1, 4);
            int n = Arrays.stream(s).reduce(1, (a, b) -> a * b);
            int[] os = chance(0.5) ? new int[] {n} : new int[] {1, n};
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            List<Integer> inputs = chance(0.5) ? List.of(x, m.ints(os)) : List.of(x);
            return build("RESHAPE", options("ReshapeOptions", "newShape", os), inputs, m.output(t, os, qa));
        }

        Graph squeeze() {
            DType t = dataType();
            int[] core = shape(in(1, 3), 2, 4);
            List<Integer> dims = new ArrayList<>();
            List<Integer> ones = new ArrayList<>();
            for (int d : core) {
                if (chance(0.5)) { ones.add(dims.size()); dims.add(1); }
                dims.add(d);
            }
            if (ones.isEmpty()) { ones.add(dims.size()); dims.add(1); }
            Quantization qa = act(t);
            int x = m.input(t, dims.stream().mapToInt(Integer::intValue).toArray(), qa);
            int[] squeeze = chance(0.3) ? new int[0] : ones.stream().mapToInt(Integer::intValue).toArray();
            return build("SQUEEZE", options("SqueezeOptions", "squeezeDims", squeeze), List.of(x), m.output(t, core, qa));
        }

        Graph expandDims() {
            DType t = dataType();
            int[] s = shape(in(1, 3), 1, 4);
            int axis = in(0, s.length);
            int[] os = new int[s.length + 1];
            for (int i = 0, k = 0; i < os.length; i++) os[i] = i == axis ? 1 : s[k++];
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            int a = m.constant(INT32, new int[] {1}, null, LittleEndian.i32(chance(0.3) ? axis - s.length - 1 : axis));
            return build("EXPAND_DIMS", Options.NONE, List.of(x, a), m.output(t, os, qa));
        }

        Graph pad(String kind) {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(1, 4), 1, 4);
            int[] pads = new int[2 * s.length];
            int[] os = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                pads[2 * i] = in(0, 2);
                pads[2 * i + 1] = in(0, 2);
                os[i] = s[i] + pads[2 * i] + pads[2 * i + 1];
            }
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            int p = m.constant(INT32, new int[] {s.length, 2}, null, LittleEndian.i32(pads));
            List<Integer> inputs = new ArrayList<>(List.of(x, p));
            if (kind.equals("PADV2")) inputs.add(m.constant(t, new int[] {1}, qa, data(t, 1)));
            return build(kind, Options.NONE, inputs, m.output(t, os, qa));
        }

        Graph concatenation() {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] base = shape(in(1, 4), 1, 3);
            int axis = in(0, base.length - 1);
            int n = in(2, 3);
            List<Integer> inputs = new ArrayList<>();
            int total = 0;
            Quantization qa = act(t);
            for (int i = 0; i < n; i++) {
                int[] s = base.clone();
                s[axis] = in(1, 3);
                total += s[axis];
                inputs.add(m.input(t, s, qa));
            }
            int[] os = base.clone();
            os[axis] = total;
            Options o = options("ConcatenationOptions", "axis", chance(0.3) ? axis - base.length : axis, "fusedActivationFunction", (byte) 0);
            return build("CONCATENATION", o, inputs, m.output(t, os, qa));
        }

        Graph split(String kind) {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(1, 4), 1, 3);
            int axis = in(0, s.length - 1);
            int n = in(1, 3);
            int[] sizes = new int[n];
            Quantization qa = act(t);
            if (kind.equals("SPLIT")) {
                int each = in(1, 3);
                Arrays.fill(sizes, each);
            } else {
                for (int i = 0; i < n; i++) sizes[i] = in(1, 3);
            }
            s[axis] = Arrays.stream(sizes).sum();
            int x = m.input(t, s, qa);
            int[] outs = new int[n];
            for (int i = 0; i < n; i++) {
                int[] os = s.clone();
                os[axis] = sizes[i];
                outs[i] = m.output(t, os, qa);
            }
            int a = m.constant(INT32, new int[] {1}, null, LittleEndian.i32(chance(0.3) ? axis - s.length : axis));
            if (kind.equals("SPLIT")) return build(kind, options("SplitOptions", "numSplits", n), List.of(a, x), outs);
            return build(kind, options("SplitVOptions", "numSplits", n), List.of(x, m.ints(sizes), a), outs);
        }

        Graph pack() {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(1, 3), 1, 3);
            int n = in(1, 3);
            int axis = in(0, s.length);
            int[] os = new int[s.length + 1];
            for (int i = 0, k = 0; i < os.length; i++) os[i] = i == axis ? n : s[k++];
            Quantization qa = act(t);
            List<Integer> inputs = new ArrayList<>();
            for (int i = 0; i < n; i++) inputs.add(m.input(t, s, qa));
            return build("PACK", options("PackOptions", "valuesCount", n, "axis", axis), inputs, m.output(t, os, qa));
        }

        Graph unpack() {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(2, 4), 1, 3);
            int axis = in(0, s.length - 1);
            int n = s[axis];
            int[] os = new int[s.length - 1];
            for (int i = 0, k = 0; i < s.length; i++) if (i != axis) os[k++] = s[i];
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            int[] outs = new int[n];
            for (int i = 0; i < n; i++) outs[i] = m.output(t, os, qa);
            return build("UNPACK", options("UnpackOptions", "num", n, "axis", axis), List.of(x), outs);
        }

        Graph transpose() {
            DType t = dataType();
            int[] s = shape(in(1, 4), 1, 4);
            List<Integer> perm = new ArrayList<>();
            for (int i = 0; i < s.length; i++) perm.add(i);
            java.util.Collections.shuffle(perm, new java.util.Random(r.nextLong()));
            int[] p = perm.stream().mapToInt(Integer::intValue).toArray();
            int[] os = new int[s.length];
            for (int i = 0; i < s.length; i++) os[i] = s[p[i]];
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            return build("TRANSPOSE", Options.NONE, List.of(x, m.ints(p)), m.output(t, os, qa));
        }

        Graph stridedSlice() {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(1, 4), 1, 5);
            int[] begin = new int[s.length], end = new int[s.length], strides = new int[s.length], os = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                begin[i] = in(0, s[i] - 1);
                end[i] = in(begin[i] + 1, s[i]);
                strides[i] = in(1, 2);
                os[i] = (end[i] - begin[i] + strides[i] - 1) / strides[i];
            }
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            Options o = options("StridedSliceOptions", "beginMask", 0, "endMask", 0, "shrinkAxisMask", 0);
            return build("STRIDED_SLICE", o, List.of(x, m.ints(begin), m.ints(end), m.ints(strides)), m.output(t, os, qa));
        }

        Graph slice() {
            DType t = pick(INT8, INT8, INT16, FLOAT32, INT32);
            int[] s = shape(in(1, 4), 1, 5);
            int[] begin = new int[s.length], size = new int[s.length], os = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                begin[i] = in(0, s[i] - 1);
                os[i] = in(1, s[i] - begin[i]);
                size[i] = os[i] == s[i] - begin[i] && chance(0.3) ? -1 : os[i];
            }
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            return build("SLICE", Options.NONE, List.of(x, m.ints(begin), m.ints(size)), m.output(t, os, qa));
        }

        Graph shape() {
            DType t = dataType();
            int[] s = shape(in(1, 4), 1, 4);
            int x = activation(t, s);
            return build("SHAPE", options("ShapeOptions", "outType", (byte) 2), List.of(x), m.output(INT32, new int[] {s.length}, null));
        }

        Graph gather() {
            DType t = pick(INT8, INT8, FLOAT32);
            int[] s = shape(in(1, 3), 1, 4);
            int axis = in(0, s.length - 1);
            int k = in(1, 4);
            int[] positions = new int[k];
            for (int i = 0; i < k; i++) positions[i] = in(0, s[axis] - 1);
            int[] os = new int[s.length];
            for (int i = 0; i < s.length; i++) os[i] = i == axis ? k : s[i];
            Quantization qa = act(t);
            int x = m.input(t, s, qa);
            return build("GATHER", options("GatherOptions", "axis", axis, "batchDims", 0), List.of(x, m.ints(positions)), m.output(t, os, qa));
        }

        // ------------------------------------------------------------------------------------ sequence

        /** A float32 LSTM (no peephole, projection, layer norm or CIFG), batch- or time-major. */
        Graph lstm() {
            int batch = in(1, 2), steps = in(1, 3), inputSize = in(1, 4), units = in(1, 4);
            boolean timeMajor = chance(0.5);
            int x = activation(FLOAT32, timeMajor ? new int[] {steps, batch, inputSize} : new int[] {batch, steps, inputSize});
            List<Integer> inputs = new ArrayList<>(java.util.Collections.nCopies(24, -1));
            inputs.set(0, x);
            for (int g = 0; g < 4; g++) {
                inputs.set(1 + g, weights(FLOAT32, new int[] {units, inputSize}, 1, 0));
                inputs.set(5 + g, weights(FLOAT32, new int[] {units, units}, 1, 0));
                inputs.set(12 + g, m.constant(FLOAT32, new int[] {units}, null, data(FLOAT32, units)));
            }
            inputs.set(18, m.variable(FLOAT32, new int[] {batch, units}, null));
            inputs.set(19, m.variable(FLOAT32, new int[] {batch, units}, null));
            int y = out(FLOAT32, timeMajor ? new int[] {steps, batch, units} : new int[] {batch, steps, units});
            Options o = options("UnidirectionalSequenceLSTMOptions", "fusedActivationFunction", 4, "cellClip", 0f, "projClip", 0f,
                    "timeMajor", timeMajor, "asymmetricQuantizeInputs", false);
            return build("UNIDIRECTIONAL_SEQUENCE_LSTM", o, inputs, y);
        }

        /** A float32 SVDF with its activation state as a variable tensor. */
        Graph svdf() {
            int batch = in(1, 2), inputSize = in(1, 5), units = in(1, 3), rank = in(1, 2), memory = in(1, 4);
            int filters = units * rank;
            int x = activation(FLOAT32, new int[] {batch, inputSize});
            int wf = weights(FLOAT32, new int[] {filters, inputSize}, 1, 0);
            int wt = weights(FLOAT32, new int[] {filters, memory}, 1, 0);
            int bias = m.constant(FLOAT32, new int[] {units}, null, data(FLOAT32, units));
            int state = m.variable(FLOAT32, new int[] {batch, memory * filters}, null);
            Options o = options("SVDFOptions", "rank", rank, "fusedActivationFunction", pick(0, 1), "asymmetricQuantizeInputs", false);
            return build("SVDF", o, List.of(x, wf, wt, bias, state), out(FLOAT32, new int[] {batch, units}));
        }

        /**
         * TFLite_Detection_PostProcess on float inputs with constant anchors of positive size (so every decoded box
         * is valid), at least two boxes and two detections (TFLM's scratch sizes hold its writes then).
         */
        Graph detection() {
            int n = in(2, 8), classes = in(1, 3), background = pick(0, 1), maxDet = in(2, 4), perDetection = in(1, 2);
            boolean regular = chance(0.5);
            int x = activation(FLOAT32, new int[] {1, n, pick(4, 5)});
            int scores = activation(FLOAT32, new int[] {1, n, classes + background});
            float[] anchors = new float[4 * n];
            for (int i = 0; i < anchors.length; i++) anchors[i] = i % 4 < 2 ? (float) r.nextDouble() : 0.05f + (float) r.nextDouble();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * anchors.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float v : anchors) b.putFloat(v);
            int a = m.constant(FLOAT32, new int[] {n, 4}, null, b.array());
            var o = new io.tinyfit.model.GraphBuilder.DetectionOptions(maxDet, perDetection, in(1, 3), regular, (float) r.nextDouble() * 0.5f,
                    0.2f + 0.8f * (float) r.nextDouble(), classes, 10f, 10f, 5f, 5f);
            int k = Math.min(perDetection, classes);
            int d = regular ? maxDet : maxDet * k * k;
            List<Integer> outs = List.of(out(FLOAT32, new int[] {1, d, 4}), out(FLOAT32, new int[] {1, d}), out(FLOAT32, new int[] {1, d}),
                    out(FLOAT32, new int[] {1}));
            return m.buildCustom("TFLite_Detection_PostProcess", o.flexbuffer(), List.of(x, scores, a), outs);
        }
    }
}
