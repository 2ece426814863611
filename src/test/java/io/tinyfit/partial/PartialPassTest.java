package io.tinyfit.partial;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartialPassTest {
    /** 12×12×8 → expand 1×1 (48) → depthwise 3×3 → project 1×1 (8) → ADD with the block input: MobileNetV2's block. */
    static Graph residualBlock() {
        GraphBuilder b = new GraphBuilder("inverted-residual-add", 11);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 12, 12, 8);
        GraphBuilder.Ref e = b.conv2d(x, 48, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref p = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        b.output(b.add(x, p, Activation.NONE));
        return b.build();
    }

    @Test void findsTheInvertedResidualAsOneAccumulatingRegion() {
        Graph g = residualBlock();
        List<PexRegion> regions = RegionFinder.find(g, Plans.fileOrder(g));
        assertThat(regions).containsExactly(new PexRegion(List.of(0, 1), 2, 48));
        assertThat(regions.get(0).inPlace()).contains(new PexRegion(List.of(0, 1), -1, 48));
    }

    /**
     * By hand: x 12·12·8 = 1,152 B, expanded and depthwise tensors 12·12·48 = 6,912 B each, the project's output
     * 1,152 B and its int32 accumulator 4,608 B. TFLM holds x (kept for the ADD), the expanded and the depthwise
     * tensors at once: 1,152 + 6,912 + 6,912 = 14,976 B. In 12 slices of 4 channels (576 B each) the peak is x + the
     * accumulator + one slice of each: 1,152 + 4,608 + 576 + 576 = 6,912 B, and the expanded tensor never exists whole.
     */
    @Test void theExpandedTensorNeverExistsWhole() {
        Graph g = residualBlock();
        Plan tflm = TflmBaseline.plan(g);
        assertThat(tflm.arenaBytes()).isEqualTo(14_976);
        PartialPass pass = new PartialPass();
        Plan p = pass.apply(tflm, new PassContext(g, PlannerSuite.Options.defaults())).plan();
        PlanVerifier.check(p);
        assertThat(ExecutionCheck.run(p).describe()).startsWith("executed in an arena of exactly " + p.arenaBytes() + " bytes");
        int expanded = g.ops().get(0).output(0);
        List<Buffer> ofExpanded = p.buffers().stream().filter(b -> b.tensor() == expanded && b.kind() == Buffer.Kind.TENSOR).toList();
        assertThat(ofExpanded).hasSize(12).allMatch(b -> b.region() != null && b.rawBytes() == 576);
        assertThat(p.steps()).filteredOn(s -> s.kind() == StepKind.ACCUMULATE).hasSize(12);
        assertThat(p.steps()).filteredOn(s -> s.kind() == StepKind.FINISH).hasSize(1);
        assertThat(p.arenaBytes()).isEqualTo(6_912);
        PartialSummary summary = pass.explain(p, null);
        assertThat(summary.regions()).singleElement().satisfies(e -> {
            assertThat(e.slices()).isEqualTo(12);
            assertThat(e.ending()).isEqualTo("accumulate");
        });
    }

    /** Without the ADD the block input dies at the expand: TiledPlans' block, also sliced. */
    @Test void blockWithoutSkip() {
        Graph g = TiledPlans.invertedResidual();
        Plan tflm = TflmBaseline.plan(g);
        Plan p = new PartialPass().apply(tflm, new PassContext(g, PlannerSuite.Options.defaults())).plan();
        PlanVerifier.check(p);
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
        assertThat(p.arenaBytes()).isLessThan(tflm.arenaBytes());
    }

    /** A skip connection leaving the chain: the depthwise output is read twice, so the region ends there in place. */
    @Test void skipConnectionEndsTheRegionInPlace() {
        GraphBuilder b = new GraphBuilder("skip", 3);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 10, 10, 4);
        GraphBuilder.Ref e = b.conv2d(x, 32, 1, 1, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 2, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref p = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        GraphBuilder.Ref q = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        b.output(b.add(p, q, Activation.NONE));
        Graph g = b.build();
        assertThat(RegionFinder.find(g, Plans.fileOrder(g))).first().isEqualTo(new PexRegion(List.of(0, 1), -1, 32));
        Plan tflm = TflmBaseline.plan(g);
        Plan plan = new PartialPass().apply(tflm, new PassContext(g, PlannerSuite.Options.defaults())).plan();
        PlanVerifier.check(plan);
        assertThat(ExecutionCheck.run(plan).passed()).isTrue();
        assertThat(plan.arenaBytes()).isLessThan(tflm.arenaBytes());
    }

    /** Float models: no accumulation (it would reorder float additions); the chain may still end in place. */
    @Test void floatModelsNeverAccumulate() {
        GraphBuilder b = new GraphBuilder("float", 5);
        GraphBuilder.Ref x = b.input("x", DType.FLOAT32, 1, 8, 8, 4);
        GraphBuilder.Ref e = b.conv2d(x, 16, 1, 1, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 2, Padding.SAME, Activation.RELU);
        b.output(b.conv2d(d, 4, 1, 1, Padding.SAME, Activation.NONE));
        Graph g = b.build();
        assertThat(RegionFinder.find(g, Plans.fileOrder(g))).allMatch(r -> !r.accumulates());
    }
}
