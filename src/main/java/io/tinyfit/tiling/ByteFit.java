package io.tinyfit.tiling;

import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.FirstFit;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A per-byte placement that improves on first fit: the same greedy rule (each buffer at the lowest aligned offset
 * where none of its live bytes meets live bytes of a buffer placed before it, per byte and step, {@link Liveness}),
 * tried over several buffer orders (largest first, earliest first, largest byte-steps first, the peak's buffers
 * first), then a local search over the best order (a random buffer moved earlier), keeping any order whose arena is
 * no larger. Bounded by a count of placements, never by time, so it gives the same plan on any machine. Only SRAM
 * buffers move; plans with other banks keep their offsets there.
 */
public final class ByteFit {
    public static final String PLANNER = "bytefit (per-byte greedy orders + local search)";

    /** Above this many live rectangles the placement works on whole buffers. */
    static final int MAX_RECTS = 20_000;

    private ByteFit() {}

    /** The plan re-placed, or the plan itself when no order does better. */
    public static Plan improve(Plan p, int iterations, long seed) {
        Liveness live = Liveness.of(p);
        List<List<FirstFit.Shape>> shapes = FirstFit.shapes(p, live);
        // fragmented liveness (channel slices: a rectangle per pixel) is coarsened to one rectangle per buffer
        if (live.rects().size() > MAX_RECTS) shapes = FirstFit.wholeBuffers(p, shapes);
        int n = p.buffers().size();
        List<Integer> sram = new ArrayList<>();
        for (int i = 0; i < n; i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) sram.add(i);
        int[] first = new int[n], last = new int[n];
        long[] area = new long[n];
        for (int i = 0; i < n; i++) {
            first[i] = Integer.MAX_VALUE;
            for (FirstFit.Shape s : shapes.get(i)) {
                first[i] = Math.min(first[i], s.first());
                last[i] = Math.max(last[i], s.last());
                area[i] += (s.hi() - s.lo()) * (long) (s.last() - s.first() + 1);
            }
        }
        int peak = peakStep(p, shapes);
        List<List<Integer>> orders = new ArrayList<>();
        orders.add(sorted(sram, Comparator.comparingLong(i -> -p.buffers().get(i).bytes())));
        orders.add(sorted(sram, Comparator.<Integer>comparingInt(i -> first[i]).thenComparingLong(i -> -p.buffers().get(i).bytes())));
        orders.add(sorted(sram, Comparator.comparingLong(i -> -area[i])));
        orders.add(sorted(sram, Comparator.<Integer>comparingInt(i -> first[i] <= peak && peak <= last[i] ? 0 : 1).thenComparingLong(i -> -p.buffers().get(i).bytes())));
        long[] best = null;
        long bestEnd = Long.MAX_VALUE;
        List<Integer> bestOrder = null;
        for (List<Integer> o : orders) {
            long[] off = place(p, shapes, o);
            long end = end(p, o, off);
            if (end < bestEnd) {
                bestEnd = end;
                best = off;
                bestOrder = o;
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int it = 0; it < iterations && bestOrder.size() > 1; it++) {
            List<Integer> o = new ArrayList<>(bestOrder);
            int from = r.nextInt(o.size()), to = r.nextInt(o.size());
            o.add(Math.min(from, to), o.remove(Math.max(from, to)));
            long[] off = place(p, shapes, o);
            long end = end(p, o, off);
            if (end <= bestEnd) {
                bestEnd = end;
                best = off;
                bestOrder = o;
            }
        }
        long arena = BufferRequests.align(bestEnd, p.alignment());
        if (arena >= p.arenaBytes()) return p;
        List<Buffer> placed = new ArrayList<>(p.buffers());
        for (int i : sram) placed.set(i, p.buffers().get(i).withOffset(best[i]));
        return p.withBuffers(placed, arena, PLANNER);
    }

    private static List<Integer> sorted(List<Integer> ids, Comparator<Integer> c) {
        List<Integer> l = new ArrayList<>(ids);
        l.sort(c.thenComparingInt(i -> i));
        return l;
    }

    private static long end(Plan p, List<Integer> order, long[] off) {
        long end = 0;
        for (int i : order) end = Math.max(end, off[i] + p.buffers().get(i).bytes());
        return end;
    }

    private static int peakStep(Plan p, List<List<FirstFit.Shape>> shapes) {
        long[] live = new long[Math.max(1, p.stepCount())];
        for (int i = 0; i < shapes.size(); i++) {
            if (!p.buffers().get(i).bank().equals(Bank.SRAM)) continue;
            for (FirstFit.Shape s : shapes.get(i)) for (int t = Math.max(0, s.first()); t <= Math.min(s.last(), live.length - 1); t++) live[t] += s.hi() - s.lo();
        }
        int best = 0;
        for (int t = 1; t < live.length; t++) if (live[t] > live[best]) best = t;
        return best;
    }

    /**
     * Each buffer of {@code order} at the lowest aligned offset free of the live bytes of those placed before it
     * ({@link FirstFit#place} in this order; buffers outside it, in other banks, stay at 0).
     */
    static long[] place(Plan p, List<List<FirstFit.Shape>> shapes, List<Integer> order) {
        int n = p.buffers().size();
        int[] rank = new int[n];
        long[] fixed = new long[n];
        for (int k = 0; k < order.size(); k++) {
            rank[order.get(k)] = k;
            fixed[order.get(k)] = -1;
        }
        return FirstFit.place(p, shapes, fixed, p.alignment(), Comparator.comparingInt((Integer i) -> rank[i]));
    }
}
