package io.tinyfit.verify;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.exec.StepObserver;
import io.tinyfit.kernels.View;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic half of plan checking (DESIGN.md, "Checking"): executes a plan inside an arena of exactly its
 * size and a reference plan with no buffer reuse on the same inputs — the golden-style input and two seeded
 * inputs, state reset between them — and compares every tensor both runs hold: each step's inputs just before
 * the step runs (the last moment an input its output overlaps is still whole, graph inputs included) and its
 * outputs just after, plus the model outputs. When the plan keeps the graph inputs for the caller, they must
 * still hold the given data after the run. Both arenas start as random bytes and dead buffers are poisoned, so
 * a wrong offset or lifetime shows up as a difference.
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
                      + tensorsCompared + " tensor values (every step's inputs before it runs and outputs after) matched a no-reuse reference run bit for bit"
                    : "mismatch: " + firstMismatch;
        }
    }

    /** One observation of a tensor: read by a step (before it runs) or written by it (after). */
    private record Seen(int step, boolean read, int tensor) {
        String describe() { return (read ? "read by" : "written by") + " step " + step; }
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
            Map<Seen, byte[]> got = new HashMap<>();
            // insertion (step) order, so the first mismatch reported is the earliest observation that went wrong
            Map<Seen, byte[]> want = new LinkedHashMap<>();
            List<byte[]> outA = a.run(in, recorder(g, got));
            List<byte[]> outB = b.run(in, recorder(g, want));
            for (var e : want.entrySet()) {
                byte[] x = got.get(e.getKey());
                if (x == null) continue;
                compared++;
                if (!Arrays.equals(x, e.getValue())) {
                    int t = e.getKey().tensor();
                    return new Result(false, plan.arenaBytes(), SEEDS.length, compared, "tensor " + t + " (" + g.tensor(t).label() + ") "
                            + e.getKey().describe() + " differs on input seed 0x" + Integer.toHexString(seed));
                }
            }
            for (int i = 0; i < outA.size(); i++) {
                compared++;
                if (!Arrays.equals(outA.get(i), outB.get(i))) {
                    return new Result(false, plan.arenaBytes(), SEEDS.length, compared, "output " + i + " differs on input seed 0x" + Integer.toHexString(seed));
                }
            }
            if (plan.keepInputs()) {
                for (int i = 0; i < in.size(); i++) {
                    // a variable input is state the model updates in place, not data kept for the caller
                    if (g.tensor(g.inputs().get(i)).variable()) continue;
                    compared++;
                    if (!Arrays.equals(a.read(g.inputs().get(i)), in.get(i))) {
                        return new Result(false, plan.arenaBytes(), SEEDS.length, compared, "graph input " + i + " (" + g.tensor(g.inputs().get(i)).label()
                                + ") no longer holds the caller's data after the inference, although the plan keeps inputs, on input seed 0x" + Integer.toHexString(seed));
                    }
                }
            }
        }
        return new Result(true, plan.arenaBytes(), SEEDS.length, compared, null);
    }

    /** Records every non-constant input before its step and every output after it. */
    private static StepObserver recorder(Graph g, Map<Seen, byte[]> into) {
        return new StepObserver() {
            @Override public void beforeStep(int step, int opIndex, Op op, List<View> inputs) {
                for (int i = 0; i < inputs.size(); i++) {
                    int t = op.input(i);
                    if (t >= 0 && !g.tensor(t).isConstant()) into.put(new Seen(step, true, t), inputs.get(i).toByteArray());
                }
            }

            @Override public void afterStep(int step, int opIndex, Op op, List<View> outputs) {
                for (int i = 0; i < outputs.size(); i++) into.put(new Seen(step, false, op.output(i)), outputs.get(i).toByteArray());
            }
        };
    }
}
