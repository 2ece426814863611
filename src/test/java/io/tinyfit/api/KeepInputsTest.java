package io.tinyfit.api;

import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.TestModels;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.CountedBudgets;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graph inputs under the two lifetimes a plan can assume: by default, as in TFLM, an input's bytes are free after
 * its last reader, so DMO may overlap it with that reader's output; with keep-inputs it holds the caller's data
 * until the inference ends, so nothing overlaps or reuses it. The model's peak is the step that reads the input
 * ({@link TestModels#peakReadsTheInput}).
 */
class KeepInputsTest {
    static final long INPUT_BYTES = 16 * 16 * 8;

    static Optimizer.Result optimize(Graph g, boolean keepInputs) {
        return Optimizer.optimize(g, CountedBudgets.options(Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO)).withKeepInputs(keepInputs));
    }

    @Test
    void byDefaultTheInputsLastReaderOverlapsIt() {
        Graph g = TestModels.peakReadsTheInput();
        int x = g.inputs().get(0);
        Optimizer.Result r = optimize(g, false);
        assertThat(r.verified()).as(r.check().describe()).isTrue();
        assertThat(r.plan().keepInputs()).isFalse();
        assertThat(r.plan().overlaps()).anyMatch(o -> o.inputTensor() == x && o.step() == 0);
        // the conv's output starts 16 bytes below the input; the pool's output fits inside the conv's
        assertThat(r.plan().arenaBytes()).isEqualTo(INPUT_BYTES + 16);
    }

    @Test
    void keepInputsKeepsTheInputWholeToTheEnd() {
        Graph g = TestModels.peakReadsTheInput();
        int x = g.inputs().get(0);
        Optimizer.Result r = optimize(g, true);
        assertThat(r.verified()).as(r.check().describe()).isTrue();
        Plan p = r.plan();
        assertThat(p.keepInputs()).isTrue();
        assertThat(p.overlaps()).noneMatch(o -> o.inputTensor() == x);
        Buffer in = p.tensorBuffers().get(x);
        assertThat(in.lastStep()).isEqualTo(p.stepCount() - 1);
        assertThat(p.buffers()).filteredOn(b -> b != in).noneMatch(b -> b.sharesBytesWith(in));
        // input and conv output side by side; the pool's output still fits inside the conv's
        assertThat(p.arenaBytes()).isEqualTo(2 * INPUT_BYTES).isGreaterThan(optimize(g, false).plan().arenaBytes());
        DmoSummary.PairRow pair = r.dmo().steps().get(0).pairs().get(0);
        assertThat(pair.inputTensor()).isEqualTo(x);
        assertThat(pair.reason()).contains("graph input").contains("keep-inputs");
    }

    @Test
    void theWrittenOfflinePlanPlacesNothingOverAKeptInput() {
        Graph g = TestModels.peakReadsTheInput();
        int x = g.inputs().get(0);
        Graph back = ModelReader.read(optimize(g, true).modelBytes(), "written");
        // stock TFLM ends the input's lifetime at its last reader, but the offline offsets leave its bytes alone
        Plan deployed = TflmBaseline.plan(back);
        Buffer in = deployed.tensorBuffers().get(x);
        assertThat(deployed.buffers()).filteredOn(b -> b != in).noneMatch(b -> b.sharesBytesWith(in));
        assertThat(deployed.arenaBytes()).isEqualTo(2 * INPUT_BYTES);
    }

    @Test
    void aPlanThatOverwritesAKeptInputFailsBothChecks() {
        Plan overlapped = optimize(TestModels.peakReadsTheInput(), false).plan();
        Plan claimed = new Plan(overlapped.graph(), overlapped.steps(), overlapped.buffers(), overlapped.banks(),
                overlapped.alignment(), overlapped.planner(), overlapped.overlaps(), true);
        assertThat(PlanVerifier.violations(claimed)).isNotEmpty();
        ExecutionCheck.Result run = ExecutionCheck.run(claimed);
        assertThat(run.passed()).isFalse();
        assertThat(run.firstMismatch()).contains("graph input 0").contains("no longer holds the caller's data");
    }

    /**
     * A graph input is compared when a step reads it, before the step runs: a plan that lets the first step's
     * output destroy the input the second step still reads is caught at that input, not only downstream.
     */
    @Test
    void theExecutionCheckComparesAGraphInputBeforeEachReader() {
        GraphBuilder b = new GraphBuilder("test:input-read-twice", 12);
        Ref x = b.input("x", DType.INT8, 1, 8, 8, 8);
        Ref y = b.conv2d(x, 8, 1, 1, Padding.SAME, Activation.NONE);
        Graph g = b.output(b.add(y, x, Activation.NONE)).build();
        Plan base = Plans.noReuse(g);
        long top = base.arenaBytes();
        List<Buffer> buffers = new ArrayList<>();
        // the conv's output 16 bytes below its input, both moved to fresh bytes at the top: safe for the conv
        // itself (traced delta 7), fatal for the ADD, which reads the input again
        for (Buffer c : base.buffers()) {
            if (c.tensor() == x.id()) buffers.add(c.withOffset(top + 16));
            else if (c.tensor() == y.id()) buffers.add(c.withOffset(top));
            else buffers.add(c);
        }
        Plan faulty = base.withBuffers(buffers, top + 16 + base.bufferOfTensor(x.id()).orElseThrow().bytes(), "fault-injection");
        ExecutionCheck.Result run = ExecutionCheck.run(faulty);
        assertThat(run.passed()).isFalse();
        assertThat(run.firstMismatch()).startsWith("tensor " + x.id() + " (").contains("read by step 1");
    }
}
