package io.tinyfit.tiling;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chains of consecutive pipelined paths ({@link Split.Halo#PIPELINE} row bands) from the start of the order forward,
 * each path cut where the tensor between two paths is small. The greedy loop of {@link TilingSearch} commits to one
 * path around the peak per round and, with paths of at most 16 operators drawn by the size of their ends, never
 * builds the long run of line buffers a model like MobileNetV2 at 224×224 needs (its input and the first stages'
 * intermediates hold megabytes; only the tensors at the ends of the inverted-residual blocks are small). A chain is
 * the other way round: every operator the row bands can pass through is in some path, and the whole tensors left
 * between paths are the small ones.
 *
 * <p>Cut points are the local minima of the output bytes along the order (a tensor no larger than the one before it
 * and smaller than the one after it). A chain is drawn for each threshold: only cuts at tensors no larger than the
 * threshold are taken, so that larger thresholds give more and shorter paths. Each path ends at the first cut at
 * which the run from its start is a valid path (no intermediate read outside it, every operator row-splittable);
 * an operator no path can start at runs whole. Each path's bands are one row of its last output each (pipelined
 * halos compute every row once whatever the count; the count only sets the last output's granularity).
 */
final class PipelineChains {
    /** Operators per path at most (a chain's paths are long: every intermediate holds only a few rows). */
    static final int MAX_PATH_LENGTH = 64;
    /** Thresholds tried: the largest cut sizes first (many short paths), then fewer, longer paths. */
    static final int MAX_CHAINS = 4;

    private PipelineChains() {}

    /** Output bytes of the operator at each position of the order (-1: not one output). */
    private static long[] outputBytes(Graph g, List<Integer> order) {
        int n = order.size();
        long[] bytes = new long[n];
        for (int pos = 0; pos < n; pos++) {
            Op op = g.ops().get(order.get(pos));
            bytes[pos] = op.outputs().size() == 1 && op.output(0) >= 0 ? g.tensor(op.output(0)).bytes() : -1;
        }
        return bytes;
    }

    /** The positions whose output is a local minimum of the output bytes along the order. */
    static List<Integer> cuts(Graph g, List<Integer> order) { return cuts(g, order, false); }

    /**
     * The positions whose output is a local minimum of the output bytes along the order: no larger than the one
     * before and smaller than the one after, or, {@code plateaus}, no larger than either (a run of equal tensors, as
     * in residual blocks that keep their shape, has a cut at each).
     */
    static List<Integer> cuts(Graph g, List<Integer> order, boolean plateaus) {
        long[] bytes = outputBytes(g, order);
        int n = bytes.length;
        List<Integer> cuts = new ArrayList<>();
        for (int z = 1; z < n; z++) {
            if (bytes[z] < 0) continue;
            boolean notAboveBefore = bytes[z - 1] < 0 || bytes[z] <= bytes[z - 1];
            boolean belowAfter = z + 1 >= n || bytes[z + 1] < 0 || bytes[z] < bytes[z + 1] || (plateaus && bytes[z] == bytes[z + 1]);
            if (notAboveBefore && belowAfter) cuts.add(z);
        }
        return cuts;
    }

    /** Distinct chains, each a list of splits sorted by position: strict local minima first, most cuts first. */
    static List<List<Split>> chains(Graph g, List<Integer> order) {
        long[] bytes = outputBytes(g, order);
        Map<Integer, List<Integer>> readers = PathDiscovery.readers(g);
        Set<Integer> outputs = new HashSet<>(g.outputs());
        List<List<Split>> out = new ArrayList<>();
        // strict local minima, plateaus too, then every position under the threshold (a model whose tensors only
        // shrink, like ResNet-8's, has no local minimum where its residual blocks close)
        TreeSet<Long> minima = new TreeSet<>();
        for (int mode = 0; mode < 3; mode++) {
            List<Integer> cuts = new ArrayList<>();
            if (mode < 2) cuts = cuts(g, order, mode == 1);
            else for (int z = 1; z < bytes.length; z++) if (bytes[z] >= 0) cuts.add(z);
            // the thresholds: the sizes at the cuts, or for every position those of the minima found before
            TreeSet<Long> sizes = new TreeSet<>();
            if (mode < 2) for (int z : cuts) sizes.add(bytes[z]);
            else sizes = minima;
            minima.addAll(sizes);
            int drawn = 0;
            for (long threshold : sizes.descendingSet()) {
                if (drawn >= MAX_CHAINS) break;
                List<Integer> taken = new ArrayList<>();
                for (int z : cuts) if (bytes[z] <= threshold) taken.add(z);
                List<Split> chain = chain(g, order, taken, readers, outputs);
                if (chain.isEmpty() || out.contains(chain)) continue;
                out.add(chain);
                drawn++;
            }
        }
        return out;
    }

    private static List<Split> chain(Graph g, List<Integer> order, List<Integer> cuts, Map<Integer, List<Integer>> readers, Set<Integer> outputs) {
        List<Split> chain = new ArrayList<>();
        int a = 0;
        while (a < order.size()) {
            Split s = null;
            for (int z : cuts) {
                if (z <= a) continue;
                if (z - a >= MAX_PATH_LENGTH) break;
                Optional<Long> ends = PathDiscovery.valid(g, order, a, z, Split.Kind.ROWS, readers, outputs);
                if (ends.isEmpty()) continue;
                int rows = rows(g, order, z);
                if (rows < 2) continue;
                s = new Split(a, z, Split.Kind.ROWS, rows, 1, Split.Halo.PIPELINE);
                break;
            }
            if (s == null) {
                a++;
                continue;
            }
            chain.add(s);
            a = s.last() + 1;
        }
        return chain;
    }

    /** Rows of the output of the operator at position z (the split dimension of row bands). */
    static int rows(Graph g, List<Integer> order, int z) {
        return g.tensor(g.ops().get(order.get(z)).output(0)).shape().toArray()[Split.Kind.ROWS.dim];
    }
}
