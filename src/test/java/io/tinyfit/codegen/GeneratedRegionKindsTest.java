package io.tinyfit.codegen;

import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;
import io.tinyfit.testing.RandomOps;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operator kind the C runtime has, over regions and tile buffers: a random single-operator model of the kind
 * ({@link RandomOps}, the variants the C runtime accepts), its output cut into random parts along a dimension the
 * kind splits (whole when it splits none), each part computed from tile buffers that region copies filled with just
 * what the part reads, into an output tile copied back into the whole output; CONV_2D and FULLY_CONNECTED also
 * accumulate each part over random input-channel slices (each from its own tile) and finish it. The generated C,
 * built with the sanitizers, view bounds checks and dead bytes poisoned, writes at every step exactly the regions
 * the Java interpreter writes.
 */
class GeneratedRegionKindsTest {
    /** Random models tried per kind until this many are accepted by the C runtime. */
    private static final int CASES = 2;

    @TestFactory
    Stream<DynamicTest> everyKindOverRegionsAndTilesRunsInCAsInJava() {
        CBuild.assumeToolchain();
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : new TreeSet<>(CodeGenerator.kinds())) {
            int accepted = 0;
            for (long seed = 0; seed < 60 && accepted < CASES; seed++) {
                RandomOps.OpCase c = RandomOps.of(kind, seed);
                try {
                    CodeGenerator.requireSupported(c.graph());
                } catch (UnsupportedOperatorException refused) {
                    continue;
                }
                accepted++;
                long s = seed;
                tests.add(DynamicTest.dynamicTest(kind + " seed " + seed, () -> {
                    Plan plan = tiled(c.graph(), new SplittableRandom(s));
                    GeneratedTiledPlansTest.check(plan, List.of(CBuild.Profile.SANITIZE), c.label());
                }));
            }
            assertThat(accepted).as("random %s models the C runtime accepts", kind).isPositive();
        }
        return tests.stream();
    }

    /** The single operator in random parts of its output, from and into tiles as described above. */
    static Plan tiled(Graph g, SplittableRandom r) {
        Op op = g.ops().get(0);
        Kernel k = KernelRegistry.forOp(g, 0);
        PlanBuilder b = new PlanBuilder(g, 16);
        Map<Integer, Integer> whole = new HashMap<>();
        for (int t : g.inputs()) if (!g.tensor(t).isConstant()) whole.put(t, b.tensor(t));
        List<Integer> outs = new ArrayList<>();
        for (int t : g.outputs()) outs.add(b.tensor(t));
        Region out = Region.whole(g.tensor(op.output(0)).shape());
        boolean[] splittable = k.splittableDims(g, op);
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < splittable.length; d++) if (splittable[d] && out.extent(d) > 1) dims.add(d);
        List<Region> parts = dims.isEmpty() || op.outputs().size() > 1 ? List.of(out) : cuts(out, dims.get(r.nextInt(dims.size())), r);
        boolean partialSums = k instanceof PartialSums ps && ps.accumulator(g, op).isPresent() && r.nextBoolean();
        for (Region part : parts) {
            List<Integer> tiles = new ArrayList<>();
            if (op.outputs().size() > 1) {
                for (int t : op.outputs()) tiles.add(b.region(t, Region.whole(g.tensor(t).shape())));
            } else {
                tiles.add(b.region(op.output(0), part));
            }
            if (partialSums) {
                PartialSums ps = (PartialSums) k;
                int acc = b.accumulator(0, part);
                Region channels = Region.of(new int[] {0}, new int[] {ps.inputChannels(g, op)});
                for (Region slice : cuts(channels, 0, r)) {
                    fetch(b, g, whole, ps.inputRegions(g, op, part, slice.lo(0), slice.hi(0)));
                    b.accumulate(0, part, slice.lo(0), slice.hi(0), acc);
                }
                b.finish(0, part, acc, tiles.get(0));
            } else {
                fetch(b, g, whole, k.inputRegions(g, op, part));
                b.compute(0, part, tiles.stream().mapToInt(Integer::intValue).toArray());
            }
            for (int i = 0; i < tiles.size(); i++) {
                b.copy(op.outputs().size() > 1 ? Region.whole(g.tensor(op.output(i)).shape()) : part, tiles.get(i), outs.get(g.outputs().indexOf(op.output(i))));
            }
        }
        return b.build("tiles");
    }

    /** Copies what a step reads of each graph input into a tile of its own (once per tensor). */
    private static void fetch(PlanBuilder b, Graph g, Map<Integer, Integer> whole, List<Region> need) {
        Op op = g.ops().get(0);
        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            int t = op.input(i);
            if (t < 0 || !whole.containsKey(t) || need.get(i) == null || need.get(i).isEmpty() || done.contains(t)) continue;
            done.add(t);
            Region r = need.get(i);
            for (int j = i + 1; j < op.inputs().size(); j++) if (op.input(j) == t && need.get(j) != null && !need.get(j).isEmpty()) r = r.union(need.get(j));
            int tile = b.region(t, r);
            b.copy(r, whole.get(t), tile);
        }
    }

    /** One to three random non-empty parts of dimension d. */
    private static List<Region> cuts(Region whole, int d, SplittableRandom r) { return TiledPlans.randomCuts(whole, d, 3, r); }
}
