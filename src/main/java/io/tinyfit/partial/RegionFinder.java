package io.tinyfit.partial;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.ChannelSlices;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the maximal partial-execution regions of an operator order: from each channel-mixing operator (whose input
 * is whole, as every tensor outside a region is), follow its output through channel-local operators while the
 * tensor has exactly one reader and is no graph output; a tensor any other operator reads (a skip connection) must
 * exist whole, so the region ends there, writing it in place. A region whose last tensor feeds a convolution or
 * fully connected layer that can accumulate input-channel slices bit-exactly ends at that operator instead. Regions
 * are disjoint and keep only those that leave at least one tensor existing only as slices.
 */
public final class RegionFinder {
    private RegionFinder() {}

    public static List<PexRegion> find(Graph g, List<Integer> order) {
        Map<Integer, List<Integer>> readers = new HashMap<>();
        for (int opIndex : order) {
            Op op = g.ops().get(opIndex);
            for (int t : new HashSet<>(op.inputs())) if (t >= 0) readers.computeIfAbsent(t, k -> new ArrayList<>()).add(opIndex);
        }
        Set<Integer> outputs = new HashSet<>(g.outputs());
        Set<Integer> used = new HashSet<>();
        List<PexRegion> regions = new ArrayList<>();
        for (int start : order) {
            if (used.contains(start) || !ChannelSlices.isChannelMixing(g, start)) continue;
            Tensor first = g.tensor(g.ops().get(start).output(0));
            int c = ChannelSlices.channels(first);
            List<Integer> chain = new ArrayList<>(List.of(start));
            int accumulator = -1;
            int t = first.id();
            while (true) {
                List<Integer> r = readers.getOrDefault(t, List.of());
                if (outputs.contains(t) || r.size() != 1) break;
                int next = r.get(0);
                if (used.contains(next) || chain.contains(next)) break;
                if (ChannelSlices.isChannelLocal(g, next) && !readsChainTensor(g, next, chain, t)) {
                    chain.add(next);
                    t = g.ops().get(next).output(0);
                    continue;
                }
                Op n = g.ops().get(next);
                final int cur = t;
                if (n.input(0) == cur && n.inputs().stream().filter(x -> x == cur).count() == 1 && ChannelSlices.accumulates(g, next, c)) accumulator = next;
                break;
            }
            PexRegion region = new PexRegion(chain, accumulator, c);
            if (!region.accumulates() && chain.size() < 2) continue;
            used.addAll(region.ops());
            regions.add(region);
        }
        return regions;
    }

    /** The operator reads a tensor of the chain other than the one it continues from (it would need it whole). */
    private static boolean readsChainTensor(Graph g, int opIndex, List<Integer> chain, int current) {
        for (int t : g.ops().get(opIndex).inputs()) {
            if (t < 0 || t == current) continue;
            for (int c : chain) if (g.ops().get(c).output(0) == t) return true;
        }
        return false;
    }
}
