package io.tinyfit.tiling;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.kernels.Window;
import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Metadata;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Options;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fused row-band tiling written as standard TFLite operators, so that stock TFLM runs it ({@code tflm-rewrite}):
 * a path of operators (positions {@code first..last} of the file order) is replaced, for each of P row bands of
 * its output, by a SLICE of every outside activation it reads (the rows the band needs, halo included), per-band
 * copies of every operator of the path reading the same constant tensors (row bands need no new weights), and a
 * CONCATENATION of the bands' outputs along the height axis into the path's original output tensor. The halo is
 * recomputed (FFMT).
 *
 * <p>Padding: a band copy of a window operator keeps the original padding mode when that mode, applied to the
 * band's input, reads exactly the rows the original read (a stride-2 SAME convolution of an even height needs
 * nothing else, nor do the middle and bottom bands of a stride-1 one); otherwise a convolution becomes VALID
 * behind an explicit PAD giving exactly the band's border (top band pads the top, bottom band the bottom, every band
 * the left and right columns the original padded). TFLM's int8 PAD writes the output zero point, which is what a
 * SAME convolution's implicit padding reads (the input offset), so the results are bit-identical (callers verify by
 * execution). Pooling windows whose padding cannot be kept are refused (an explicit pad would change an average's
 * divisor or a maximum). An explicit PAD of the path becomes the same PAD with the band's paddings.
 */
public final class TflmRewrite {
    private TflmRewrite() {}

    /** TFLM's CONCATENATION takes at most 10 inputs. */
    public static final int MAX_BANDS = 10;

    private static final Set<String> WINDOW = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D");
    /** Operators whose output row y reads row y of each input (or a whole broadcast input of height 1). */
    private static final Set<String> ROWWISE = Set.of("ADD", "SUB", "MUL", "RELU", "RELU6", "RELU_N1_TO_1", "LOGISTIC", "TANH", "HARD_SWISH",
            "LEAKY_RELU", "QUANTIZE", "DEQUANTIZE", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE");

    private static final int SAME = 0, VALID = 1;
    private static final int CODE_CONCATENATION = 2, CODE_PAD = 34, CODE_SLICE = 65;

    /** A path of the file order (positions {@code first..last}) whose ends weigh {@code ends} bytes. */
    public record Path(int first, int last, long ends) {
        public int length() { return last - first + 1; }
    }

    /**
     * One rewrite: a path in {@code bands} row bands, and what it added.
     *
     * @param copiedBytes bytes the added SLICE and CONCATENATION operators copy per inference (not made free: TFLM
     *                    copies with {@code memcpy}, on which tinyfit proves no overlap safe)
     * @param extraMacs   multiply-accumulates the band copies repeat (recomputed halos)
     */
    public record Rewrite(Path path, int bands, Graph graph, int addedOperators, long copiedBytes, long extraMacs, String description) {}

    /**
     * The paths of the model's file order that row bands can pass through (tiling's own validity rule, see
     * {@link PathDiscovery#valid}) made of operators this rewrite can copy, at most {@code maxLength} long,
     * smallest ends first.
     */
    public static List<Path> paths(Graph g, int maxLength) {
        List<Integer> order = Plans.fileOrder(g);
        Map<Integer, List<Integer>> readers = PathDiscovery.readers(g);
        Set<Integer> outputs = new HashSet<>(g.outputs());
        List<Path> out = new ArrayList<>();
        for (int a = 0; a < order.size(); a++) {
            for (int z = a; z < order.size() && z - a < maxLength; z++) {
                if (!copyable(g, g.ops().get(order.get(z)))) break;
                Optional<Long> ends;
                try {
                    ends = PathDiscovery.valid(g, order, a, z, Split.Kind.ROWS, readers, outputs);
                } catch (RuntimeException e) {
                    ends = Optional.empty();
                }
                if (ends.isPresent()) out.add(new Path(a, z, ends.get()));
            }
        }
        out.sort(Comparator.comparingLong(Path::ends).thenComparingInt(p -> -p.length()));
        return out;
    }

    /**
     * The position of the file order where the most activation bytes are live (each tensor from its producer, or
     * the start for a graph input, to its last reader, or the end for a graph output): a band rewrite lowers the
     * head only through a path that covers it.
     */
    public static int peakPosition(Graph g) {
        List<Integer> order = Plans.fileOrder(g);
        int n = order.size();
        Map<Integer, Integer> first = new HashMap<>(), last = new HashMap<>();
        for (int t : g.inputs()) first.put(t, 0);
        for (int pos = 0; pos < n; pos++) {
            Op op = g.ops().get(order.get(pos));
            for (int t : op.inputs()) if (t >= 0 && !g.tensor(t).isConstant()) last.merge(t, pos, Math::max);
            for (int t : op.outputs()) if (t >= 0) first.putIfAbsent(t, pos);
        }
        for (int t : g.outputs()) last.put(t, n - 1);
        long[] live = new long[n];
        for (var e : first.entrySet()) {
            int t = e.getKey();
            int to = last.getOrDefault(t, e.getValue());
            for (int pos = e.getValue(); pos <= to; pos++) live[pos] += g.tensor(t).bytes();
        }
        int peak = 0;
        for (int pos = 1; pos < n; pos++) if (live[pos] > live[peak]) peak = pos;
        return peak;
    }

    private static boolean copyable(Graph g, Op op) {
        if (op.outputs().size() != 1 || op.output(0) < 0) return false;
        Tensor out = g.tensor(op.output(0));
        if (out.shape().rank() != 4) return false;
        if (WINDOW.contains(op.kind())) return op.hasInput(0) && g.tensor(op.input(0)).shape().rank() == 4;
        if (op.kind().equals("PAD") || op.kind().equals("PADV2")) {
            return op.inputs().size() >= 2 && g.tensor(op.input(1)).isConstant() && g.tensor(op.input(0)).shape().rank() == 4;
        }
        if (!ROWWISE.contains(op.kind())) return false;
        for (int t : op.inputs()) {
            if (t < 0 || g.tensor(t).isConstant()) continue;
            Tensor in = g.tensor(t);
            if (in.shape().rank() != 4) return false;
            int h = in.shape().dim(1);
            if (h != out.shape().dim(1) && h != 1) return false;
        }
        return true;
    }

    /**
     * The model with path {@code p} (positions of the file order) run in {@code bands} row bands, or empty when the
     * path cannot be written so (a pooling window's padding, a band without rows, too many bands for TFLM's
     * CONCATENATION).
     */
    public static Optional<Rewrite> rewrite(Graph g, Path p, int bands) {
        if (bands < 2 || bands > MAX_BANDS) return Optional.empty();
        List<Integer> order = Plans.fileOrder(g);
        for (int pos = p.first(); pos <= p.last(); pos++) if (!copyable(g, g.ops().get(order.get(pos)))) return Optional.empty();
        return new Builder(g, order, p, bands).build();
    }

    /**
     * The original model's outputs on a few generated inputs, to compare rewrites with bit for bit (each model runs
     * on tinyfit's interpreter under TFLM's own plan; outputs keep their tensor ids through a rewrite).
     */
    public static final class Reference {
        private static final int[] SEEDS = {InputGenerator.GOLDEN_SEED, 0x5EED_0002};
        private final List<List<byte[]>> inputs = new ArrayList<>();
        private final List<List<byte[]>> outputs = new ArrayList<>();

        public Reference(Graph original) {
            for (int seed : SEEDS) {
                List<byte[]> in = InputGenerator.generate(original, seed);
                inputs.add(in);
                outputs.add(new Interpreter(TflmBaseline.plan(original)).run(in));
            }
        }

        /** True when the rewritten model's outputs equal the original's, byte for byte, on every input. */
        public boolean matches(Graph rewritten) {
            Interpreter run = new Interpreter(TflmBaseline.plan(rewritten));
            for (int s = 0; s < inputs.size(); s++) {
                run.resetState();
                List<byte[]> got = run.run(inputs.get(s));
                List<byte[]> want = outputs.get(s);
                if (got.size() != want.size()) return false;
                for (int i = 0; i < want.size(); i++) if (!Arrays.equals(got.get(i), want.get(i))) return false;
            }
            return true;
        }
    }

    /** Builds one rewritten model: new tensors, constants and operator codes appended, so no existing index moves. */
    private static final class Builder {
        private final Graph g;
        private final List<Integer> order;
        private final Path path;
        private final int bands;
        private final List<Tensor> tensors;
        private final List<ConstData> buffers;
        private final List<OpCode> opcodes;
        private final Map<String, Integer> constants = new HashMap<>();
        private final List<Op> bandOps = new ArrayList<>();

        Builder(Graph g, List<Integer> order, Path path, int bands) {
            this.g = g;
            this.order = order;
            this.path = path;
            this.bands = bands;
            this.tensors = new ArrayList<>(g.tensors());
            this.buffers = new ArrayList<>(g.buffers());
            this.opcodes = new ArrayList<>(g.opcodes());
        }

        Optional<Rewrite> build() {
            Op lastOp = op(path.last());
            int outT = lastOp.output(0);
            int height = g.tensor(outT).shape().dim(1);
            if (bands > height) return Optional.empty();
            List<Integer> bandOuts = new ArrayList<>();
            for (int b = 0; b < bands; b++) {
                int lo = (int) ((long) b * height / bands), hi = (int) ((long) (b + 1) * height / bands);
                Optional<Integer> o = band(b, lo, hi);
                if (o.isEmpty()) return Optional.empty();
                bandOuts.add(o.get());
            }
            Map<String, Object> co = new LinkedHashMap<>();
            co.put("axis", 1);
            co.put("fusedActivationFunction", (byte) 0);
            Op concat = new Op(opcode("CONCATENATION", CODE_CONCATENATION), "CONCATENATION", bandOuts, List.of(outT),
                    new Options("ConcatenationOptions", co));
            List<Op> ops = new ArrayList<>();
            for (int pos = 0; pos < path.first(); pos++) ops.add(op(pos));
            ops.addAll(bandOps);
            ops.add(concat);
            for (int pos = path.last() + 1; pos < order.size(); pos++) ops.add(op(pos));
            int removed = path.length();
            Subgraph m = g.main();
            Subgraph main = new Subgraph(m.name(), tensors, ops, m.inputs(), m.outputs());
            List<Subgraph> subgraphs = new ArrayList<>(g.subgraphs());
            subgraphs.set(0, main);
            // the file's offline plan numbered the old tensors: a new one is written with the new plan
            List<Metadata> metadata = new ArrayList<>();
            for (Metadata md : g.metadata()) if (!Graph.OFFLINE_MEMORY_ALLOCATION.equals(md.name())) metadata.add(md);
            Graph out = new Graph(g.source(), g.version(), g.description(), opcodes, subgraphs, buffers, metadata, g.signatureDefs(),
                    g.metadataBuffer(), g.presence());
            long copied = g.tensor(outT).bytes();
            long macs = 0;
            for (Op o : bandOps) {
                if (o.kind().equals("SLICE")) copied += tensors.get(o.output(0)).bytes();
                macs += OpCost.macs(out, o);
            }
            for (int pos = path.first(); pos <= path.last(); pos++) macs -= OpCost.macs(g, op(pos));
            String what = String.format("operators %d..%d (%s .. %s) in %d row bands: +%d operators, -%d, +%,d MACs, %,d B copied", path.first(), path.last(),
                    op(path.first()).kind(), lastOp.kind(), bands, bandOps.size() + 1, removed, macs, copied);
            return Optional.of(new Rewrite(path, bands, out, bandOps.size() + 1 - removed, copied, macs, what));
        }

        private Op op(int pos) { return g.ops().get(order.get(pos)); }

        /** Adds band b's operators (output rows [lo, hi) of the path); returns its output tensor, empty when inexpressible. */
        private Optional<Integer> band(int b, int lo, int hi) {
            int outT = op(path.last()).output(0);
            // backward: the rows each tensor must hold (clamped), and the rows each operand reads (unclamped)
            Map<Integer, int[]> need = new HashMap<>();
            Map<Long, int[]> reads = new HashMap<>();
            need.put(outT, new int[] {lo, hi});
            for (int pos = path.last(); pos >= path.first(); pos--) {
                Op op = op(pos);
                int[] out = need.get(op.output(0));
                if (out == null) return Optional.empty();
                for (int i = 0; i < op.inputs().size(); i++) {
                    int t = op.input(i);
                    if (!activation(op, i)) continue;
                    int[] r = inputRows(op, i, out);
                    if (r == null) continue; // a broadcast input, read whole
                    reads.put(key(pos, i), r);
                    int h = g.tensor(t).shape().dim(1);
                    int[] c = {Math.max(0, r[0]), Math.min(h, r[1])};
                    if (c[0] >= c[1]) return Optional.empty();
                    need.merge(t, c, (x, y) -> new int[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
                }
            }
            // forward: the band's tensors
            Map<Integer, Integer> bandTensor = new HashMap<>();
            Map<Integer, int[]> bandRows = new HashMap<>();
            for (int pos = path.first(); pos <= path.last(); pos++) {
                Op op = op(pos);
                int[] out = need.get(op.output(0));
                List<Integer> ins = new ArrayList<>(op.inputs());
                int padTop = 0, padBottom = 0;
                int[] inRows = null;
                for (int i = 0; i < op.inputs().size(); i++) {
                    int t = op.input(i);
                    int[] r = reads.get(key(pos, i));
                    if (!activation(op, i) || r == null) continue;
                    int src;
                    int[] srcRows;
                    if (bandTensor.containsKey(t)) {
                        src = bandTensor.get(t);
                        srcRows = bandRows.get(t);
                    } else {
                        srcRows = need.get(t);
                        src = slice(t, srcRows[0], srcRows[1], b);
                        bandTensor.put(t, src);
                        bandRows.put(t, srcRows);
                    }
                    int h = g.tensor(t).shape().dim(1);
                    int[] c = {Math.max(0, r[0]), Math.min(h, r[1])};
                    if (c[0] != srcRows[0] || c[1] != srcRows[1]) src = slice(src, c[0] - srcRows[0], c[1] - srcRows[0], b);
                    ins.set(i, src);
                    if (i == 0) {
                        padTop = c[0] - r[0];
                        padBottom = r[1] - c[1];
                        inRows = c;
                    }
                }
                Options options = op.options();
                Tensor orig = g.tensor(op.output(0));
                if (WINDOW.contains(op.kind())) {
                    Window w = Window.of(g, op);
                    Window.Axis y = w.y();
                    int mode = options.getInt("padding", SAME);
                    int hin = inRows[1] - inRows[0], hout = out[1] - out[0];
                    Window.Axis kept = Window.Axis.of(hin, hout, y.stride(), y.dilation(), y.taps(), mode);
                    boolean keep = Window.Axis.outSize(mode, hin, y.taps(), y.stride(), y.dilation()) == hout && kept.pad() == padTop;
                    if (!keep) {
                        if (!op.kind().equals("CONV_2D") && !op.kind().equals("DEPTHWISE_CONV_2D")) return Optional.empty();
                        Window.Axis x = w.x();
                        int left = 0, right = 0;
                        if (mode == SAME) {
                            int total = Math.max(0, (x.out() - 1) * x.stride() + (x.taps() - 1) * x.dilation() + 1 - x.in());
                            left = total / 2;
                            right = total - left;
                        }
                        if (padTop != 0 || padBottom != 0 || left != 0 || right != 0) {
                            ins.set(0, pad(ins.get(0), new int[] {0, 0, padTop, padBottom, left, right, 0, 0}, b));
                        }
                        int padded = hin + padTop + padBottom;
                        if (Window.Axis.outSize(VALID, padded, y.taps(), y.stride(), y.dilation()) != hout) return Optional.empty();
                        options = options.with("padding", sameType(options.get("padding"), VALID));
                    }
                } else if (op.kind().equals("PAD") || op.kind().equals("PADV2")) {
                    int[] pads = g.tensor(op.input(1)).data().toIntArray();
                    if (pads.length != 8) return Optional.empty();
                    pads[2] = padTop;
                    pads[3] = padBottom;
                    ins.set(1, constInts(orig.label() + "/band_paddings", pads, new int[] {4, 2}));
                }
                int o = addTensor(orig, orig.label() + "/band" + b, out[1] - out[0]);
                bandOps.add(op.withOperands(ins, List.of(o)).withOptions(options));
                bandTensor.put(op.output(0), o);
                bandRows.put(op.output(0), out);
            }
            return Optional.of(bandTensor.get(outT));
        }

        /** A field value of the type the options table holds (the writer keeps the schema's field widths). */
        private static Object sameType(Object like, int v) {
            if (like instanceof Byte) return (byte) v;
            if (like instanceof Short) return (short) v;
            if (like instanceof Long) return (long) v;
            return v;
        }

        private static long key(int pos, int input) { return (long) pos * 64 + input; }

        private boolean activation(Op op, int i) {
            int t = op.input(i);
            if (t < 0 || g.tensor(t).isConstant()) return false;
            // a window's filter and bias, a pad's paddings: constants by the checks above
            if ((WINDOW.contains(op.kind()) || op.kind().startsWith("PAD")) && i > 0) return false;
            return true;
        }

        /** The rows of input i that output rows {@code out} read, unclamped (padding outside); null for a whole broadcast input. */
        private int[] inputRows(Op op, int i, int[] out) {
            if (WINDOW.contains(op.kind())) {
                Window.Axis y = Window.of(g, op).y();
                int eff = (y.taps() - 1) * y.dilation() + 1;
                return new int[] {out[0] * y.stride() - y.pad(), (out[1] - 1) * y.stride() - y.pad() + eff};
            }
            if (op.kind().startsWith("PAD")) {
                int top = g.tensor(op.input(1)).data().toIntArray()[2];
                return new int[] {out[0] - top, out[1] - top};
            }
            Tensor in = g.tensor(op.input(i));
            if (in.shape().dim(1) == 1 && g.tensor(op.output(0)).shape().dim(1) != 1) return null;
            return out.clone();
        }

        /** A SLICE of rows [from, to) of tensor t. */
        private int slice(int t, int from, int to, int b) {
            Tensor src = tensors.get(t);
            int[] dims = src.shape().toArray();
            int[] size = dims.clone();
            size[1] = to - from;
            int begin = constInts("slice_begin", new int[] {0, from, 0, 0}, new int[] {4});
            int sz = constInts("slice_size", size, new int[] {4});
            int o = addTensor(src, src.label() + "/rows" + from + "_" + to + "/band" + b, to - from);
            bandOps.add(new Op(opcode("SLICE", CODE_SLICE), "SLICE", List.of(t, begin, sz), List.of(o), new Options("SliceOptions", Map.of())));
            return o;
        }

        /** An explicit PAD (int8: the output zero point, what SAME padding reads). */
        private int pad(int t, int[] pads, int b) {
            Tensor src = tensors.get(t);
            int[] dims = src.shape().toArray();
            int p = constInts("band_paddings", pads, new int[] {4, 2});
            dims[1] += pads[2] + pads[3];
            dims[2] += pads[4] + pads[5];
            int o = tensors.size();
            tensors.add(new Tensor(o, src.label() + "/padded", src.dtype(), Shape.of(dims), null, src.quantization(), 0, null, false, src.hasRank()));
            bandOps.add(new Op(opcode("PAD", CODE_PAD), "PAD", List.of(t, p), List.of(o), new Options("PadOptions", Map.of())));
            return o;
        }

        private int addTensor(Tensor like, String name, int rows) {
            int[] dims = like.shape().toArray();
            dims[1] = rows;
            int id = tensors.size();
            tensors.add(new Tensor(id, name, like.dtype(), Shape.of(dims), null, like.quantization(), 0, null, false, like.hasRank()));
            return id;
        }

        /** An int32 constant, shared by every operand with the same values. */
        private int constInts(String name, int[] values, int[] shape) {
            String k = Arrays.toString(values) + Arrays.toString(shape);
            Integer known = constants.get(k);
            if (known != null) return known;
            ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : values) bb.putInt(v);
            buffers.add(ConstData.adopt(bb.array()));
            int id = tensors.size();
            tensors.add(new Tensor(id, "tflm_rewrite/" + name + "_" + id, DType.INT32, Shape.of(shape), null, null, buffers.size() - 1,
                    ConstData.adopt(bb.array()), false, false));
            constants.put(k, id);
            return id;
        }

        /** The index of a builtin operator code, added (version 2: int8) when the model has none. */
        private int opcode(String kind, int code) {
            for (int i = 0; i < opcodes.size(); i++) if (!opcodes.get(i).isCustom() && opcodes.get(i).name().equals(kind)) return i;
            opcodes.add(OpCode.builtin(code, 2));
            return opcodes.size() - 1;
        }
    }
}
