package io.tinyfit.verify;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.PathSlices;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans over steps and regions built by hand on GraphBuilder models (issue 12): a conv → depthwise → conv chain in row
 * bands with recomputed halos, and an inverted-residual block in channel slices whose project conv accumulates
 * int32 partial sums. Each is verified, executed bit-exact (every region each step reads and writes against a
 * no-reuse run of the whole operators) in an arena of exactly its planned size, and smaller than TFLM's plan of the
 * same model.
 */
class HandBuiltPlansTest {

    /** 24×24×3 → conv 3×3 (16) → depthwise 3×3 → conv 3×3 (4), all SAME: the intermediates make the peak. */
    static Graph chain() {
        GraphBuilder b = new GraphBuilder("conv-dw-conv", 7);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 24, 24, 3);
        GraphBuilder.Ref t1 = b.conv2d(x, 16, 3, 1, Padding.SAME, Activation.RELU);
        GraphBuilder.Ref t2 = b.depthwiseConv2d(t1, 1, 3, 1, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(t2, 4, 3, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /** 12×12×8 → expand 1×1 (48) → depthwise 3×3 → project 1×1 (8): MobileNetV2's inverted residual without the add. */
    static Graph invertedResidual() {
        GraphBuilder b = new GraphBuilder("inverted-residual", 11);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 12, 12, 8);
        GraphBuilder.Ref e = b.conv2d(x, 48, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 1, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /** The chain in row bands of its output, each band recomputing the halo rows its windows need. */
    static Plan bands(Graph g, int bands) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int out = b.tensor(g.outputs().get(0));
        List<Integer> path = List.of(0, 1, 2);
        List<Region> rows = PathSlices.split(Region.whole(g.tensor(g.outputs().get(0)).shape()), 1, bands);
        PathSlices.addSteps(b, path, PathSlices.of(g, path, rows), out);
        return b.build("bands-" + bands);
    }

    /** The block in channel slices of the expanded tensor; the project conv adds each slice's int32 partial sums. */
    static Plan channelSlices(Graph g, int slices) {
        PlanBuilder b = new PlanBuilder(g, 16);
        b.tensor(g.inputs().get(0));
        int out = b.tensor(g.outputs().get(0));
        int acc = b.accumulator(2, null);
        Region expanded = Region.whole(g.tensor(g.ops().get(1).output(0)).shape());
        for (Region slice : PathSlices.split(expanded, 3, slices)) {
            b.compute(0, slice, b.region(g.ops().get(0).output(0), slice));
            b.compute(1, slice, b.region(g.ops().get(1).output(0), slice));
            b.accumulate(2, null, slice.lo(3), slice.hi(3), acc);
        }
        b.finish(2, null, acc, out);
        return b.build("channel-slices-" + slices);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void rowBandsWithRecomputedHalosRunBitExactAndBeatTheUntiledPlan(int n) {
        Graph g = chain();
        Plan tiled = bands(g, n);
        assertThat(PlanVerifier.violations(tiled)).isEmpty();
        assertThat(ExecutionCheck.run(tiled).describe()).startsWith("executed in an arena of exactly " + tiled.arenaBytes());
        assertThat(tiled.arenaBytes()).isLessThan(TflmBaseline.plan(g).arenaBytes());
        assertThat(tiled.stepCount()).isEqualTo(3 * n);
        // the halos are recomputed: neighbouring bands of the first intermediate overlap
        List<Region> first = tiled.buffers().stream().filter(x -> x.region() != null && x.tensor() == g.ops().get(0).output(0)).map(Buffer::region).toList();
        assertThat(first).hasSize(n);
        assertThat(first.get(0).intersect(first.get(1)).isEmpty()).isFalse();
    }

    @Test
    void channelSlicesWithInt32PartialSumsRunBitExactAndBeatTheUntiledPlan() {
        Graph g = invertedResidual();
        Plan sliced = channelSlices(g, 4);
        assertThat(PlanVerifier.violations(sliced)).isEmpty();
        assertThat(ExecutionCheck.run(sliced).describe()).startsWith("executed in an arena of exactly " + sliced.arenaBytes());
        assertThat(sliced.arenaBytes()).isLessThan(TflmBaseline.plan(g).arenaBytes());
        assertThat(sliced.steps()).filteredOn(s -> s.kind() == StepKind.ACCUMULATE).hasSize(4);
        Buffer acc = sliced.buffers().stream().filter(x -> x.kind() == Buffer.Kind.ACCUMULATOR).findFirst().orElseThrow();
        assertThat(acc.rawBytes()).as("int32 per output element").isEqualTo(4L * g.tensor(g.outputs().get(0)).shape().numElements());
    }

    @Test
    void figures() {
        Graph g = chain();
        Graph r = invertedResidual();
        Map<String, Long> f = new java.util.LinkedHashMap<>();
        f.put("chain untiled (TFLM plan)", TflmBaseline.plan(g).arenaBytes());
        f.put("chain 2 bands", bands(g, 2).arenaBytes());
        f.put("chain 3 bands", bands(g, 3).arenaBytes());
        f.put("inverted residual untiled (TFLM plan)", TflmBaseline.plan(r).arenaBytes());
        f.put("inverted residual 4 channel slices", channelSlices(r, 4).arenaBytes());
        f.forEach((k, v) -> System.out.printf("hand-built plan: %-40s %,8d B%n", k, v));
    }
}
