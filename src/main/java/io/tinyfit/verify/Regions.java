package io.tinyfit.verify;

import io.tinyfit.model.Region;

import java.util.List;
import java.util.TreeSet;

/** Set arithmetic on boxes that the coverage checks need. */
final class Regions {
    private Regions() {}

    /**
     * An element of {@code whole} that none of the regions contains, or null when they cover it. The boxes' bounds cut
     * every dimension into intervals; a cell of that grid is covered wholly or not at all, so testing one corner per
     * cell decides.
     */
    static int[] uncovered(List<Region> regions, Region whole) {
        if (whole.isEmpty()) return null;
        int rank = whole.rank();
        int[][] cuts = new int[rank][];
        for (int d = 0; d < rank; d++) {
            TreeSet<Integer> c = new TreeSet<>();
            c.add(whole.lo(d));
            for (Region r : regions) {
                if (r.isEmpty()) continue;
                if (r.lo(d) > whole.lo(d) && r.lo(d) < whole.hi(d)) c.add(r.lo(d));
                if (r.hi(d) > whole.lo(d) && r.hi(d) < whole.hi(d)) c.add(r.hi(d));
            }
            cuts[d] = c.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] cell = new int[rank];
        int[] corner = new int[rank];
        while (true) {
            for (int d = 0; d < rank; d++) corner[d] = cuts[d][cell[d]];
            boolean hit = false;
            for (Region r : regions) if (r.contains(corner)) {
                hit = true;
                break;
            }
            if (!hit) return corner.clone();
            int d = rank - 1;
            while (d >= 0 && ++cell[d] == cuts[d].length) cell[d--] = 0;
            if (d < 0) return null;
        }
    }
}
