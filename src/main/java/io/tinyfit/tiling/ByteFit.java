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

    private static final boolean DEBUG = Boolean.getBoolean("tinyfit.bytefit.debug");

    /** Offsets tried per sweep when the largest buffer is pinned. */
    static final int PIN_TRIES = 8;

    private ByteFit() {}

    /** The plan re-placed, tiles sliding where they may ({@link #improve(Plan, int, long, boolean)}). */
    public static Plan improve(Plan p, int iterations, long seed) { return improve(p, iterations, seed, true); }

    /**
     * The plan re-placed, or the plan itself when no order does better. With {@code slide}, also with tiles sliding
     * in place (chains at one offset, or tiles hopping down), more orders, the largest buffer pinned at swept
     * offsets and a local search that promotes the units reaching the arena's end; without, the four orders and
     * random local search alone, as before sliding tiles existed (the tiling search refines its candidates
     * without pipelined halos so, and slides only the plan it chose).
     */
    public static Plan improve(Plan p, int iterations, long seed, boolean slide) {
        Liveness live = Liveness.of(p);
        List<List<FirstFit.Shape>> shapes = FirstFit.shapes(p, live);
        // fragmented liveness (channel slices: a rectangle per pixel) is coarsened to one rectangle per buffer
        if (live.rects().size() > MAX_RECTS) shapes = FirstFit.wholeBuffers(p, shapes);
        Layout free = new Layout(p, shapes, null);
        free.classic = !slide;
        Result best = free.search(iterations, seed);
        // tiles sliding in place: each chain of tiles one unit at one offset (the copy a downward shift)
        int[] chains = slide ? SlidingCopies.chains(p, live) : null;
        if (slide && SlidingCopies.any(chains)) {
            Result slid = new Layout(p, shapes, chains).search(iterations, seed);
            if (slid.end < best.end) best = slid;
            // or each tile free to land at or below the offset its copy shifts it to (tiles hop onto dead rows)
            Layout hop = new Layout(p, shapes, null);
            hop.slides = slides(p);
            Result hopped = hop.search(iterations, seed);
            if (hopped.end < best.end) best = hopped;

        }
        long arena = BufferRequests.align(best.end, p.alignment());
        if (arena >= p.arenaBytes()) return p;
        List<Buffer> placed = new ArrayList<>(p.buffers());
        for (int i = 0; i < p.buffers().size(); i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) placed.set(i, p.buffers().get(i).withOffset(best.offsets[i]));
        return p.withBuffers(placed, arena, PLANNER);
    }

    private record Result(long[] offsets, long end) {}

    /** A copy step from one buffer to another: where the two may share bytes, and how far above its source the destination may start. */
    private record Slide(int step, long lead) {}

    /** Per (source, destination) of a copy step in one bank, the slide its copy allows (the last such copy, if several). */
    private static java.util.Map<Long, Slide> slides(Plan p) {
        java.util.Map<Long, Slide> m = new java.util.HashMap<>();
        java.util.Set<Long> twice = new java.util.HashSet<>();
        for (int s = 0; s < p.stepCount(); s++) {
            io.tinyfit.plan.Step st = p.step(s);
            if (st.kind() != io.tinyfit.plan.StepKind.COPY || st.from() == st.to()) continue;
            if (!p.buffers().get(st.from()).bank().equals(p.buffers().get(st.to()).bank())) continue;
            long key = key(st.from(), st.to());
            if (m.put(key, new Slide(s, SlidingCopies.maxLead(p, st, 0, 0))) != null) twice.add(key);
        }
        for (long k : twice) m.remove(k);
        return m;
    }

    private static long key(int from, int to) { return ((long) from << 32) | (to & 0xffffffffL); }

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
        /** Per unit, the first and last step of any of its live rectangles. */
        final int[] spanFirst, spanLast;
        /** Copies that let their destination share bytes with their source ({@link SlidingCopies}); null: none. */
        java.util.Map<Long, Slide> slides;
        /** Each unit in the smallest hole that takes it rather than the lowest (sliding placement only). */
        boolean bestFit;
        /** The four orders and random local search alone (no pinned sweep, no promotion of the units on top). */
        boolean classic;
        /** A unit placed at {@link #pinAt} whatever the others do (-1: none). */
        int pinned = -1;
        long pinAt;

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
            spanFirst = new int[n];
            spanLast = new int[n];
            for (int i = 0; i < n; i++) {
                spanFirst[i] = Integer.MAX_VALUE;
                spanLast[i] = Integer.MIN_VALUE;
                for (FirstFit.Shape s : shapes.get(i)) {
                    spanFirst[i] = Math.min(spanFirst[i], s.first());
                    spanLast[i] = Math.max(spanLast[i], s.last());
                }
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
            if (!classic) orders.add(sorted(units, Comparator.<Integer>comparingInt(i -> last[i]).thenComparingInt(i -> first[i])));
            // tiles first in order of birth, packed low, and the largest buffers (a graph input dying row by row)
            // last, above them: the tiles grow into the rows the input frees from its bottom
            long big = units.stream().mapToLong(i -> bytes[i]).max().orElse(0) / 2;
            if (!classic) orders.add(sorted(units, Comparator.<Integer>comparingInt(i -> bytes[i] > big ? 1 : 0).thenComparingInt(i -> first[i]).thenComparingLong(i -> -bytes[i])));
            if (!classic) orders.add(sorted(units, Comparator.comparingLong(i -> bytes[i])));
            long[] best = null;
            long bestEnd = Long.MAX_VALUE;
            List<Integer> bestOrder = null;
            int bestPinned = -1;
            long bestPinAt = 0;
            for (List<Integer> o : orders) {
                long[] off = place(o);
                long end = end(off);
                if (DEBUG) System.err.println("bytefit " + (slides != null ? "hop" : rep == null ? "?" : "layout") + " order " + orders.indexOf(o) + ": " + end);
                if (end < bestEnd) {
                    bestEnd = end;
                    best = off;
                    bestOrder = o;
                }
            }
            // the largest unit (a graph input whose rows die one by one) pinned at a chosen offset, the others in
            // order of birth around it: below it, and on its rows once dead (a coarse then a fine sweep of offsets)
            if (!classic && units.size() > 1) {
                int largest = sorted(units, Comparator.comparingLong(i -> -bytes[i])).get(0);
                // the others by birth, or long-lived and large ones first (their bytes, then the short-lived fill in)
                List<Comparator<Integer>> pinOrders = List.of(Comparator.<Integer>comparingInt(i -> first[i]).thenComparingLong(i -> -bytes[i]),
                        Comparator.comparingLong(i -> -area[i]));
                for (Comparator<Integer> pc : pinOrders) {
                    List<Integer> o = new ArrayList<>(sorted(units, pc));
                    o.remove(Integer.valueOf(largest));
                    o.add(0, largest);
                    long lo = 0, hi = Math.max(0, bestEnd - bytes[largest]);
                    for (int round = 0; round < 2 && hi > lo; round++) {
                        long stepBytes = Math.max(p.alignment(), (hi - lo) / PIN_TRIES / p.alignment() * p.alignment());
                        long bestAt = -1;
                        for (long at = lo; at <= hi; at += stepBytes) {
                            pinned = largest;
                            pinAt = at;
                            long[] off = place(o);
                            pinned = -1;
                            long end = end(off);
                            if (DEBUG) System.err.println("bytefit pinned at " + at + ": " + end);
                            if (end < bestEnd) {
                                bestEnd = end;
                                best = off;
                                bestAt = at;
                                bestOrder = o;
                                bestPinned = largest;
                                bestPinAt = at;
                            }
                        }
                        if (bestAt < 0) break;
                        lo = Math.max(0, bestAt - stepBytes);
                        hi = bestAt + stepBytes;
                    }
                }
            }
            // local search around the best: a random unit moved earlier, or (every other try) one of the units that
            // reach the arena's end moved earlier, so it is placed before what pushed it up; a pinned unit stays first
            SplittableRandom r = new SplittableRandom(seed);
            int keep = bestPinned >= 0 ? 1 : 0;
            pinned = bestPinned;
            pinAt = bestPinAt;
            for (int it = 0; it < iterations && bestOrder.size() > keep + 1; it++) {
                List<Integer> o = new ArrayList<>(bestOrder);
                int from, to;
                if (!classic && it % 2 == 1) {
                    List<Integer> top = new ArrayList<>();
                    for (int k = keep; k < o.size(); k++) if (best[o.get(k)] + bytes[o.get(k)] >= bestEnd) top.add(k);
                    from = top.isEmpty() ? keep + r.nextInt(o.size() - keep) : top.get(r.nextInt(top.size()));
                    to = keep + r.nextInt(Math.max(1, from - keep + 1));
                } else {
                    from = keep + r.nextInt(o.size() - keep);
                    to = keep + r.nextInt(o.size() - keep);
                }
                o.add(Math.min(from, to), o.remove(Math.max(from, to)));
                long[] off = place(o);
                long end = end(off);
                if (end <= bestEnd) {
                    bestEnd = end;
                    best = off;
                    bestOrder = o;
                }
            }
            pinned = -1;
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
            if (pinned >= 0) fixed[pinned] = pinAt;
            long[] off = slides != null ? placeSliding(order) : FirstFit.place(p, sh, fixed, p.alignment(), Comparator.comparingInt((Integer i) -> rank[i]));
            for (int i = 0; i < n; i++) if (p.buffers().get(i).bank().equals(Bank.SRAM)) off[i] = off[rep[i]];
            return off;
        }

        /**
         * {@link FirstFit#place} in this order, except that a tile and the tile its copy step fills may share the
         * bytes live at that step when the destination starts no higher than the copy's shift allows.
         */
        long[] placeSliding(List<Integer> order) {
            long[] offset = new long[p.buffers().size()];
            List<Integer> placed = new ArrayList<>();
            for (int i : order) {
                if (i == pinned) {
                    offset[i] = pinAt;
                    placed.add(i);
                    continue;
                }
                List<long[]> forbidden = new ArrayList<>();
                for (int j : placed) {
                    // units live at no common step never meet
                    if (spanFirst[j] > spanLast[i] || spanFirst[i] > spanLast[j]) continue;
                    Slide ji = slides.get(key(j, i)), ij = slides.get(key(i, j));
                    for (FirstFit.Shape r : shapes.get(i)) {
                        for (FirstFit.Shape q : shapes.get(j)) {
                            if (q.first() > r.last() || r.first() > q.last()) continue;
                            long lo = offset[j] + q.lo() - r.hi() + 1, hi = offset[j] + q.hi() - r.lo();
                            // j copied into i at the step where q dies and r is born: i at most offset[j] - lead
                            if (ji != null && q.last() == ji.step() && r.first() == ji.step()) lo = Math.max(lo, offset[j] - ji.lead() + 1);
                            // i copied into j: i at least offset[j] + lead
                            else if (ij != null && r.last() == ij.step() && q.first() == ij.step()) hi = Math.min(hi, offset[j] + ij.lead());
                            if (lo < hi) forbidden.add(new long[] {lo, hi});
                        }
                    }
                }
                offset[i] = bestFit ? bestFree(forbidden, p.alignment(), bytes[i]) : lowestFree(forbidden, p.alignment());
                placed.add(i);
            }
            return offset;
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


    /**
     * The aligned start of the smallest hole between the forbidden intervals where {@code size} bytes fit (the
     * lowest such hole among equals; the space above every interval last).
     */
    private static long bestFree(List<long[]> forbidden, int alignment, long size) {
        forbidden.sort(Comparator.comparingLong(a -> a[0]));
        long o = 0, bestAt = -1, bestHole = Long.MAX_VALUE;
        for (long[] f : forbidden) {
            if (f[0] > o) {
                long hole = f[0] - o;
                if (hole >= size && hole < bestHole) {
                    bestHole = hole;
                    bestAt = o;
                }
            }
            if (o < f[1]) o = (f[1] + alignment - 1) / alignment * alignment;
        }
        return bestAt >= 0 ? bestAt : o;
    }

    /** The lowest multiple of {@code alignment}, at least 0, outside every half-open interval. */
    private static long lowestFree(List<long[]> forbidden, int alignment) {
        forbidden.sort(Comparator.comparingLong(a -> a[0]));
        long o = 0;
        for (long[] f : forbidden) {
            if (f[0] > o) break;
            if (o < f[1]) o = (f[1] + alignment - 1) / alignment * alignment;
        }
        return o;
    }
}
