package io.tinyfit.verify;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.kernels.View;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic half of plan checking (DESIGN.md, "Checking"): executes a plan inside an arena of exactly its
 * size and a reference plan with no buffer reuse on the same inputs — the golden-style input and two seeded
 * inputs, state reset between them — and compares every tensor both runs produce, at the step that produces
 * it, plus the outputs. Both arenas start as random bytes and dead buffers are poisoned, so a wrong offset or
 * lifetime shows up as a difference.
 */
public final class ExecutionCheck {
    /** Seeds of the inputs: the golden generator's, then two more. */
    public static final int[] SEEDS = {InputGenerator.GOLDEN_SEED, 0x0BADC0DE, 0x5EED1234};

    private ExecutionCheck() {}

    /** What was run and compared; {@code passed} only when every compared tensor matched bit for bit. */
    public record Result(boolean passed, long arenaBytes, int inputs, int tensorsCompared, String firstMismatch) {
        public String describe() {
            return passed
                    ? "executed in an arena of exactly " + arenaBytes + " bytes on " + inputs + " inputs (golden-style xorshift seed 0x12345678 and two seeded), state reset between them, dead buffers poisoned; "
                      + tensorsCompared + " tensor values matched a no-reuse reference run bit for bit"
                    : "mismatch: " + firstMismatch;
        }
    }

    public static Result run(Plan plan) {
        Graph g = plan.graph();
        Plan reference = Plans.noReuse(g, plan.order(), plan.alignment());
        Interpreter a = new Interpreter(plan, 0xA11CE);
        Interpreter b = new Interpreter(reference, 0xB0B);
        int compared = 0;
        for (int seed : SEEDS) {
            List<byte[]> in = InputGenerator.generate(g, seed);
            a.resetState();
            b.resetState();
            Map<Integer, byte[]> got = new HashMap<>();
            // insertion (step) order, so the first mismatch reported is the earliest tensor that went wrong
            Map<Integer, byte[]> want = new java.util.LinkedHashMap<>();
            List<byte[]> outA = a.run(in, (s, op, o, views) -> record(o.outputs(), views, got));
            List<byte[]> outB = b.run(in, (s, op, o, views) -> record(o.outputs(), views, want));
            for (var e : want.entrySet()) {
                byte[] x = got.get(e.getKey());
                if (x == null) continue;
                compared++;
                if (!Arrays.equals(x, e.getValue())) {
                    return new Result(false, plan.arenaBytes(), SEEDS.length, compared, "tensor " + e.getKey() + " (" + g.tensor(e.getKey()).label() + ") differs on input seed 0x" + Integer.toHexString(seed));
                }
            }
            for (int i = 0; i < outA.size(); i++) {
                compared++;
                if (!Arrays.equals(outA.get(i), outB.get(i))) {
                    return new Result(false, plan.arenaBytes(), SEEDS.length, compared, "output " + i + " differs on input seed 0x" + Integer.toHexString(seed));
                }
            }
        }
        return new Result(true, plan.arenaBytes(), SEEDS.length, compared, null);
    }

    private static void record(List<Integer> tensors, List<View> views, Map<Integer, byte[]> into) {
        for (int i = 0; i < tensors.size(); i++) into.put(tensors.get(i), views.get(i).toByteArray());
    }
}
