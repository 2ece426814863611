package io.tinyfit.verify;

import io.tinyfit.dmo.DmoAnalysis;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace bound is tight, not just conservative: on a convolution step, placing the output one alignment step
 * (16 bytes) closer to its input than the traced safe delta allows is rejected by the verifier and, executed with
 * the verifier bypassed, gives wrong outputs; at the traced delta rounded up to the alignment both accept.
 * Only the pair under test shares bytes: every other buffer keeps its own disjoint offset.
 */
class DmoFaultInjectionTest {

    @Test
    void defaultModelConvStep() {
        checkConvSteps(DefaultModels.mobileNetV2Style(), 3);
    }

    @Test
    void resnet8ConvSteps() {
        Shared.assume();
        checkConvSteps(ModelReader.read(Shared.models().resolve("mlperf_ic_resnet8_int8.tflite")), 3);
    }

    private static void checkConvSteps(Graph g, int atMost) {
        List<Integer> order = Plans.fileOrder(g);
        int checked = 0;
        for (DmoAnalysis.Candidate c : new DmoAnalysis().candidates(g, order)) {
            if (!c.legal() || !c.kind().equals("CONV_2D") || c.trace() < 2 * 16 || checked == atMost) continue;
            long safe = align(c.trace());
            Plan ok = isolated(g, order, c, safe);
            assertThat(PlanVerifier.violations(ok)).as("step %d at the traced delta %d", c.step(), safe).isEmpty();
            assertThat(ExecutionCheck.run(ok).passed()).as("step %d executes correctly at the traced delta", c.step()).isTrue();

            Plan tooClose = isolated(g, order, c, safe - 16);
            List<PlanVerifier.Violation> v = PlanVerifier.violations(tooClose);
            assertThat(v).as("step %d, 16 bytes beyond the traced delta", c.step()).hasSize(1);
            assertThat(v.get(0).message()).contains("traced safe delta of step " + c.step()).contains("is " + c.trace());
            ExecutionCheck.Result run = ExecutionCheck.run(tooClose);
            assertThat(run.passed()).as("step %d executed 16 bytes beyond the traced delta must go wrong", c.step()).isFalse();
            assertThat(run.firstMismatch()).contains("tensor " + c.outputTensor());
            checked++;
        }
        assertThat(checked).as("convolution steps with a legal overlap").isPositive();
    }

    /**
     * The no-reuse plan with input I and output O of the candidate moved to a fresh region at the top of the arena,
     * O placed {@code delta} bytes below I, and the overlap declared (with the plan's own, possibly wrong, delta).
     */
    private static Plan isolated(Graph g, List<Integer> order, DmoAnalysis.Candidate c, long delta) {
        Plan base = Plans.noReuse(g, order, 16);
        Buffer in = base.bufferOfTensor(c.inputTensor()).orElseThrow();
        Buffer out = base.bufferOfTensor(c.outputTensor()).orElseThrow();
        long inAt = base.arenaBytes() + out.bytes();
        List<Buffer> buffers = new ArrayList<>();
        for (Buffer b : base.buffers()) {
            if (b == in) buffers.add(b.withOffset(inAt));
            else if (b == out) buffers.add(b.withOffset(inAt - delta));
            else buffers.add(b);
        }
        long arena = inAt + Math.max(in.bytes(), out.bytes());
        return base.withBuffers(buffers, arena, "fault-injection")
                .withOverlaps(List.of(new Overlap(c.step(), c.inputTensor(), c.outputTensor(), delta, Overlap.TRACE)));
    }

    private static long align(long v) { return (v + 15) / 16 * 16; }

    @Test
    void traceOfAConvIsNotTrivial() {
        // guards the test above against a degenerate model: the traced delta is strictly inside the output
        Graph g = DefaultModels.mobileNetV2Style();
        long found = new DmoAnalysis().candidates(g, Plans.fileOrder(g)).stream()
                .filter(c -> c.kind().equals("CONV_2D") && c.legal())
                .filter(c -> TraceMethod.minDelta(g, c.opIndex(), c.inputIndex(), c.outputIndex()) > 0
                        && c.trace() < c.outputBytes()).count();
        assertThat(found).isPositive();
    }
}
