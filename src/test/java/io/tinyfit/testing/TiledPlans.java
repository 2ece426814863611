package io.tinyfit.testing;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.Region;
import io.tinyfit.plan.PathSlices;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;

import java.util.List;

/**
 * Plans over steps and regions built by hand on small GraphBuilder models, shared by the plan checks (verify) and
 * the generated C (codegen): row bands with recomputed halos, channel slices with int32 partial sums, bands whose
 * second tile lands on input rows the first band consumed, and a spill of an intermediate to a second bank and back.
 */
public final class TiledPlans {
    /** The slower bank of {@link #spill}. */
    public static final String PSRAM = "psram";

    private TiledPlans() {}

    /** 24×24×3 → conv 3×3 (16) → depthwise 3×3 → conv 3×3 (4), all SAME: the intermediates make the peak. */
    public static Graph chain() {
        GraphBuilder b = new GraphBuilder("conv-dw-conv", 7);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 24, 24, 3);
        GraphBuilder.Ref t1 = b.conv2d(x, 16, 3, 1, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref t2 = b.depthwiseConv2d(t1, 1, 3, 1, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(t2, 4, 3, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /** 12×12×8 → expand 1×1 (48) → depthwise 3×3 → project 1×1 (8): MobileNetV2's inverted residual without the add. */
    public static Graph invertedResidual() {
        GraphBuilder b = new GraphBuilder("inverted-residual", 11);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 12, 12, 8);
        GraphBuilder.Ref e = b.conv2d(x, 48, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 1, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /** The chain in row bands of its output, each band recomputing the halo rows its windows need. */
    public static Plan bands(Graph g, int bands) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int out = b.tensor(g.outputs().get(0));
        List<Integer> path = List.of(0, 1, 2);
        List<Region> rows = PathSlices.split(Region.whole(g.tensor(g.outputs().get(0)).shape()), 1, bands);
        PathSlices.addSteps(b, path, PathSlices.of(g, path, rows), out);
        return b.build("bands-" + bands);
    }

    /**
     * The chain with its first intermediate as a line buffer sliding in place: the depthwise conv runs row by row,
     * each row's three-row window of the first conv's output a new tile at offset 0 (the same bytes as the previous
     * tile), the two rows it shares with the previous window copied down by one row (a forward copy whose
     * destination starts below its source, {@link io.tinyfit.plan.SlidingCopies}), then the new row computed.
     */
    public static Plan slidingLineBuffer(Graph g) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int t1 = g.ops().get(0).output(0), t2t = g.ops().get(1).output(0);
        int t2 = b.tensor(t2t);
        Region whole1 = Region.whole(g.tensor(t1).shape()), whole2 = Region.whole(g.tensor(t2t).shape());
        int rows = whole2.hi(1);
        int prev = -1, covered = 0;
        for (int r = 0; r < rows; r++) {
            int lo = Math.max(0, r - 1), hi = Math.min(whole1.hi(1), r + 2);
            int tile = b.region(t1, whole1.with(1, lo, hi));
            b.at(tile, 0);
            if (prev >= 0 && lo < covered) b.copy(whole1.with(1, lo, covered), prev, tile);
            if (covered < hi) b.compute(0, whole1.with(1, covered, hi), tile);
            covered = hi;
            prev = tile;
            b.compute(1, whole2.with(1, r, r + 1), t2);
        }
        b.compute(2, null, b.tensor(g.outputs().get(0)));
        return b.build("sliding line buffer");
    }

    /** The block in channel slices of the expanded tensor; the project conv adds each slice's int32 partial sums. */
    public static Plan channelSlices(Graph g, int slices) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int out = b.tensor(g.outputs().get(0));
        int acc = b.accumulator(2, null);
        Region expanded = Region.whole(g.tensor(g.ops().get(1).output(0)).shape());
        for (Region slice : PathSlices.split(expanded, 3, slices)) {
            b.compute(0, slice, b.region(g.ops().get(0).output(0), slice));
            b.compute(1, slice, b.region(g.ops().get(1).output(0), slice));
            b.accumulate(2, null, slice.lo(3), slice.hi(3), acc);
        }
        b.finish(2, null, acc, out);
        return b.build("channel-slices-" + slices);
    }

    /** 32×32×16 input, conv 3×3 stride 2 (8 channels), conv 3×3 (8 channels): {@link #stridedPairBands}'s model. */
    public static Graph stridedPair() {
        GraphBuilder b = new GraphBuilder("strided-pair", 5);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 32, 32, 16);
        GraphBuilder.Ref t = b.conv2d(x, 8, 3, 2, Padding.SAME, Activation.RELU);
        b.output(b.conv2d(t, 8, 3, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /**
     * The strided pair in two bands of the output, rows 0..3 and 4..15. With {@code secondTileAt} ≥ 0 the buffers are
     * placed by hand (input at 0, output after the input's 32 rows, the first tile after it, the second band's tile at
     * {@code secondTileAt}); otherwise first fit places them, over per-byte liveness or, without {@code perByte}, one
     * rectangle per buffer.
     */
    public static Plan stridedPairBands(Graph g, long secondTileAt, boolean perByte) {
        long row = 32L * 16;
        PlanBuilder b = new PlanBuilder(g, 16);
        int in = b.tensor(g.inputs().get(0));
        int out = b.tensor(g.outputs().get(0));
        Region whole = Region.whole(g.tensor(g.outputs().get(0)).shape());
        List<Integer> path = List.of(0, 1);
        PathSlices.addSteps(b, path, PathSlices.of(g, path, List.of(whole.with(1, 0, 4), whole.with(1, 4, 16))), out);
        if (!perByte) b.wholeBufferLiveness();
        if (secondTileAt >= 0) {
            b.at(in, 0).at(out, 32 * row).at(2, 32 * row + 2048).at(3, secondTileAt);
        }
        return b.build(secondTileAt >= 0 ? "by hand" : perByte ? "first fit, per-byte liveness" : "first fit, whole-buffer liveness");
    }

    /**
     * 16×16×8 → conv 3×3 (16) = a → depthwise 3×3 → expand 1×1 (32) → project 1×1 (16) = c → ADD(a, c): a residual
     * whose skip tensor a stays live while the expanded tensor makes the peak.
     */
    public static Graph residual() {
        GraphBuilder b = new GraphBuilder("spill-residual", 13);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 16, 16, 8);
        GraphBuilder.Ref a = b.conv2d(x, 16, 3, 1, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref d = b.depthwiseConv2d(a, 1, 3, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref e = b.conv2d(d, 32, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref c = b.conv2d(e, 16, 1, 1, Padding.SAME, Activation.NONE);
        b.output(b.add(a, c, Activation.NONE));
        return b.build();
    }

    /**
     * The residual with its skip tensor spilled: once the depthwise conv has read it, a moves to the slower bank in two
     * copies of its top and bottom rows, stays out of SRAM while the expand and project convs run, and is fetched back
     * whole before the ADD. The slower bank holds exactly a.
     */
    public static Plan spill(Graph g) {
        int a = g.ops().get(0).output(0);
        Region whole = Region.whole(g.tensor(a).shape());
        PlanBuilder b = new PlanBuilder(g, 16).bank(PSRAM, g.tensor(a).bytes());
        b.tensor(g.inputs().get(0));
        int inSram = b.tensor(a);
        b.compute(0, null, inSram);
        b.compute(1, null, b.tensor(g.ops().get(1).output(0)));
        int spilled = b.tensor(a);
        b.inBank(spilled, PSRAM);
        b.copy(whole.with(1, 0, 8), inSram, spilled);
        b.copy(whole.with(1, 8, 16), inSram, spilled);
        b.compute(2, null, b.tensor(g.ops().get(2).output(0)));
        b.compute(3, null, b.tensor(g.ops().get(3).output(0)));
        int fetched = b.tensor(a);
        b.copy(null, spilled, fetched);
        b.compute(4, null, b.tensor(g.outputs().get(0)));
        return b.build("spill-to-" + PSRAM);
    }

    /** A random model and a tiled plan of it, with what was drawn. */
    public record RandomTiling(Graph graph, Plan plan, String description) {}

    /**
     * A random conv/depthwise/pool chain (random sizes, kernels, strides, dilations, paddings, activations), tiled
     * either into random row bands (and sometimes column bands) of its output, every earlier operator computing the
     * region the later ones need ({@link PathSlices}, halos recomputed), or, as expand conv → channel-wise operators →
     * conv, into random slices of the expanded channels whose last conv accumulates int32 partial sums, the slices in
     * random order.
     */
    public static RandomTiling random(long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        return r.nextInt(3) == 0 ? randomSlices(r, seed) : randomBands(r, seed);
    }

    private static RandomTiling randomBands(java.util.SplittableRandom r, long seed) {
        GraphBuilder b = new GraphBuilder("random-bands-" + seed, seed);
        StringBuilder d = new StringBuilder();
        int c = 1 + r.nextInt(8);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 6 + r.nextInt(12), 6 + r.nextInt(12), c);
        d.append("input ").append(b.shape(x));
        int ops = 2 + r.nextInt(3);
        for (int k = 0; k < ops; k++) x = randomOp(b, x, r, d, r.nextBoolean() ? 1 + r.nextInt(12) : -1);
        b.output(x);
        Graph g = b.build();
        Region whole = Region.whole(g.tensor(g.outputs().get(0)).shape());
        List<Region> rows = randomCuts(whole, 1, r);
        List<Region> parts = new java.util.ArrayList<>();
        boolean columns = r.nextInt(3) == 0;
        List<Region> cols = columns ? randomCuts(whole, 2, r) : List.of(whole);
        for (Region row : rows) for (Region col : cols) parts.add(row.with(2, col.lo(2), col.hi(2)));
        d.append("; ").append(rows.size()).append(" row bands").append(columns ? " x column bands, " + parts.size() + " tiles" : "");
        PlanBuilder pb = new PlanBuilder(g, 16);
        pb.tensor(g.inputs().get(0));
        int out = pb.tensor(g.outputs().get(0));
        List<Integer> path = new java.util.ArrayList<>();
        for (int k = 0; k < g.ops().size(); k++) path.add(k);
        PathSlices.addSteps(pb, path, covering(g, path, parts), out);
        return new RandomTiling(g, pb.build("random-bands"), d.toString());
    }

    /**
     * {@link PathSlices#of} for a chain, except that each operator's regions are widened along rows and columns until
     * together they cover its whole output: the verifier wants every element of every output computed, while a
     * strided, dilated or VALID window may leave rows or columns of its input that no later operator reads (which
     * {@link PathSlices#of} then leaves out). Widening an operator's regions widens what it needs from the one before,
     * so the chain is walked from its end.
     */
    private static List<java.util.Map<Integer, Region>> covering(Graph g, List<Integer> path, List<Region> lastRegions) {
        List<java.util.Map<Integer, Region>> parts = new java.util.ArrayList<>();
        for (Region r : lastRegions) {
            java.util.Map<Integer, Region> m = new java.util.LinkedHashMap<>();
            for (int op : path) m.put(op, null);
            m.put(path.get(path.size() - 1), r);
            parts.add(m);
        }
        for (int k = path.size() - 2; k >= 0; k--) {
            int op = path.get(k), next = path.get(k + 1);
            for (java.util.Map<Integer, Region> m : parts) {
                m.put(op, io.tinyfit.kernels.KernelRegistry.forOp(g, next).inputRegions(g, g.ops().get(next), m.get(next)).get(0));
            }
            int[] dims = g.tensor(g.ops().get(op).output(0)).shape().toArray();
            for (int dim = 1; dim <= 2; dim++) {
                // the distinct ranges along the dimension, in order: each starts where the one before ends
                java.util.TreeMap<Integer, Integer> ranges = new java.util.TreeMap<>();
                for (java.util.Map<Integer, Region> m : parts) ranges.merge(m.get(op).lo(dim), m.get(op).hi(dim), Math::max);
                java.util.Map<List<Integer>, int[]> widened = new java.util.HashMap<>();
                int end = 0;
                List<Integer> los = new java.util.ArrayList<>(ranges.keySet());
                for (int i = 0; i < los.size(); i++) {
                    int lo = los.get(i), hi = ranges.get(lo);
                    int newLo = Math.min(lo, end), newHi = i == los.size() - 1 ? dims[dim] : Math.max(hi, los.get(i + 1));
                    widened.put(List.of(lo, hi), new int[] {newLo, newHi});
                    end = Math.max(end, newHi);
                }
                for (java.util.Map<Integer, Region> m : parts) {
                    Region r = m.get(op);
                    int[] w = widened.getOrDefault(List.of(r.lo(dim), r.hi(dim)), new int[] {r.lo(dim), r.hi(dim)});
                    m.put(op, r.with(dim, w[0], w[1]));
                }
            }
        }
        return parts;
    }

    private static RandomTiling randomSlices(java.util.SplittableRandom r, long seed) {
        GraphBuilder b = new GraphBuilder("random-slices-" + seed, seed);
        StringBuilder d = new StringBuilder();
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 4 + r.nextInt(10), 4 + r.nextInt(10), 1 + r.nextInt(8));
        d.append("input ").append(b.shape(x));
        int expanded = 4 + r.nextInt(21);
        x = randomOp(b, x, r, d, expanded);
        int channelwise = 1 + r.nextInt(2);
        for (int k = 0; k < channelwise; k++) x = randomOp(b, x, r, d, 0);
        int last = 1 + channelwise;
        x = randomOp(b, x, r, d, 1 + r.nextInt(12));
        b.output(x);
        Graph g = b.build();
        List<Region> slices = randomCuts(Region.whole(g.tensor(g.ops().get(0).output(0)).shape()), 3, r);
        List<Region> order = new java.util.ArrayList<>(slices);
        java.util.Collections.shuffle(order, new java.util.Random(r.nextLong()));
        d.append("; ").append(slices.size()).append(" channel slices of ").append(expanded).append(", accumulated in order");
        PlanBuilder pb = new PlanBuilder(g, 16);
        pb.tensor(g.inputs().get(0));
        int out = pb.tensor(g.outputs().get(0));
        int acc = pb.accumulator(last, null);
        for (Region slice : order) {
            d.append(' ').append(slice.lo(3)).append("..").append(slice.hi(3));
            for (int op = 0; op < last; op++) {
                int t = g.ops().get(op).output(0);
                Region part = Region.whole(g.tensor(t).shape()).with(3, slice.lo(3), slice.hi(3));
                pb.compute(op, part, pb.region(t, part));
            }
            pb.accumulate(last, null, slice.lo(3), slice.hi(3), acc);
        }
        pb.finish(last, null, acc, out);
        return new RandomTiling(g, pb.build("random-slices"), d.toString());
    }

    /**
     * A random operator on x: CONV_2D with {@code channels} outputs (when positive), else (-1) any of CONV_2D,
     * DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and MAX_POOL_2D, or (0) a channel-wise one (depthwise with multiplier 1 or a
     * pool). Kernels, strides and dilations are drawn so that the output keeps at least one row and column.
     */
    private static GraphBuilder.Ref randomOp(GraphBuilder b, GraphBuilder.Ref x, java.util.SplittableRandom r, StringBuilder d, int channels) {
        int[] s = b.shape(x).toArray();
        int kind = channels > 0 ? 0 : channels == 0 ? 1 + r.nextInt(3) : r.nextInt(4);
        int kh = 1 + 2 * r.nextInt(3), kw = r.nextInt(3) == 0 ? 1 + r.nextInt(5) : kh;
        int sh = 1 + r.nextInt(2), sw = r.nextInt(3) == 0 ? 3 - sh : sh;
        int dh = kind <= 1 && r.nextInt(4) == 0 ? 2 : 1, dw = dh;
        Padding pad = r.nextBoolean() ? Padding.SAME : Padding.VALID;
        if (pad == Padding.VALID && (s[1] < (kh - 1) * dh + 1 || s[2] < (kw - 1) * dw + 1)) pad = Padding.SAME;
        Activation act = Activation.values()[r.nextInt(Activation.values().length)];
        GraphBuilder.Ref y = switch (kind) {
            case 0 -> b.conv2d(x, channels > 0 ? channels : 1 + r.nextInt(12), kh, kw, sh, sw, pad, dh, dw, act);
            case 1 -> b.depthwiseConv2d(x, channels == 0 ? 1 : 1 + r.nextInt(2), kh, kw, sh, sw, pad, dh, dw, act);
            case 2 -> b.averagePool(x, Math.min(kh, 3), Math.min(kw, 3), sh, sw, pad, act);
            default -> b.maxPool(x, Math.min(kh, 3), Math.min(kw, 3), sh, sw, pad, act);
        };
        d.append(" -> ").append(new String[] {"conv", "depthwise", "avgpool", "maxpool"}[kind]).append(' ').append(kh).append('x').append(kw).append(" s").append(sh).append(',').append(sw)
                .append(dh > 1 ? " d2" : "").append(' ').append(pad).append(' ').append(act).append(' ').append(b.shape(y));
        return y;
    }

    /** Random cuts of dimension dim of a region into 1 to 4 non-empty parts. */
    private static List<Region> randomCuts(Region whole, int dim, java.util.SplittableRandom r) { return randomCuts(whole, dim, 4, r); }

    /** Random cuts of dimension dim of a region into 1 to {@code most} non-empty parts, in order. */
    public static List<Region> randomCuts(Region whole, int dim, int most, java.util.SplittableRandom r) {
        int n = whole.extent(dim);
        int parts = Math.min(n, 1 + r.nextInt(most));
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        while (cuts.size() < parts - 1) cuts.add(whole.lo(dim) + 1 + r.nextInt(n - 1));
        List<Region> out = new java.util.ArrayList<>();
        int from = whole.lo(dim);
        for (int cut : cuts) {
            out.add(whole.with(dim, from, cut));
            from = cut;
        }
        out.add(whole.with(dim, from, whole.hi(dim)));
        return out;
    }
}
