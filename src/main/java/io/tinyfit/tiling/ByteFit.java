package io.tinyfit.tiling;

import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.FirstFit;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.SlidingCopies;

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
        Layout free = new Layout(p, shapes, null);
        Result best = free.search(iterations, seed);
        // tiles sliding in place: each chain of tiles one unit at one offset (the copy a downward shift)
        int[] chains = SlidingCopies.chains(p, live);
        if (SlidingCopies.any(chains)) {
            Result slid = new Layout(p, shapes, chains).search(iterations, seed);
            if (slid.end < best.end) best = slid;
        }
        long arena = BufferRequests.align(best.end, p.alignment());
        if (arena >= p.arenaBytes()) return p;
        List<Buffer> placed = new ArrayList<>(p.buffers());
        for (int i = 0; i < p.buffers().size(); i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) placed.set(i, p.buffers().get(i).withOffset(best.offsets[i]));
        return p.withBuffers(placed, arena, PLANNER);
    }

    private record Result(long[] offsets, long end) {}

    /**
     * The units placed: SRAM buffers, or chains of tiles sharing one offset ({@link SlidingCopies#chains}), each
     * with its live rectangles relative to its offset (a chain's: all its tiles').
     */
    private static final class Layout {
        final Plan p;
        final List<Integer> units = new ArrayList<>();
        final List<List<FirstFit.Shape>> shapes;
        final int[] rep;
        final long[] bytes;

        Layout(Plan p, List<List<FirstFit.Shape>> bufferShapes, int[] chains) {
            this.p = p;
            int n = p.buffers().size();
            rep = new int[n];
            bytes = new long[n];
            shapes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rep[i] = chains == null ? i : chains[i];
                shapes.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                if (!p.buffers().get(i).bank().equals(Bank.SRAM)) continue;
                if (rep[i] == i) units.add(i);
                shapes.get(rep[i]).addAll(bufferShapes.get(i));
                bytes[rep[i]] = Math.max(bytes[rep[i]], p.buffers().get(i).bytes());
            }
        }

        Result search(int iterations, long seed) {
            int n = p.buffers().size();
            int[] first = new int[n], last = new int[n];
            long[] area = new long[n];
            for (int i : units) {
                first[i] = Integer.MAX_VALUE;
                for (FirstFit.Shape s : shapes.get(i)) {
                    first[i] = Math.min(first[i], s.first());
                    last[i] = Math.max(last[i], s.last());
                    area[i] += (s.hi() - s.lo()) * (long) (s.last() - s.first() + 1);
                }
            }
            int peak = peakStep(p, shapes);
            List<List<Integer>> orders = new ArrayList<>();
            orders.add(sorted(units, Comparator.comparingLong(i -> -bytes[i])));
            orders.add(sorted(units, Comparator.<Integer>comparingInt(i -> first[i]).thenComparingLong(i -> -bytes[i])));
            orders.add(sorted(units, Comparator.comparingLong(i -> -area[i])));
            orders.add(sorted(units, Comparator.<Integer>comparingInt(i -> first[i] <= peak && peak <= last[i] ? 0 : 1).thenComparingLong(i -> -bytes[i])));
            // the buffers that die first low, so what is born later lands on their bytes
            orders.add(sorted(units, Comparator.<Integer>comparingInt(i -> last[i]).thenComparingInt(i -> first[i])));
            long[] best = null;
            long bestEnd = Long.MAX_VALUE;
            List<Integer> bestOrder = null;
            for (List<Integer> o : orders) {
                long[] off = place(o);
                long end = end(off);
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
                long[] off = place(o);
                long end = end(off);
                if (end <= bestEnd) {
                    bestEnd = end;
                    best = off;
                    bestOrder = o;
                }
            }
            return new Result(best, bestEnd);
        }

        /** Each unit of {@code order} at the lowest aligned offset free of the units placed before it; members follow. */
        long[] place(List<Integer> order) {
            int n = p.buffers().size();
            int[] rank = new int[n];
            long[] fixed = new long[n];
            java.util.Arrays.fill(rank, Integer.MAX_VALUE);
            for (int k = 0; k < order.size(); k++) {
                rank[order.get(k)] = k;
                fixed[order.get(k)] = -1;
            }
            List<List<FirstFit.Shape>> sh = new ArrayList<>(shapes);
            for (int i = 0; i < n; i++) if (rank[i] == Integer.MAX_VALUE) sh.set(i, List.of());
            long[] off = FirstFit.place(p, sh, fixed, p.alignment(), Comparator.comparingInt((Integer i) -> rank[i]));
            for (int i = 0; i < n; i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) off[i] = off[rep[i]];
            return off;
        }

        long end(long[] off) {
            long end = 0;
            for (int i = 0; i < p.buffers().size(); i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) end = Math.max(end, off[i] + p.buffers().get(i).bytes());
            return end;
        }
    }

    private static List<Integer> sorted(List<Integer> ids, Comparator<Integer> c) {
        List<Integer> l = new ArrayList<>(ids);
        l.sort(c.thenComparingInt(i -> i));
        return l;
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

}
