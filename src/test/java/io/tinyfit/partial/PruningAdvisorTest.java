package io.tinyfit.partial;

import io.tinyfit.model.ChannelPruning;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PruningAdvisorTest {
    /** 16×16×4 → conv 3×3 (24) → depthwise → conv 1×1 (32) → depthwise s2 → conv 1×1 (8). */
    static Graph model() {
        GraphBuilder b = new GraphBuilder("prunable", 21);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 16, 16, 4);
        GraphBuilder.Ref c1 = b.conv2d(x, 24, 3, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d1 = b.depthwiseConv2d(c1, 1, 3, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref c2 = b.conv2d(d1, 32, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d2 = b.depthwiseConv2d(c2, 1, 3, 2, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(d2, 8, 1, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    @Test void pruningKeepsTheGraphConsistentAndExecutable() {
        Graph g = model();
        Graph pruned = ChannelPruning.prune(g, 0, 10);
        assertThat(pruned.tensor(pruned.ops().get(1).output(0)).shape().toArray()).containsExactly(1, 16, 16, 10);
        assertThat(pruned.tensor(pruned.ops().get(2).input(1)).shape().toArray()[3]).isEqualTo(10);
        Plan p = Plans.noReuse(pruned);
        assertThat(ExecutionCheck.run(PlanVerifier.check(PruningAdvisor.plan(pruned))).passed()).isTrue();
        assertThat(p.arenaBytes()).isLessThan(Plans.noReuse(g).arenaBytes());
    }

    /** The advice, applied to a copy of the model, lets the partial-execution plan meet 0.8× the unpruned arena. */
    @Test void followingTheAdviceMeetsTheBudget() {
        Graph g = model();
        long arena = PruningAdvisor.plan(g).arenaBytes();
        long budget = arena * 8 / 10;
        PruningAdvice a = PruningAdvisor.advise(g, budget);
        assertThat(a.layers()).isNotEmpty();
        assertThat(a.met()).as(a.text()).isTrue();
        Graph pruned = g;
        for (PruningAdvice.Layer l : a.layers()) pruned = ChannelPruning.prune(pruned, l.op(), l.advisedChannels());
        Plan p = PlanVerifier.check(PruningAdvisor.plan(pruned));
        assertThat(p.arenaBytes()).isLessThanOrEqualTo(budget);
        assertThat(ExecutionCheck.run(p).describe()).startsWith("executed in an arena of exactly " + p.arenaBytes());
    }
}
