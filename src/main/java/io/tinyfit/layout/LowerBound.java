package io.tinyfit.layout;

import java.util.Map;
import java.util.TreeMap;

/**
 * Arena sizes no layout can beat, to measure how far a plan is from optimal.
 *
 * <ul>
 *   <li>{@link #of}: at every step all live buffers need their own bytes, so the arena is at
 *       least the largest per-step sum of aligned sizes (ignores allowances).</li>
 *   <li>{@link #overlapAware}: the same, minus per step the bytes each declared (output, input)
 *       pair live at that step can share at most, {@code min(size(O) - alignUp(minDelta),
 *       size(I))} clipped at 0. Subtracting pairwise overlaps from the sum never overestimates
 *       the union (Bonferroni), so it stays a valid bound with any number of pairs.</li>
 * </ul>
 *
 * Both also count the end of every offline buffer, which fixed offsets force into any layout,
 * and the largest single buffer.
 */
public final class LowerBound {

    private LowerBound() {
    }

    public static long of(LayoutProblem problem) {
        return compute(problem, false);
    }

    public static long overlapAware(LayoutProblem problem) {
        return compute(problem, true);
    }

    private static long compute(LayoutProblem problem, boolean subtractSharing) {
        // difference map over steps: +size where a buffer starts, -size after it ends
        TreeMap<Long, Long> delta = new TreeMap<>();
        long floor = 0;
        for (Buffer b : problem.buffers()) {
            delta.merge((long) b.firstStep(), b.size(), Long::sum);
            delta.merge(b.lastStep() + 1L, -b.size(), Long::sum);
            floor = Math.max(floor, b.size());
            if (b.isOffline()) {
                floor = Math.max(floor, b.offlineOffset() + b.size());
            }
        }
        if (subtractSharing) {
            for (OverlapAllowance a : problem.allowances()) {
                Buffer out = problem.buffer(a.output());
                Buffer in = problem.buffer(a.input());
                long shared = a.maxSharedBytes(out, in, problem.alignment());
                int first = Math.max(out.firstStep(), in.firstStep());
                int last = Math.min(out.lastStep(), in.lastStep());
                if (shared > 0 && first <= last) {
                    delta.merge((long) first, -shared, Long::sum);
                    delta.merge(last + 1L, shared, Long::sum);
                }
            }
        }
        long live = 0;
        long peak = 0;
        for (Map.Entry<Long, Long> e : delta.entrySet()) {
            live += e.getValue();
            peak = Math.max(peak, live);
        }
        return Math.max(peak, floor);
    }
}
