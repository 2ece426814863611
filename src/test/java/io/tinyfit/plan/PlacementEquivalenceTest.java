package io.tinyfit.plan;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast placement and liveness give exactly what the plain algorithms give: {@link FirstFit#place} (conflicts
 * found by a sweep, merged per buffer, placements resumed from a recent one sharing a prefix) against the original
 * every-rectangle-against-every-placed-rectangle loop, and {@link Liveness} with fragmented buffers kept per byte
 * against the same buffers kept as segments.
 */
class PlacementEquivalenceTest {

    @Test
    void firstFitPlacesLikeThePlainLoop() {
        List<Plan> plans = plans();
        SplittableRandom r = new SplittableRandom(7);
        int checked = 0;
        for (Plan p : plans) {
            List<List<FirstFit.Shape>> real = FirstFit.shapes(p, Liveness.of(p));
            for (List<List<FirstFit.Shape>> shapes : List.of(real, FirstFit.wholeBuffers(p, real), randomShapes(p, r, 200, 120), randomShapes(p, r, 24, 6))) {
                int n = p.buffers().size();
                for (int alignment : new int[] {1, 16}) {
                    long[] fixed = new long[n];
                    java.util.Arrays.fill(fixed, -1);
                    if (n > 2 && r.nextBoolean()) fixed[r.nextInt(n)] = 16L * r.nextInt(20);
                    // orders sharing prefixes with earlier ones, as a local search draws them
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < n; i++) order.add(i);
                    for (int k = 0; k < 12; k++) {
                        if (k == 0) order.sort(Comparator.comparingLong((Integer i) -> -p.buffers().get(i).bytes()).thenComparingInt(i -> i));
                        else if (k % 4 == 3) Collections.shuffle(order, new java.util.Random(r.nextLong()));
                        else if (n > 1) {
                            int a = r.nextInt(n), b = r.nextInt(n);
                            order.add(Math.min(a, b), order.remove(Math.max(a, b)));
                        }
                        int[] rank = new int[n];
                        for (int x = 0; x < n; x++) rank[order.get(x)] = x;
                        Comparator<Integer> c = Comparator.comparingInt(i -> rank[i]);
                        assertThat(FirstFit.place(p, shapes, fixed, alignment, c)).as(p.planner() + " order " + order).containsExactly(plainPlace(p, shapes, fixed, alignment, c));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void perByteLivenessOfFragmentedBuffersIsTheSegmentsOne() {
        for (Plan p : plans()) {
            StepAccesses.Result a = StepAccesses.of(p);
            Liveness segments = Liveness.of(p, a, Integer.MAX_VALUE);
            for (int limit : new int[] {0, 1, 3, 64}) {
                Liveness bytes = Liveness.of(p, a, limit);
                assertThat(bytes.rects()).as(p.planner() + " limit " + limit).isEqualTo(segments.rects());
                assertThat(bytes.problems()).isEqualTo(segments.problems());
            }
        }
    }

    /** The hand-built tiled plans, random tilings and a plan whose whole intermediates are written channel slice by slice. */
    private static List<Plan> plans() {
        List<Plan> out = new ArrayList<>();
        Graph chain = TiledPlans.chain();
        out.add(TiledPlans.bands(chain, 3));
        Graph ir = TiledPlans.invertedResidual();
        out.add(TiledPlans.channelSlices(ir, 4));
        out.add(slicedIntoWholeBuffers(ir, 4));
        out.add(slicedIntoWholeBuffers(ir, 3));
        out.add(TiledPlans.spill(TiledPlans.residual()));
        for (long seed = 0; seed < 40; seed++) out.add(TiledPlans.random(seed).plan());
        return out;
    }

    private static Plan slicedIntoWholeBuffers(Graph g, int slices) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int expanded = b.tensor(g.ops().get(0).output(0)), depthwise = b.tensor(g.ops().get(1).output(0));
        int out = b.tensor(g.outputs().get(0));
        for (Region slice : PathSlices.split(Region.whole(g.tensor(g.ops().get(1).output(0)).shape()), 3, slices)) {
            b.compute(0, slice, expanded);
            b.compute(1, slice, depthwise);
        }
        b.compute(2, null, out);
        return b.build("slices-into-whole-" + slices);
    }

    /** Up to four rectangles per buffer (small ones crowd: offsets a byte apart decide), some reversed in steps. */
    private static List<List<FirstFit.Shape>> randomShapes(Plan p, SplittableRandom r, int bytes, int length) {
        List<List<FirstFit.Shape>> out = new ArrayList<>();
        for (int i = 0; i < p.buffers().size(); i++) {
            List<FirstFit.Shape> s = new ArrayList<>();
            int k = r.nextInt(5);
            for (int x = 0; x < k; x++) {
                long lo = r.nextInt(bytes), hi = lo + r.nextInt(length);
                int first = r.nextInt(12), last = r.nextInt(10) == 0 ? first - 1 : first + r.nextInt(6);
                s.add(new FirstFit.Shape(lo, hi, first, last));
            }
            out.add(s);
        }
        return out;
    }

    /** The placement loop as first written: every rectangle against every rectangle of every buffer placed before. */
    private static long[] plainPlace(Plan p, List<List<FirstFit.Shape>> shapes, long[] fixed, int alignment, Comparator<Integer> order) {
        int n = p.buffers().size();
        long[] offset = fixed.clone();
        List<Integer> placed = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] >= 0) placed.add(i);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] < 0) todo.add(i);
        todo.sort(order);
        for (int i : todo) {
            String bank = p.buffers().get(i).bank();
            List<long[]> forbidden = new ArrayList<>();
            for (FirstFit.Shape r : shapes.get(i)) {
                for (int j : placed) {
                    if (!p.buffers().get(j).bank().equals(bank)) continue;
                    for (FirstFit.Shape q : shapes.get(j)) {
                        if (q.first() > r.last() || r.first() > q.last()) continue;
                        forbidden.add(new long[] {offset[j] + q.lo() - r.hi() + 1, offset[j] + q.hi() - r.lo()});
                    }
                }
            }
            forbidden.sort(Comparator.comparingLong(a -> a[0]));
            long o = 0;
            for (long[] f : forbidden) {
                if (f[0] > o) break;
                if (o < f[1]) o = (f[1] + alignment - 1) / alignment * alignment;
            }
            offset[i] = o;
            placed.add(i);
        }
        return offset;
    }
}
