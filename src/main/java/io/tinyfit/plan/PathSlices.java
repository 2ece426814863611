package io.tinyfit.plan;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regions a fused path computes, part by part: given the output regions of the path's last operator (row bands,
 * grid cells, channel ranges), each earlier operator must compute the bounding box of what the path's later
 * operators read from its output for that part (the kernels' region inference). Neighbouring parts' regions of an
 * intermediate overlap where windows need halos: computing them in each part is the recomputation of fused tiling.
 */
public final class PathSlices {
    private PathSlices() {}

    /**
     * Per part, the output region of every operator of {@code path} (operators in execution order, each writing one
     * output that only later operators of the path and the path's last operator's consumers read).
     */
    public static List<Map<Integer, Region>> of(Graph g, List<Integer> path, List<Region> lastRegions) {
        List<Map<Integer, Region>> parts = new ArrayList<>();
        int last = path.get(path.size() - 1);
        for (Region r : lastRegions) {
            Map<Integer, Region> need = new HashMap<>();
            need.put(last, r);
            for (int k = path.size() - 1; k >= 0; k--) {
                int opIndex = path.get(k);
                Region out = need.get(opIndex);
                if (out == null) throw new IllegalArgumentException("operator " + opIndex + " of the path feeds no later operator of it");
                Op op = g.ops().get(opIndex);
                List<Region> in = KernelRegistry.forOp(g, opIndex).inputRegions(g, op, out);
                for (int i = 0; i < op.inputs().size(); i++) {
                    int t = op.input(i);
                    if (t < 0 || in.get(i) == null || in.get(i).isEmpty()) continue;
                    for (int producer : path) {
                        Op p = g.ops().get(producer);
                        if (!p.outputs().isEmpty() && p.output(0) == t) need.merge(producer, in.get(i), Region::union);
                    }
                }
            }
            Map<Integer, Region> ordered = new LinkedHashMap<>();
            for (int opIndex : path) ordered.put(opIndex, need.get(opIndex));
            parts.add(ordered);
        }
        return parts;
    }

    /** Bands of {@code parts} near-equal ranges of dimension d of a region. */
    public static List<Region> split(Region whole, int d, int parts) {
        List<Region> out = new ArrayList<>();
        int n = whole.extent(d);
        for (int k = 0; k < parts; k++) {
            int from = whole.lo(d) + (int) ((long) n * k / parts), to = whole.lo(d) + (int) ((long) n * (k + 1) / parts);
            if (to > from) out.add(whole.with(d, from, to));
        }
        return out;
    }

    /**
     * The steps of the path part by part into {@code b}: every operator but the last computes its region into a new
     * buffer of that region (a tile), the last writes its region into buffer {@code into}.
     */
    public static void addSteps(PlanBuilder b, List<Integer> path, List<Map<Integer, Region>> parts, int into) {
        Graph g = b.graph();
        int last = path.get(path.size() - 1);
        for (Map<Integer, Region> part : parts) {
            for (int opIndex : path) {
                Region r = part.get(opIndex);
                int target = opIndex == last ? into : b.region(g.ops().get(opIndex).output(0), r);
                b.compute(opIndex, r, target);
            }
        }
    }
}
