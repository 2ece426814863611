package io.tinyfit.verify;

import io.tinyfit.exec.ExecutionException;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults planted in the hand-built plans of {@link HandBuiltPlansTest} ({@link TiledPlans}): each is rejected by the verifier, and
 * executing the plan with the verifier bypassed ({@link ExecutionCheck} runs any plan it is given) gives values that
 * differ from the unoptimised run, so neither check is only the other's echo.
 */
class RegionFaultInjectionTest {
    private final Graph chain = TiledPlans.chain();
    private final Plan bands = TiledPlans.bands(chain, 2);
    private final Graph block = TiledPlans.invertedResidual();
    private final Plan slices = TiledPlans.channelSlices(block, 4);

    @Test
    void theUnmodifiedPlansPass() {
        assertThat(PlanVerifier.violations(bands)).isEmpty();
        assertThat(ExecutionCheck.run(bands).passed()).isTrue();
        assertThat(PlanVerifier.violations(slices)).isEmpty();
        assertThat(ExecutionCheck.run(slices).passed()).isTrue();
    }

    @Test
    void aMissingTile() {
        List<Step> steps = new ArrayList<>(bands.steps());
        steps.remove(steps.size() - 1); // the last conv's second band
        Plan bad = withSteps(bands, steps);
        assertThat(messages(bad)).anyMatch(m -> m.contains("no step computes element") && m.contains("a tile is missing"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }

    @Test
    void aTileComputedTwice() {
        List<Step> steps = new ArrayList<>(bands.steps());
        steps.add(bands.step(2)); // the last conv's first band again, after its input tile died
        Plan bad = withSteps(bands, steps);
        assertThat(messages(bad)).anyMatch(m -> m.contains("of its output twice into buffer"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }

    @Test
    void aChannelSliceAccumulatedTwice() {
        List<Step> steps = new ArrayList<>(slices.steps());
        int firstAccumulate = indexOf(slices, StepKind.ACCUMULATE);
        steps.add(firstAccumulate + 1, slices.step(firstAccumulate));
        Plan bad = withSteps(slices, steps);
        assertThat(messages(bad)).anyMatch(m -> m.contains("both add input channels 0..12"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }

    @Test
    void aFinishBeforeTheLastAccumulate() {
        List<Step> steps = new ArrayList<>(slices.steps());
        Step finish = steps.remove(steps.size() - 1);
        steps.add(steps.size() - 1, finish);
        Plan bad = withSteps(slices, steps);
        assertThat(messages(bad)).anyMatch(m -> m.contains("after its finish"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }

    @Test
    void aTileReadAfterItsBufferDied() {
        // the second band's first tile takes the bytes of the first band's, which are free once the depthwise read them
        Buffer t1b1 = tile(bands, 0, 0), t1b2 = tile(bands, 0, 1);
        assertThat(t1b2.sharesBytesWith(t1b1)).as("first fit reuses the dead tile's bytes").isTrue();
        List<Step> steps = new ArrayList<>(bands.steps());
        steps.add(1, steps.remove(3)); // the second band's first conv now runs before the first band's depthwise reads its tile
        Plan bad = withSteps(bands, steps);
        assertThat(messages(bad)).anyMatch(m -> m.contains("share bytes") && m.contains("while both are live"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }

    @Test
    void aBufferOutsideItsBank() {
        Buffer t2 = tile(bands, 1, 0);
        List<Buffer> buffers = new ArrayList<>(bands.buffers());
        buffers.set(t2.id(), t2.withOffset(bands.arenaBytes() - 16));
        Plan bad = new Plan(chain, bands.steps(), buffers, bands.banks(), bands.alignment(), "fault", List.of(), false);
        assertThat(messages(bad)).anyMatch(m -> m.contains("lies outside the " + bands.arenaBytes() + "-byte arena"));
        // the interpreter has no bytes beyond the bank to write into: it refuses the plan instead of running it
        assertThatThrownBy(() -> ExecutionCheck.run(bad)).isInstanceOf(ExecutionException.class).hasMessageContaining("lies outside");
        assertThatThrownBy(() -> new Interpreter(bad)).hasMessageContaining("buffer " + t2.id());
    }

    /** The tile of op's output for band k (buffers holding a region, in creation order). */
    static Buffer tile(Plan p, int op, int k) {
        int t = p.graph().ops().get(op).output(0);
        return p.buffers().stream().filter(b -> b.tensor() == t && b.region() != null).toList().get(k);
    }

    static Plan withSteps(Plan p, List<Step> steps) {
        return new Plan(p.graph(), steps, p.buffers(), p.banks(), p.alignment(), p.planner() + "+fault", p.overlaps(), p.keepInputs());
    }

    private static List<String> messages(Plan p) { return PlanVerifier.violations(p).stream().map(PlanVerifier.Violation::message).toList(); }

    private static int indexOf(Plan p, StepKind kind) {
        for (int s = 0; s < p.stepCount(); s++) if (p.step(s).kind() == kind) return s;
        throw new AssertionError("no " + kind + " step");
    }
}
