package io.tinyfit.spill;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Deployability;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance test: a U-Net-like model ({@link UNet}) whose SRAM budget is met with {@code spill} and
 * not without it, its outputs and every intermediate bit-identical with the unoptimised run, dead SRAM bytes
 * poisoned after every step, so a spilled tensor read from SRAM would fail the run (planted below).
 *
 * <p>TFLM's head is 49152 B, at the level-1 concatenation (u1 16384 B + the skip e1 8192 B + c1 24576 B). No order,
 * placement or DMO overlap lowers it. Spilling e1 after the max-pool that last reads it in the encoder and
 * fetching it into the concatenation in 4 row bands (each band fetches its 8 rows, 2048 B) leaves 32768 B (-33.3 %;
 * TinySeg's anchor on its Tiny U-Net is -39.3 %), the last decoder conv's input and output (24576 + 8192 B). 50 % of
 * the head (24576 B) is out of spill's reach: that conv needs both tensors whole, which only tiling it can cut.
 */
class UNetSpillTest {
    static final long BUDGET = 40_000;

    @Test
    void theBudgetIsMetWithSpillAndNotWithoutIt() {
        Graph g = UNet.build();
        assertThat(TflmBaseline.plan(g).arenaBytes()).isEqualTo(49152);
        Optimizer.Result without = Optimizer.optimize(g, OptimizeOptions.of("reorder", "layout", "dmo"));
        assertThat(without.plan().arenaBytes()).isGreaterThan(BUDGET);

        Optimizer.Result r = Optimizer.optimize(g, OptimizeOptions.of("spill").withMemory(SpillOptions.defaults().withSramBudget(BUDGET)));
        Plan p = r.plan();
        assertThat(p.arenaBytes()).isLessThanOrEqualTo(BUDGET).isEqualTo(32768);
        assertThat(r.verified()).as(r.verification()).isTrue();
        assertThat(PlanVerifier.violations(p)).isEmpty();
        assertThat(Deployability.of(p, p.graph(), r.lint()).label()).isEqualTo("tinyfit-runtime");
        SpillSummary s = (SpillSummary) r.explanations().get(SpillPass.NAME);
        assertThat(s.spills()).hasSize(1);
        assertThat(s.spills().get(0).bytes()).isEqualTo(8192);
        // out once (8192 B) and back in 4 bands of 8 rows (2048 B each)
        assertThat(s.transferBytes()).isEqualTo(16384);
        assertThat(p.bank("psram").bytes()).isEqualTo(8192);
    }

    @Test
    void aSpilledTensorReadFromSramFailsTheRun() {
        Graph g = UNet.build();
        Plan p = Optimizer.plan(g, OptimizeOptions.of("spill")).plan();
        Buffer slow = p.buffers().stream().filter(b -> !b.bank().equals(Bank.SRAM)).findFirst().orElseThrow();
        Buffer inSram = p.buffers().stream().filter(b -> b.tensor() == slow.tensor() && b.bank().equals(Bank.SRAM) && b.region() == null).findFirst().orElseThrow();
        // plant the fault: the concatenation's bands read the skip from its SRAM buffer, dead since the spill
        List<Step> steps = new ArrayList<>();
        for (Step s : p.steps()) {
            if (s.kind() != StepKind.COMPUTE) {
                steps.add(s);
                continue;
            }
            List<Integer> in = new ArrayList<>(s.inputs());
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i) >= 0 && p.buffers().get(in.get(i)).tensor() == slow.tensor() && p.buffers().get(in.get(i)).region() != null) in.set(i, inSram.id());
            }
            steps.add(new Step(s.kind(), s.op(), s.region(), s.inChannels(), in, s.outputs(), s.accumulator(), s.from(), s.to()));
        }
        Plan bad = new Plan(p.graph(), steps, p.buffers(), p.banks(), p.alignment(), p.planner() + "+planted-fault", List.of(), p.keepInputs());
        assertThat(PlanVerifier.violations(bad)).as("the verifier sees the fault").isNotEmpty();
        assertThat(ExecutionCheck.run(bad).passed()).as("the poisoned SRAM reaches the run").isFalse();
    }
}
