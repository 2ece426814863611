package io.tinyfit.spill;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SplitPassTest {
    /**
     * The inverted residual (x 12×12×8 = 1152 B, expanded e and depthwise d 12×12×48 = 6912 B, out 1152 B): TFLM's peak is
     * e + d = 13824 B. Split in 32 groups of at most 2 channels with the project conv's partial sums, a group needs
     * x + e_g + d_g + the int32 accumulator (12×12×8×4 = 4608 B) = 1152 + 288 + 288 + 4608 = 6336 B, the finish 4608 +
     * 1152: 6336 B, below the in-place form's x + e_g + d = 8352 B.
     */
    @Test
    void theInvertedResidualSplitsIntoChannelGroupsBitExact() {
        Graph g = TiledPlans.invertedResidual();
        Plan tflm = TflmBaseline.plan(g);
        assertThat(tflm.arenaBytes()).isEqualTo(13824);
        SplitPass pass = new SplitPass();
        Plan p = PlanVerifier.check(pass.apply(tflm, new PassContext(g, SpillPassTest.LAYOUT)).plan());
        assertThat(p.arenaBytes()).isEqualTo(6336);
        assertThat(pass.explain(p, null).splits()).containsExactly(SplitPass.describe(tflm, new Split(0, true, 32)));
        assertThat(p.buffers()).filteredOn(b -> b.kind() == Buffer.Kind.ACCUMULATOR).extracting(Buffer::rawBytes).containsExactly(4608L);
        assertThat(p.steps()).filteredOn(s -> s.kind() == StepKind.ACCUMULATE).hasSize(32);
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }

    /** Without a project conv after it (the in-place form), and on float: e in groups, d written whole. */
    @Test
    void theInPlaceFormWritesTheDepthwiseOutputWhole() {
        Graph g = TiledPlans.invertedResidual();
        Plan tflm = TflmBaseline.plan(g);
        SpillPlans.Built b = SpillPlans.build(tflm, List.of(), List.of(new Split(0, false, 4)), List.of(), SpillPlans.Effort.FULL,
                SpillPassTest.LAYOUT, "split");
        Plan p = PlanVerifier.check(b.plan());
        // x + e/4 + d = 1152 + 1728 + 6912
        assertThat(p.arenaBytes()).isEqualTo(9792);
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }

    /**
     * MobileNetV2 as converted from PyTorch: expand → PAD (height and width) → depthwise (VALID) → project. x 12×12×8
     * (1152 B), e 12×12×48 (6912 B), the padded p 14×14×48 (9408 B), d 6912 B: TFLM's peak is e + p = 16320 B. Split, each
     * group pads alone; bit-exact.
     */
    @Test
    void aPadBetweenExpandAndDepthwiseIsSplitToo() {
        io.tinyfit.model.GraphBuilder b = new io.tinyfit.model.GraphBuilder("expand-pad-dw", 21);
        var x = b.input("x", io.tinyfit.model.DType.INT8, 1, 12, 12, 8);
        var e = b.conv2d(x, 48, 1, 1, io.tinyfit.model.GraphBuilder.Padding.SAME, io.tinyfit.model.GraphBuilder.Activation.RELU6);
        var p = b.pad(e, new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}});
        var d = b.depthwiseConv2d(p, 1, 3, 1, io.tinyfit.model.GraphBuilder.Padding.VALID, io.tinyfit.model.GraphBuilder.Activation.RELU6);
        b.output(b.conv2d(d, 8, 1, 1, io.tinyfit.model.GraphBuilder.Padding.SAME, io.tinyfit.model.GraphBuilder.Activation.NONE));
        Graph g = b.build();
        Plan tflm = TflmBaseline.plan(g);
        assertThat(tflm.arenaBytes()).isEqualTo(16320);
        SplitPass pass = new SplitPass();
        Plan plan = PlanVerifier.check(pass.apply(tflm, new PassContext(g, SpillPassTest.LAYOUT)).plan());
        assertThat(plan.arenaBytes()).isLessThan(tflm.arenaBytes() / 2);
        assertThat(pass.explain(plan, null).splits()).hasSize(1);
        assertThat(plan.steps()).anyMatch(s -> s.op() == 1 && s.region() != null);
        assertThat(ExecutionCheck.run(plan).passed()).isTrue();
        for (boolean project : new boolean[] {false, true}) {
            Plan q = PlanVerifier.check(SpillPlans.build(tflm, List.of(), List.of(new Split(0, project, 5, true)), List.of(), SpillPlans.Effort.QUICK,
                    SpillPassTest.LAYOUT, "pad-split").plan());
            assertThat(ExecutionCheck.run(q).passed()).as("project %s", project).isTrue();
        }
    }

    /** The chain conv → depthwise: e in groups, the depthwise conv's groups land in place in d. */
    @Test
    void theChainSplitsWhereItsPeakIs() {
        Graph g = TiledPlans.chain();
        Plan tflm = TflmBaseline.plan(g);
        SplitPass pass = new SplitPass();
        Plan p = PlanVerifier.check(pass.apply(tflm, new PassContext(g, SpillPassTest.LAYOUT)).plan());
        assertThat(p.arenaBytes()).isLessThan(tflm.arenaBytes());
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }
}
