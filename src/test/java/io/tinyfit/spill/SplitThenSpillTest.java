package io.tinyfit.spill;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import static io.tinyfit.model.GraphBuilder.Activation.NONE;
import static io.tinyfit.model.GraphBuilder.Activation.RELU;
import static io.tinyfit.model.GraphBuilder.Activation.RELU6;
import static io.tinyfit.model.GraphBuilder.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;

/** Both passes together: split runs first, spill builds on its chains and spills a tensor idle across them. */
class SplitThenSpillTest {
    /** x 16×16×4 → a conv (16) → b conv (8) → expand 1×1 (48) → depthwise → project 1×1 (16) → ADD(a, ·). */
    static Graph model() {
        GraphBuilder b = new GraphBuilder("split-then-spill", 31);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 16, 16, 4);
        GraphBuilder.Ref a = b.conv2d(x, 16, 3, 1, SAME, RELU);
        GraphBuilder.Ref c = b.conv2d(a, 8, 3, 1, SAME, RELU);
        GraphBuilder.Ref e = b.conv2d(c, 48, 1, 1, SAME, RELU6);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 1, SAME, RELU6);
        GraphBuilder.Ref p = b.conv2d(d, 16, 1, 1, SAME, NONE);
        b.output(b.add(a, p, NONE));
        return b.build();
    }

    @Test
    void spillBuildsOnTheSplitChains() {
        Graph g = model();
        long tflm = TflmBaseline.plan(g).arenaBytes();
        Optimizer.Result split = Optimizer.optimize(g, OptimizeOptions.of("split"));
        Optimizer.Result both = Optimizer.optimize(g, OptimizeOptions.of("split", "spill"));
        assertThat(split.plan().arenaBytes()).isLessThan(tflm);
        assertThat(both.plan().arenaBytes()).isLessThan(split.plan().arenaBytes());
        assertThat(both.verified()).as(both.verification()).isTrue();
        Plan p = PlanVerifier.check(both.plan());
        assertThat(p.banks()).hasSize(2);
        assertThat(p.steps()).anyMatch(s -> s.kind() == io.tinyfit.plan.StepKind.ACCUMULATE || s.region() != null);
        SpillSummary s = (SpillSummary) both.explanations().get(SpillPass.NAME);
        assertThat(s.spills()).extracting(SpillSummary.Moved::bytes).contains(4096L);
    }
}
