package io.tinyfit.tiling;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.plan.PathSlices;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the whole plan of an operator order in which some fused paths run in parts ({@link Split}): every other
 * operator is one whole step over whole tensor buffers, each path's last operator writes its whole output part by
 * part, and the path's intermediates live in tile buffers (or, streamed, in whole buffers whose rows die as they are
 * read). {@link PlanBuilder#build} derives the per-byte liveness and places every buffer by first fit, so a later
 * tile may land on input rows that earlier parts consumed. Throws {@link IllegalArgumentException} (or a kernel's
 * {@code UnsupportedOpVariantException}) when a split does not fit the path.
 */
public final class Tiler {
    /** The layout planner of every tiled plan. */
    public static final String PLANNER = "first-fit per byte";

    private Tiler() {}

    public static Plan build(Graph g, List<Integer> order, boolean keepInputs, List<Split> splits, int alignment) {
        PlanBuilder b = new PlanBuilder(g, alignment).keepInputs(keepInputs);
        // a channel slice of an NHWC tensor is one short run per pixel: per-byte liveness would give every whole
        // buffer written or read by slices a rectangle per pixel and slice, and first fit would take minutes on a
        // 224×224 model; channel splits gain nothing from it, so such plans are placed one rectangle per buffer
        if (splits.stream().anyMatch(s -> s.kind() == Split.Kind.CHANNELS || s.kind() == Split.Kind.INPUT_CHANNELS)) b.wholeBufferLiveness();
        for (int t : g.inputs()) b.tensor(t);
        Map<Integer, Split> byFirst = new HashMap<>();
        for (Split s : splits) byFirst.put(s.first(), s);
        for (int pos = 0; pos < order.size(); pos++) {
            Split s = byFirst.get(pos);
            if (s != null) {
                emit(b, order.subList(s.first(), s.last() + 1), s);
                pos = s.last();
                continue;
            }
            int opIndex = order.get(pos);
            Op op = g.ops().get(opIndex);
            List<Integer> outs = new ArrayList<>();
            for (int t : op.outputs()) outs.add(t < 0 ? -1 : b.tensor(t));
            b.compute(opIndex, null, outs.stream().mapToInt(Integer::intValue).toArray());
        }
        return b.build(PLANNER);
    }

    private static void emit(PlanBuilder b, List<Integer> path, Split s) {
        Graph g = b.graph();
        int last = path.get(path.size() - 1);
        Op lastOp = g.ops().get(last);
        if (lastOp.outputs().size() != 1) throw new IllegalArgumentException("the path's last operator has " + lastOp.outputs().size() + " outputs");
        Region whole = Region.whole(g.tensor(lastOp.output(0)).shape());
        switch (s.kind()) {
            case INPUT_CHANNELS -> emitPartialSums(b, path, s);
            case GRID -> {
                List<Region> cells = new ArrayList<>();
                for (Region row : PathSlices.split(whole, 1, s.parts())) cells.addAll(PathSlices.split(row, 2, s.columns()));
                emitTiles(b, path, PathSlices.of(g, path, cells), b.tensor(lastOp.output(0)));
            }
            default -> {
                List<Region> bands = PathSlices.split(whole, s.kind().dim, s.parts());
                if (s.halo() == Split.Halo.RECOMPUTE || s.halo() == Split.Halo.NONE) {
                    emitTiles(b, path, PathSlices.of(g, path, bands), b.tensor(lastOp.output(0)));
                } else if (s.halo() == Split.Halo.PIPELINE) {
                    new Pipeline(b, path, s.kind().dim).emit(bands);
                } else {
                    emitIncremental(b, path, bands, s.kind().dim, s.halo() == Split.Halo.CACHE);
                }
            }
        }
    }

    /** Every part computes everything it reads into tiles of its own; the last operator writes into {@code into}. */
    private static void emitTiles(PlanBuilder b, List<Integer> path, List<Map<Integer, Region>> parts, int into) {
        Graph g = b.graph();
        int last = path.get(path.size() - 1);
        for (Map<Integer, Region> part : parts) {
            for (int opIndex : path) {
                Region r = part.get(opIndex);
                if (r == null || r.isEmpty()) continue;
                int target = opIndex == last ? into : b.region(g.ops().get(opIndex).output(0), r);
                b.compute(opIndex, r, target);
            }
        }
    }

    /**
     * Bands computed once each: a part computes only the rows of each intermediate no earlier part computed. Cached,
     * each part's tile of an intermediate starts with the rows it shares with the previous tile, copied from it (no
     * MAC repeated; the copy and the older tile's live rows are what the cache costs). Streamed, each intermediate
     * is one whole buffer filled band by band, whose rows are dead once the last band reading them ran.
     */
    private static void emitIncremental(PlanBuilder b, List<Integer> path, List<Region> bands, int dim, boolean cache) {
        Graph g = b.graph();
        int n = path.size();
        int last = path.get(n - 1);
        int out = b.tensor(g.ops().get(last).output(0));
        Map<Integer, Integer> position = producers(g, path);
        int[] covered = new int[n];
        java.util.Arrays.fill(covered, Integer.MIN_VALUE);
        Region[] prevTileRegion = new Region[n];
        int[] prevTile = new int[n];
        int[] wholeBuffer = new int[n];
        if (!cache) for (int k = 0; k < n - 1; k++) wholeBuffer[k] = b.tensor(g.ops().get(path.get(k)).output(0));
        for (Region band : bands) {
            Region[] need = new Region[n], compute = new Region[n], halo = new Region[n];
            compute[n - 1] = band;
            for (int k = n - 2; k >= 0; k--) {
                need[k] = neededFromConsumers(g, path, position, k, compute);
                if (need[k] == null || need[k].isEmpty()) continue;
                int lo = need[k].lo(dim), hi = need[k].hi(dim);
                int from = Math.max(lo, covered[k]);
                compute[k] = from < hi ? need[k].with(dim, from, hi) : null;
                halo[k] = lo < covered[k] ? need[k].with(dim, lo, Math.min(covered[k], hi)) : null;
                if (halo[k] != null && cache && (prevTileRegion[k] == null || !prevTileRegion[k].contains(halo[k]))) {
                    throw new IllegalArgumentException("operator " + path.get(k) + ": the rows part " + band + " shares with earlier parts are not in the previous tile");
                }
                covered[k] = Math.max(covered[k], hi);
            }
            for (int k = 0; k < n; k++) {
                int opIndex = path.get(k);
                if (k == n - 1) {
                    b.compute(opIndex, band, out);
                    continue;
                }
                if (need[k] == null || need[k].isEmpty()) continue;
                if (!cache) {
                    if (compute[k] != null) b.compute(opIndex, compute[k], wholeBuffer[k]);
                    continue;
                }
                int tile = b.region(g.ops().get(opIndex).output(0), need[k]);
                if (halo[k] != null) b.copy(halo[k], prevTile[k], tile);
                if (compute[k] != null) b.compute(opIndex, compute[k], tile);
                prevTile[k] = tile;
                prevTileRegion[k] = need[k];
            }
        }
    }

    /** Input-channel slices of the last operator: the path before it runs per slice, the last one accumulates. */
    private static void emitPartialSums(PlanBuilder b, List<Integer> path, Split s) {
        Graph g = b.graph();
        if (path.size() < 2) throw new IllegalArgumentException("partial sums need a path before the accumulating operator");
        int last = path.get(path.size() - 1);
        List<Integer> prefix = path.subList(0, path.size() - 1);
        Op lastOp = g.ops().get(last);
        int in = lastOp.input(0);
        if (g.ops().get(prefix.get(prefix.size() - 1)).output(0) != in) throw new IllegalArgumentException("the accumulating operator does not read the path");
        for (int i = 1; i < lastOp.inputs().size(); i++) {
            int t = lastOp.input(i);
            if (t >= 0 && !g.tensor(t).isConstant()) throw new IllegalArgumentException("the accumulating operator reads a non-constant tensor besides its input");
        }
        if (g.tensor(in).dtype() != io.tinyfit.model.DType.INT8) throw new IllegalArgumentException("partial sums reorder additions: int8 only");
        int out = b.tensor(lastOp.output(0));
        int acc = b.accumulator(last, null);
        List<Region> slices = PathSlices.split(Region.whole(g.tensor(in).shape()), 3, s.parts());
        List<Map<Integer, Region>> parts = PathSlices.of(g, prefix, slices);
        for (int p = 0; p < slices.size(); p++) {
            for (int opIndex : prefix) {
                Region r = parts.get(p).get(opIndex);
                if (r == null || r.isEmpty()) continue;
                b.compute(opIndex, r, b.region(g.ops().get(opIndex).output(0), r));
            }
            b.accumulate(last, null, slices.get(p).lo(3), slices.get(p).hi(3), acc);
        }
        b.finish(last, null, acc, out);
    }

    /** Tensor → position in the path of the operator producing it, for the path's outputs. */
    private static Map<Integer, Integer> producers(Graph g, List<Integer> path) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int k = 0; k < path.size(); k++) m.put(g.ops().get(path.get(k)).output(0), k);
        return m;
    }

    /** The bounding box of what the path's later operators read of operator k's output to compute their regions. */
    private static Region neededFromConsumers(Graph g, List<Integer> path, Map<Integer, Integer> position, int k, Region[] compute) {
        int t = g.ops().get(path.get(k)).output(0);
        Region need = null;
        for (int c = k + 1; c < path.size(); c++) {
            if (compute[c] == null || compute[c].isEmpty()) continue;
            Op op = g.ops().get(path.get(c));
            List<Region> in = null;
            for (int i = 0; i < op.inputs().size(); i++) {
                if (op.input(i) != t) continue;
                if (in == null) in = KernelRegistry.forOp(g, path.get(c)).inputRegions(g, op, compute[c]);
                Region r = in.get(i);
                if (r == null || r.isEmpty()) continue;
                need = need == null ? r : need.union(r);
            }
        }
        return need;
    }

    /**
     * The line-buffer schedule of {@link Split.Halo#PIPELINE}: the last operator writes its bands into its whole
     * output; every other operator of the path advances one row (along the split dimension) at a time, only when a
     * consumer's next row needs it, into a new tile holding the rows its consumers still need (copied from its
     * previous tile) and the new row. Each intermediate thus holds about its consumers' window, and rows computed
     * ahead for the first band die as soon as the next operator consumed them.
     */
    private static final class Pipeline {
        private final PlanBuilder b;
        private final Graph g;
        private final List<Integer> path;
        private final int dim;
        private final int n;
        private final Region[] whole;
        private final int[] covered;
        private final int[] tile;
        private final Map<Integer, Integer> position;

        Pipeline(PlanBuilder b, List<Integer> path, int dim) {
            this.b = b;
            this.g = b.graph();
            this.path = path;
            this.dim = dim;
            this.n = path.size();
            this.whole = new Region[n];
            for (int k = 0; k < n; k++) whole[k] = Region.whole(g.tensor(g.ops().get(path.get(k)).output(0)).shape());
            this.covered = new int[n];
            this.tile = new int[n];
            java.util.Arrays.fill(tile, -1);
            this.position = producers(g, path);
        }

        void emit(List<Region> bands) {
            int last = path.get(n - 1);
            int out = b.tensor(g.ops().get(last).output(0));
            for (Region band : bands) {
                pull(n - 1, band);
                b.compute(last, band, out);
                covered[n - 1] = band.hi(dim);
            }
        }

        /** Advances every producer in the path far enough for operator k to compute {@code r}. */
        private void pull(int k, Region r) {
            Op op = g.ops().get(path.get(k));
            List<Region> in = KernelRegistry.forOp(g, path.get(k)).inputRegions(g, op, r);
            for (int i = 0; i < op.inputs().size(); i++) {
                Integer j = position.get(op.input(i));
                if (j == null || j >= k) continue;
                // a region reading nothing of the producer (a PAD's padding rows) still binds its tile: at least one row
                boolean none = in.get(i) == null || in.get(i).isEmpty();
                ensure(j, none ? Math.max(1, covered[j]) : Math.min(in.get(i).hi(dim), whole[j].hi(dim)));
            }
        }

        private void ensure(int k, int hi) {
            int opIndex = path.get(k);
            int t = g.ops().get(opIndex).output(0);
            while (covered[k] < hi) {
                int from = covered[k], to = from + 1;
                Region chunk = whole[k].with(dim, from, to);
                pull(k, chunk);
                int low = Math.max(0, Math.min(from, stillNeeded(k)));
                int next = b.region(t, whole[k].with(dim, low, to));
                if (tile[k] >= 0 && low < from) b.copy(whole[k].with(dim, low, from), tile[k], next);
                b.compute(opIndex, chunk, next);
                tile[k] = next;
                covered[k] = to;
            }
        }

        /** The lowest row of operator k's output that a consumer in the path reads for its next row. */
        private int stillNeeded(int k) {
            int t = g.ops().get(path.get(k)).output(0);
            int low = Integer.MAX_VALUE;
            for (int c = k + 1; c < n; c++) {
                Op op = g.ops().get(path.get(c));
                if (!op.inputs().contains(t) || covered[c] >= whole[c].hi(dim)) continue;
                List<Region> in = KernelRegistry.forOp(g, path.get(c)).inputRegions(g, op, whole[c].with(dim, covered[c], covered[c] + 1));
                for (int i = 0; i < op.inputs().size(); i++) {
                    if (op.input(i) != t || in.get(i) == null || in.get(i).isEmpty()) continue;
                    low = Math.min(low, in.get(i).lo(dim));
                }
            }
            return low;
        }
    }
}
