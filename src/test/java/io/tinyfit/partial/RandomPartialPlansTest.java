package io.tinyfit.partial;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Random models in random partial-execution plans execute bit-exact in an arena of exactly the planned size. */
class RandomPartialPlansTest {
    @Property(tries = 40)
    void randomPartialPlansExecuteBitExact(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph g = randomModel(r, seed);
        List<Integer> order = Plans.fileOrder(g);
        List<PexRegion> regions = RegionFinder.find(g, order);
        int[] slices = new int[regions.size()];
        boolean[] inPlace = new boolean[regions.size()];
        for (int i = 0; i < regions.size(); i++) {
            slices[i] = 1 + r.nextInt(regions.get(i).channels());
            inPlace[i] = r.nextBoolean();
        }
        Plan p = SlicedPlan.build(g, order, regions, slices, inPlace, r.nextInt(4) == 0, 16, r.nextBoolean(), "random-partial").plan();
        String what = "seed " + seed + " regions " + regions + " slices " + java.util.Arrays.toString(slices);
        assertThat(PlanVerifier.violations(p)).as(what).isEmpty();
        assertThat(ExecutionCheck.run(p).describe()).as(what).startsWith("executed in an arena of exactly " + p.arenaBytes() + " bytes");
    }

    /** Conv / depthwise / pool / activation blocks with random sizes, sometimes an ADD back to a block's input. */
    static Graph randomModel(SplittableRandom r, long seed) {
        GraphBuilder b = new GraphBuilder("random-partial-" + seed, seed);
        StringBuilder d = new StringBuilder();
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 3 + r.nextInt(8), 3 + r.nextInt(8), 1 + r.nextInt(6));
        int blocks = 1 + r.nextInt(3);
        for (int k = 0; k < blocks; k++) {
            GraphBuilder.Ref in = x;
            int kernel = r.nextBoolean() ? 1 : 3;
            x = b.conv2d(x, 2 + r.nextInt(20), kernel, 1, Padding.SAME, act(r));
            d.append(" conv").append(kernel);
            int local = r.nextInt(3);
            for (int j = 0; j < local; j++) {
                switch (r.nextInt(3)) {
                    case 0 -> { x = b.depthwiseConv2d(x, 1, 3, 1 + r.nextInt(2), Padding.SAME, act(r)); d.append(" dw"); }
                    case 1 -> { x = b.averagePool(x, 2, 1, Padding.SAME); d.append(" avg"); }
                    default -> { x = b.maxPool(x, 3, 1, Padding.SAME); d.append(" max"); }
                }
            }
            if (r.nextBoolean()) {
                x = b.conv2d(x, b.shape(in).toArray()[3], 1, 1, Padding.SAME, Activation.NONE);
                d.append(" project");
                if (java.util.Arrays.equals(b.shape(x).toArray(), b.shape(in).toArray()) && r.nextBoolean()) {
                    x = b.add(in, x, Activation.NONE);
                    d.append(" add");
                }
            }
        }
        b.output(x);
        return b.build();
    }

    private static Activation act(SplittableRandom r) {
        return r.nextBoolean() ? Activation.RELU6 : Activation.NONE;
    }
}
