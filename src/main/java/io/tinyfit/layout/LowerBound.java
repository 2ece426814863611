package io.tinyfit.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   <li>{@link #chainAware}: {@link #overlapAware}, raised by what chains of allowances cost in a
 *       linear arena. An allowance lets an output overlap its input only from below, so along a
 *       chain I -> O1 -> O2 ... (each output the next pair's input) the offsets fall step by step,
 *       and per-step sums, which treat each step alone, miss the accumulated fall.</li>
 * </ul>
 *
 * All three also count the end of every offline buffer, which fixed offsets force into any
 * layout, and the largest single buffer.
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

    /**
     * {@link #overlapAware}, or more where chains of allowances force it.
     *
     * <p>Take a link: an allowance (O, I) whose buffers are live together, I created before O, and no
     * allowance the other way round. Offsets are multiples of the alignment, so O sits either at least
     * {@code fall = min(alignUp(minDelta), size(O))} below I (overlapping by the allowance, or wholly
     * below), or wholly above I, which alone needs {@code size(I) + size(O)} bytes. Along a path of
     * links where O never goes above, each buffer's offset is at least the sum of the falls after it,
     * so the arena holds {@code size(first) + sum of the falls} for every suffix of the path. Hence,
     * for any threshold T: either some link with {@code size(I) + size(O) >= T} puts its output above
     * (arena >= T), or every such link falls (arena >= the largest drift over paths of such links), and
     * the arena is at least the smaller of the two. The bound is the best T.
     */
    public static long chainAware(LayoutProblem problem) {
        return Math.max(overlapAware(problem), chainDrift(problem));
    }

    private record Link(Buffer in, Buffer out, long fall, long aboveCost) {}

    private static long chainDrift(LayoutProblem problem) {
        Set<Long> declared = new HashSet<>();
        for (OverlapAllowance a : problem.allowances()) declared.add(pairKey(a.output(), a.input()));
        List<Link> links = new ArrayList<>();
        for (OverlapAllowance a : problem.allowances()) {
            Buffer in = problem.buffer(a.input());
            Buffer out = problem.buffer(a.output());
            // the reverse allowance would let the output overlap from above; an input created no earlier
            // than its output could close a cycle, which no kernel pair makes
            if (in.size() == 0 || out.size() == 0 || !in.overlapsInTime(out) || in.firstStep() >= out.firstStep()
                    || declared.contains(pairKey(a.input(), a.output()))) {
                continue;
            }
            long fall = Math.min(Alignment.alignUp(a.minDelta(), problem.alignment()), out.size());
            links.add(new Link(in, out, fall, in.size() + out.size()));
        }
        // outputs are created strictly after their inputs: latest-created first is a topological order
        List<Buffer> latestFirst = new ArrayList<>(problem.buffers());
        latestFirst.sort(Comparator.comparingInt(Buffer::firstStep).reversed());
        long best = 0;
        for (long threshold : links.stream().map(Link::aboveCost).distinct().toList()) {
            // drop[b]: the largest sum of falls on a path of links starting at b, each costing >= threshold above
            long[] drop = new long[problem.bufferCount()];
            Map<Integer, List<Link>> from = new HashMap<>();
            for (Link l : links) if (l.aboveCost() >= threshold) from.computeIfAbsent(l.in().id(), k -> new ArrayList<>()).add(l);
            long drift = 0;
            for (Buffer b : latestFirst) {
                for (Link l : from.getOrDefault(b.id(), List.of())) drop[b.id()] = Math.max(drop[b.id()], l.fall() + drop[l.out().id()]);
                drift = Math.max(drift, b.size() + drop[b.id()]);
            }
            best = Math.max(best, Math.min(threshold, drift));
        }
        return best;
    }

    private static long pairKey(int output, int input) {
        return ((long) output << 32) | (input & 0xffffffffL);
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
