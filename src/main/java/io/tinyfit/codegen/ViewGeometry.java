package io.tinyfit.codegen;

import io.tinyfit.model.Region;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a region of a tensor lies in the 4-D coordinates a kernel views the tensor in. An emitter views a tensor of
 * any rank as 4-D {@code dims}: its shape extended with leading ones, or consecutive dimensions merged into one (a
 * FULLY_CONNECTED input as rows, a flat run of elements). A region of the tensor, stored densely row-major (a tile
 * buffer), is a box of those 4-D coordinates when, within every merged group, the region spans single indices
 * before one dimension and whole dimensions after it: then its elements are one run of the merged index, and its
 * dense row-major storage is the dense row-major storage of the 4-D box, so one {@code tf_view} with row-major strides
 * over the box's extents addresses it.
 */
final class ViewGeometry {
    private ViewGeometry() {}

    /**
     * The 4-D box {@code {lo, hi}} that region {@code r} of a tensor of {@code shape} occupies when the tensor is viewed
     * as {@code dims}; null when the region is no box there (or dims do not merge the shape's dimensions).
     */
    static int[][] box(int[] shape, Region r, int[] dims) {
        if (dims.length != 4) throw new IllegalArgumentException("views are 4-D");
        int[] lo = new int[4], hi = dims.clone();
        if (r.isWhole(io.tinyfit.model.Shape.of(shape))) return new int[][] {lo, hi};
        if (r.isEmpty()) return new int[][] {lo, new int[4]};
        // dimensions of extent 1 hold index 0 only: they neither start a group nor break a run
        List<Integer> source = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1) source.add(d);
        int next = 0;
        for (int j = 0; j < 4; j++) {
            if (dims[j] == 1) {
                hi[j] = 1;
                continue;
            }
            List<Integer> group = new ArrayList<>();
            long product = 1;
            while (product < dims[j] && next < source.size()) {
                int d = source.get(next++);
                group.add(d);
                product *= shape[d];
            }
            if (product != dims[j]) return null;
            long[] run = run(shape, r, group);
            if (run == null) return null;
            lo[j] = (int) run[0];
            hi[j] = (int) run[1];
        }
        return next == source.size() ? new int[][] {lo, hi} : null;
    }

    /** The merged indices {@code [lo, hi)} the region covers over one group of dimensions, or null if not one run. */
    private static long[] run(int[] shape, Region r, List<Integer> group) {
        int partial = -1;
        for (int k = 0; k < group.size(); k++) {
            int d = group.get(k);
            if (partial >= 0) {
                if (r.extent(d) != shape[d]) return null;
            } else if (r.extent(d) != 1) {
                partial = k;
            }
        }
        long flat = 0, inner = 1;
        for (int d : group) flat = flat * shape[d] + r.lo(d);
        if (partial < 0) return new long[] {flat, flat + 1};
        for (int k = partial + 1; k < group.size(); k++) inner *= shape[group.get(k)];
        return new long[] {flat, flat + r.extent(group.get(partial)) * inner};
    }
}
