package io.tinyfit.verify;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.exec.StepObserver;
import io.tinyfit.kernels.ArenaView;
import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepAccesses;
import io.tinyfit.plan.StepKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The dynamic half of plan checking (DESIGN.md, "Checking"): executes a plan inside banks of exactly their sizes and
 * a reference plan (whole operators, no buffer reuse) on the same inputs — the golden-style input and two seeded
 * inputs, state reset between them — and compares every region a step touches with the same region of the
 * reference run's tensor: each region a step reads, just before the step runs (the last moment an input its output
 * overlaps is still whole, graph inputs included), each region it writes just after it, each region a copy moves,
 * and the model outputs. A tile is compared with its part of the reference tensor. When the plan keeps the graph
 * inputs for the caller, they must still hold the given data after the run. Both runs start from random bytes and
 * dead bytes are poisoned, so a wrong offset or lifetime, a missing tile or a wrong slice shows up as a difference.
 */
public final class ExecutionCheck {
    /** Seeds of the inputs: the golden generator's, then two more. */
    public static final int[] SEEDS = {InputGenerator.GOLDEN_SEED, 0x0BADC0DE, 0x5EED1234};

    private ExecutionCheck() {}

    /** What was run and compared; {@code passed} only when every compared region matched bit for bit. */
    public record Result(boolean passed, long arenaBytes, int inputs, int tensorsCompared, String firstMismatch) {
        public String describe() {
            return passed
                    ? "executed in an arena of exactly " + arenaBytes + " bytes on " + inputs + " inputs (golden-style xorshift seed 0x12345678 and two seeded), state reset between them, dead bytes poisoned; "
                      + tensorsCompared + " tensor regions (every region a step reads, before it runs, and writes, after it) matched a no-reuse reference run bit for bit"
                    : "mismatch: " + firstMismatch;
        }
    }

    public static Result run(Plan plan) {
        Graph g = plan.graph();
        Plan reference = Plans.noReuse(g, referenceOrder(plan), plan.alignment());
        StepAccesses.Result accesses = StepAccesses.of(plan);
        Interpreter a = new Interpreter(plan, 0xA11CE);
        Interpreter b = new Interpreter(reference, 0xB0B);
        int[] compared = {0};
        for (int seed : SEEDS) {
            List<byte[]> in = InputGenerator.generate(g, seed);
            a.resetState();
            b.resetState();
            Map<Integer, byte[]> want = new HashMap<>();
            for (int i = 0; i < in.size(); i++) want.put(g.inputs().get(i), in.get(i));
            List<byte[]> outB = b.run(in, (step, opIndex, op, outputs) -> {
                for (int i = 0; i < outputs.size(); i++) want.put(op.output(i), outputs.get(i).toByteArray());
            });
            String[] mismatch = {null};
            List<byte[]> outA = a.run(in, new Comparing(plan, accesses, want, seed, compared, mismatch));
            if (mismatch[0] != null) return new Result(false, plan.arenaBytes(), SEEDS.length, compared[0], mismatch[0]);
            for (int i = 0; i < outA.size(); i++) {
                compared[0]++;
                if (!sameValues(g.tensor(g.outputs().get(i)).dtype(), outA.get(i), outB.get(i))) {
                    return new Result(false, plan.arenaBytes(), SEEDS.length, compared[0], "output " + i + " differs on input seed 0x" + Integer.toHexString(seed));
                }
            }
            if (plan.keepInputs()) {
                for (int i = 0; i < in.size(); i++) {
                    // a variable input is state the model updates in place, not data kept for the caller
                    if (g.tensor(g.inputs().get(i)).variable()) continue;
                    compared[0]++;
                    if (!Arrays.equals(a.read(g.inputs().get(i)), in.get(i))) {
                        return new Result(false, plan.arenaBytes(), SEEDS.length, compared[0], "graph input " + i + " (" + g.tensor(g.inputs().get(i)).label()
                                + ") no longer holds the caller's data after the inference, although the plan keeps inputs, on input seed 0x" + Integer.toHexString(seed));
                    }
                }
            }
        }
        return new Result(true, plan.arenaBytes(), SEEDS.length, compared[0], null);
    }

    /**
     * A topological order of the operators the plan runs, each as early as its first step allows: the order of a
     * whole-operator plan itself, and for a tiled one an order the no-reuse reference can run.
     */
    static List<Integer> referenceOrder(Plan plan) {
        if (plan.isWholeOperators()) return plan.order();
        Graph g = plan.graph();
        int n = g.ops().size();
        int[] firstStep = new int[n];
        Arrays.fill(firstStep, Integer.MAX_VALUE);
        for (int s = 0; s < plan.stepCount(); s++) {
            int op = plan.step(s).op();
            if (op >= 0 && op < n) firstStep[op] = Math.min(firstStep[op], s);
        }
        Map<Integer, Integer> producer = new HashMap<>();
        for (int i = 0; i < n; i++) for (int t : g.ops().get(i).outputs()) producer.put(t, i);
        int[] waiting = new int[n];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < n; i++) consumers.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            for (int t : g.ops().get(i).inputs()) {
                Integer p = t < 0 ? null : producer.get(t);
                if (p != null && p != i) {
                    waiting[i]++;
                    consumers.get(p).add(i);
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>((x, y) -> firstStep[x] != firstStep[y] ? Integer.compare(firstStep[x], firstStep[y]) : Integer.compare(x, y));
        for (int i = 0; i < n; i++) if (waiting[i] == 0) ready.add(i);
        List<Integer> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (int c : consumers.get(i)) if (--waiting[c] == 0) ready.add(c);
        }
        return order;
    }

    /** Compares, during the plan's run, every region each step reads and writes with the reference's tensors. */
    private static final class Comparing implements StepObserver {
        private final Plan plan;
        private final StepAccesses.Result accesses;
        private final Map<Integer, byte[]> want;
        private final int seed;
        private final int[] compared;
        private final String[] mismatch;

        Comparing(Plan plan, StepAccesses.Result accesses, Map<Integer, byte[]> want, int seed, int[] compared, String[] mismatch) {
            this.plan = plan;
            this.accesses = accesses;
            this.want = want;
            this.seed = seed;
            this.compared = compared;
            this.mismatch = mismatch;
        }

        @Override public void beforeStep(int step, int opIndex, Op op, List<View> inputs) {
            for (StepAccesses.Access a : accesses.steps().get(step)) {
                if (a.mode() == StepAccesses.Mode.READ && a.operand() >= 0) check(step, op.input(a.operand()), a.region(), inputs.get(a.operand()), "read by");
            }
        }

        @Override public void afterStep(int step, int opIndex, Op op, List<View> outputs) {
            for (StepAccesses.Access a : accesses.steps().get(step)) {
                if (a.mode() == StepAccesses.Mode.WRITE && a.operand() >= 0) check(step, op.output(a.operand()), a.region(), outputs.get(a.operand()), "written by");
            }
        }

        @Override public void afterCopy(int step, Step copy, View target) {
            Region r = copy.region() != null ? copy.region() : Region.whole(target.shape());
            check(step, plan.buffers().get(copy.to()).tensor(), r, target, "copied by");
        }

        private void check(int step, int tensor, Region region, View got, String how) {
            if (mismatch[0] != null) return;
            byte[] reference = want.get(tensor);
            Tensor t = plan.graph().tensor(tensor);
            if (reference == null || t.isConstant() || t.variable()) return;
            compared[0]++;
            byte[] expected = regionBytes(new ArenaView(reference, 0, t), region);
            if (!sameValues(t.dtype(), regionBytes(got, region), expected)) {
                boolean whole = region.isWhole(t.shape());
                mismatch[0] = "tensor " + tensor + " (" + t.label() + ")" + (whole ? "" : " region " + region) + " " + how + " step " + step
                        + (plan.step(step).kind() == StepKind.COMPUTE ? "" : " (" + plan.step(step).kind().label() + ")")
                        + " differs on input seed 0x" + Integer.toHexString(seed);
            }
        }
    }

    /**
     * Bit for bit, except that any two float NaNs are equal: Java leaves a NaN's payload to the code that made it, and
     * the same kernel may run interpreted in one run and compiled in the other (TFLM on a device promises no payload
     * either). Every other value, float or integer, must match exactly.
     */
    static boolean sameValues(DType type, byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) return true;
        if (a.length != b.length || (type != DType.FLOAT32 && type != DType.FLOAT64)) return false;
        ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN), y = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int width = type == DType.FLOAT32 ? 4 : 8;
        for (int i = 0; i + width <= a.length; i += width) {
            boolean nan = type == DType.FLOAT32 ? Float.isNaN(x.getFloat(i)) && Float.isNaN(y.getFloat(i)) : Double.isNaN(x.getDouble(i)) && Double.isNaN(y.getDouble(i));
            if (nan) continue;
            for (int k = 0; k < width; k++) if (a[i + k] != b[i + k]) return false;
        }
        return true;
    }

    /** The bytes of region r of a view (which holds at least r), in row-major order. */
    public static byte[] regionBytes(View v, Region r) {
        if (r.equals(v.region()) && v.isContiguous()) return v.toByteArray();
        int esize = v.dtype().bytes();
        byte[] out = new byte[(int) r.elements() * esize];
        if (r.isEmpty()) return out;
        int[] x = r.lo();
        int e = 0;
        do {
            int at = v.at(x) * esize;
            for (int k = 0; k < esize; k++) out[e++] = (byte) v.rawByte(at + k);
        } while (r.next(x, x.length));
        return out;
    }
}
