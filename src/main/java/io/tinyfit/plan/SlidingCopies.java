package io.tinyfit.plan;

import io.tinyfit.kernels.View;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;

import java.util.Arrays;

/**
 * Copies that may slide a tile in place. A {@link StepKind#COPY} step moves its region element by element in
 * row-major order (the interpreter and the generated C's {@code tf_copy_region} both do, byte by byte within an
 * element). When every element's destination address is at or below its source address, such a forward copy never
 * overwrites a source byte it has still to read: the element written at d_i ≤ s_i, and every element read later
 * lies at s_j > s_i (row-major addresses increase in both buffers). So the destination tile may share bytes with the
 * source tile at the copy step — the step where the source's bytes die and the destination's are born — which is
 * how a line buffer advances by one row without holding the old and the new window at once (the new tile placed at
 * the old one's offset, the copy a downward shift). The verifier recomputes this bound itself from the offsets.
 */
public final class SlidingCopies {
    private SlidingCopies() {}

    /**
     * The largest {@code destination address - source address} over the elements copy step {@code copy} moves, with
     * its source buffer at {@code fromOffset} and its destination at {@code toOffset}: at most 0 means the forward
     * copy is safe however the two buffers overlap.
     */
    public static long maxLead(Plan p, Step copy, long fromOffset, long toOffset) {
        Graph g = p.graph();
        Buffer from = p.buffers().get(copy.from()), to = p.buffers().get(copy.to());
        Region r = copy.region() != null ? copy.region() : Region.whole(g.tensor(from.tensor()).shape());
        Region hs = StepAccesses.heldRegion(g, from), hd = StepAccesses.heldRegion(g, to);
        int eb = StepAccesses.elementBytes(g, from);
        if (r.isEmpty()) return Long.MIN_VALUE;
        int[] ss = View.rowMajor(hs.extents()), sd = View.rowMajor(hd.extents());
        // d(x) - s(x) is linear in each coordinate: its maximum over the box is at a corner chosen per dimension
        long lead = toOffset - fromOffset;
        for (int k = 0; k < r.rank(); k++) {
            long coef = (long) sd[k] - ss[k];
            int x = coef > 0 ? r.hi(k) - 1 : r.lo(k);
            lead += eb * ((long) (x - hd.lo(k)) * sd[k] - (long) (x - hs.lo(k)) * ss[k]);
        }
        return lead;
    }

    /**
     * Chains of tiles that can share one offset: for each copy step from tile X to tile Y of the same tensor and bank
     * where X is dead after the copy (its last live step) and the copy is a forward-safe shift with both at the same
     * offset, X and Y are joined. Per buffer, the representative of its chain (itself when alone).
     */
    public static int[] chains(Plan p, Liveness live) {
        int n = p.buffers().size();
        int[] rep = new int[n];
        for (int i = 0; i < n; i++) rep[i] = i;
        boolean[] hasNext = new boolean[n], hasPrev = new boolean[n];
        for (int s = 0; s < p.stepCount(); s++) {
            Step st = p.step(s);
            if (st.kind() != StepKind.COPY) continue;
            int x = st.from(), y = st.to();
            if (x == y || x < 0 || y < 0 || hasNext[x] || hasPrev[y]) continue;
            Buffer bx = p.buffers().get(x), by = p.buffers().get(y);
            if (bx.kind() != Buffer.Kind.TENSOR || by.kind() != Buffer.Kind.TENSOR || bx.tensor() != by.tensor() || !bx.bank().equals(by.bank())) continue;
            int[] span = live.span(x);
            if (span == null || span[1] != s) continue;
            if (maxLead(p, st, 0, 0) > 0) continue;
            hasNext[x] = true;
            hasPrev[y] = true;
            int a = find(rep, x), b = find(rep, y);
            if (a != b) rep[Math.max(a, b)] = Math.min(a, b);
        }
        for (int i = 0; i < n; i++) rep[i] = find(rep, i);
        return rep;
    }

    private static int find(int[] rep, int i) {
        while (rep[i] != i) {
            rep[i] = rep[rep[i]];
            i = rep[i];
        }
        return i;
    }

    /** True when some chain has more than one buffer. */
    public static boolean any(int[] rep) {
        for (int i = 0; i < rep.length; i++) if (rep[i] != i) return true;
        return false;
    }

    /** For tests and messages: the chain members of each representative, as counts. */
    static int[] sizes(int[] rep) {
        int[] c = new int[rep.length];
        for (int r : rep) c[r]++;
        return Arrays.copyOf(c, c.length);
    }
}
