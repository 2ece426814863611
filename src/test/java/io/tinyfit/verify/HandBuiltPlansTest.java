package io.tinyfit.verify;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.tinyfit.testing.TiledPlans.bands;
import static io.tinyfit.testing.TiledPlans.chain;
import static io.tinyfit.testing.TiledPlans.channelSlices;
import static io.tinyfit.testing.TiledPlans.invertedResidual;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans over steps and regions built by hand on GraphBuilder models (issue 12): a conv → depthwise → conv chain in row
 * bands with recomputed halos, and an inverted-residual block in channel slices whose project conv accumulates
 * int32 partial sums. Each is verified, executed bit-exact (every region each step reads and writes against a
 * no-reuse run of the whole operators) in an arena of exactly its planned size, and smaller than TFLM's plan of the
 * same model. The models and plans are {@link io.tinyfit.testing.TiledPlans}'s (the generated C runs them too).
 */
class HandBuiltPlansTest {

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
