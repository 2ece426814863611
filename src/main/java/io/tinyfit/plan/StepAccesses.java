package io.tinyfit.plan;

import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each step of a plan reads and writes, as regions of its buffers, derived from the steps and the kernels'
 * region inference (never from what the plan declares about lifetimes). The one place that binds a step's operands
 * to buffers: the interpreter executes these bindings, the liveness and the verifier judge them.
 *
 * <p>Besides the steps, two pseudo-accesses frame the inference: the application writes every graph input before
 * the first step, and reads every graph output (and, when the plan keeps them, the inputs) after the last one.
 */
public final class StepAccesses {
    /** How a step touches a region: reads it, writes it, or adds into it (the first add stores). */
    public enum Mode { READ, WRITE, ACCUMULATE }

    /**
     * One region of one buffer a step touches, in the coordinates of the buffer's tensor (an accumulator's: its
     * operator's output).
     *
     * @param operand the operator input (READ) or output (WRITE) position, -1 for accumulators, copies and the
     *                pseudo-accesses
     */
    public record Access(int buffer, Region region, Mode mode, int operand) {}

    /**
     * @param before   the application's writes of the graph inputs, before step 0
     * @param steps    per step, its reads then its writes
     * @param after    the application's reads of the outputs (and kept inputs), after the last step
     * @param problems bindings that cannot run, one sentence each
     */
    public record Result(List<Access> before, List<List<Access>> steps, List<Access> after, List<String> problems) {}

    /**
     * What an operator tinyfit has no kernel for is taken to do, for planning: its whole output from its whole inputs
     * (such a plan is verified statically only and never executed).
     */
    private static final Kernel WITHOUT_KERNEL = new Kernel() {
        @Override public void prepare(io.tinyfit.kernels.Preparation p) {}

        @Override public void eval(io.tinyfit.kernels.OpContext ctx) { throw new IllegalStateException(ctx.op().kind() + " has no tinyfit kernel"); }
    };

    private StepAccesses() {}

    public static Result of(Plan p) {
        Graph g = p.graph();
        List<String> problems = new ArrayList<>();
        List<Buffer> buffers = p.buffers();
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) problems.add("buffer at position " + i + " has id " + buffers.get(i).id());
        }
        List<Access> before = new ArrayList<>();
        List<Access> after = new ArrayList<>();
        for (int t : g.inputs()) {
            Tensor x = g.tensor(t);
            // constants are read from the model, state from the persistent area: neither is in a bank
            if (x.isConstant() || x.variable() || x.bytes() == 0) continue;
            Optional<Buffer> b = p.bufferOfTensor(t);
            if (b.isEmpty()) problems.add("graph input " + GraphValidator.describe(x) + " has no buffer holding it whole (the application writes it in one piece)");
            else {
                before.add(new Access(b.get().id(), Region.whole(x.shape()), Mode.WRITE, -1));
                if (p.keepInputs()) after.add(new Access(b.get().id(), Region.whole(x.shape()), Mode.READ, -1));
            }
        }
        for (int t : g.outputs()) {
            Tensor x = g.tensor(t);
            // constants are read from the model, state from the persistent area: neither is in a bank
            if (x.isConstant() || x.variable() || x.bytes() == 0) continue;
            Optional<Buffer> b = p.bufferOfTensor(t);
            if (b.isEmpty()) problems.add("graph output " + GraphValidator.describe(x) + " has no buffer holding it whole (the application reads it in one piece)");
            else after.add(new Access(b.get().id(), Region.whole(x.shape()), Mode.READ, -1));
        }
        List<List<Access>> steps = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) {
            List<Access> a = new ArrayList<>();
            try {
                step(p, s, a, problems);
            } catch (RuntimeException e) {
                // region inference refuses a region it cannot compute (an unsplittable kind asked for part of its output)
                problems.add(describe(p, s) + ": " + e.getMessage());
                a.clear();
            }
            steps.add(a);
        }
        return new Result(before, steps, after, problems);
    }

    /** {@code "step 3 (operator 2 CONV_2D, region {...})"}: a step, for messages. */
    public static String describe(Plan p, int s) {
        Step st = p.step(s);
        if (st.kind() == StepKind.COPY) return "step " + s + " (copy " + (st.region() == null ? "" : st.region() + " ") + "buffer " + st.from() + " -> " + st.to() + ")";
        String op = st.op() < p.graph().ops().size() ? GraphValidator.describe(p.graph().ops().get(st.op()), st.op()) : "operator " + st.op();
        return "step " + s + " (" + (st.kind() == StepKind.COMPUTE ? "" : st.kind().label() + " ") + op
                + (st.region() == null ? "" : ", region " + st.region()) + (st.inChannels() == null ? "" : ", input channels " + st.inChannels()[0] + ".." + st.inChannels()[1]) + ")";
    }

    /** The accumulator type of an operator's partial sums (INT32 or INT64), if its kernel splits over input channels. */
    public static Optional<DType> accumulatorType(Graph g, int op) {
        Kernel k = KernelRegistry.find(g.ops().get(op).kind()).orElse(null);
        return k instanceof PartialSums ps ? ps.accumulator(g, g.ops().get(op)) : Optional.empty();
    }

    /** Bytes per element of a buffer: its tensor's, or its accumulator type's. */
    public static int elementBytes(Graph g, Buffer b) {
        if (b.kind() == Buffer.Kind.ACCUMULATOR) return accumulatorType(g, b.scratchOp()).map(DType::bytes).orElse(4);
        if (b.kind() == Buffer.Kind.SCRATCH) return 1;
        return g.tensor(b.tensor()).dtype().bytes();
    }

    /** The region a tensor or accumulator buffer holds, in its tensor's coordinates. */
    public static Region heldRegion(Graph g, Buffer b) {
        return b.region() != null ? b.region() : Region.whole(g.tensor(b.tensor()).shape());
    }

    private static void step(Plan p, int s, List<Access> out, List<String> problems) {
        Graph g = p.graph();
        Step st = p.step(s);
        String where = describe(p, s);
        if (st.kind() == StepKind.COPY) {
            Buffer from = buffer(p, st.from(), where, problems);
            Buffer to = buffer(p, st.to(), where, problems);
            if (from == null || to == null) return;
            if (from.kind() != Buffer.Kind.TENSOR || to.kind() != Buffer.Kind.TENSOR || from.tensor() != to.tensor()) {
                problems.add(where + " copies between buffers " + from.id() + " and " + to.id() + ", which do not hold the same tensor");
                return;
            }
            Region r = st.region() != null ? st.region() : Region.whole(g.tensor(from.tensor()).shape());
            if (held(p, from, r, where, "reads", problems) & held(p, to, r, where, "writes", problems)) {
                out.add(new Access(from.id(), r, Mode.READ, -1));
                out.add(new Access(to.id(), r, Mode.WRITE, -1));
            }
            return;
        }
        if (st.op() >= g.ops().size()) {
            problems.add(where + " names an operator outside the graph's " + g.ops().size());
            return;
        }
        Op op = g.ops().get(st.op());
        Kernel k = KernelRegistry.find(op.kind()).orElse(WITHOUT_KERNEL);
        Tensor out0 = op.outputs().isEmpty() ? null : g.tensor(op.output(0));
        Region region = st.region();
        if (region != null) {
            if (out0 == null || region.rank() != out0.shape().rank() || !Region.whole(out0.shape()).contains(region)) {
                problems.add(where + ": region lies outside output " + (out0 == null ? "(none)" : out0.shape().toString()));
                return;
            }
            if (op.outputs().size() != 1 && !region.isWhole(out0.shape())) {
                problems.add(where + ": an operator with " + op.outputs().size() + " outputs runs whole");
                return;
            }
            boolean[] splittable = k.splittableDims(g, op);
            for (int d = 0; d < region.rank(); d++) {
                if (!splittable[d] && region.extent(d) != out0.shape().dim(d)) {
                    problems.add(where + ": " + op.kind() + " cannot split dimension " + d + " of its output");
                    return;
                }
            }
        }
        Region outRegion = region != null ? region : out0 == null ? null : Region.whole(out0.shape());
        if (st.inputs().size() != op.inputs().size()) {
            problems.add(where + " binds " + st.inputs().size() + " operands, the operator has " + op.inputs().size());
            return;
        }
        List<Region> need;
        if (st.kind() == StepKind.ACCUMULATE) {
            if (!(k instanceof PartialSums ps) || ps.accumulator(g, op).isEmpty()) {
                problems.add(where + ": " + op.kind() + " with these dtypes has no accumulate/finish split");
                return;
            }
            int[] ch = st.inChannels();
            int cin = ps.inputChannels(g, op);
            if (ch[0] < 0 || ch[1] > cin || ch[0] >= ch[1]) {
                problems.add(where + ": input channels " + ch[0] + ".." + ch[1] + " are not a non-empty slice of 0.." + cin);
                return;
            }
            need = ps.inputRegions(g, op, outRegion, ch[0], ch[1]);
        } else if (st.kind() == StepKind.FINISH) {
            need = outRegion == null ? List.of() : k.inputRegions(g, op, outRegion);
            // a finish reads only the constants (bias, requantisation) besides its accumulator
            List<Region> constantsOnly = new ArrayList<>();
            for (int i = 0; i < need.size(); i++) constantsOnly.add(i == 0 ? null : need.get(i));
            need = constantsOnly;
        } else {
            need = outRegion == null ? Kernel.wholeInputs(g, op) : k.inputRegions(g, op, outRegion);
        }
        for (int i = 0; i < op.inputs().size(); i++) {
            int t = op.input(i);
            int bound = st.inputs().get(i);
            if (t < 0 || need.get(i) == null) continue;
            Tensor x = g.tensor(t);
            if (x.isConstant() || x.variable() || x.bytes() == 0) {
                if (bound >= 0) problems.add(where + " binds operand " + i + " (" + GraphValidator.describe(x) + ", not planned in a bank) to buffer " + bound);
                continue;
            }
            if (need.get(i).isEmpty()) continue;
            Buffer b = bound < 0 ? null : buffer(p, bound, where, problems);
            if (b == null) {
                if (bound < 0) problems.add(where + " reads " + GraphValidator.describe(x) + " but binds no buffer to it");
                continue;
            }
            if (b.kind() != Buffer.Kind.TENSOR || b.tensor() != t) {
                problems.add(where + " reads " + GraphValidator.describe(x) + " from buffer " + b.id() + " (" + b.name() + "), which holds something else");
                continue;
            }
            if (held(p, b, need.get(i), where, "reads", problems)) out.add(new Access(b.id(), need.get(i), Mode.READ, i));
        }
        if (st.kind() == StepKind.ACCUMULATE || st.kind() == StepKind.FINISH) {
            Buffer acc = buffer(p, st.accumulator(), where, problems);
            if (acc != null) {
                if (acc.kind() != Buffer.Kind.ACCUMULATOR || acc.scratchOp() != st.op() || acc.tensor() != op.output(0)) {
                    problems.add(where + " uses buffer " + acc.id() + " (" + acc.name() + ") as its accumulator, which is not one of this operator's");
                } else if (held(p, acc, outRegion, where, "accumulates", problems)) {
                    out.add(new Access(acc.id(), outRegion, st.kind() == StepKind.ACCUMULATE ? Mode.ACCUMULATE : Mode.READ, -1));
                }
            }
        }
        if (st.kind() == StepKind.ACCUMULATE) return;
        if (st.outputs().size() != op.outputs().size()) {
            problems.add(where + " binds " + st.outputs().size() + " outputs, the operator has " + op.outputs().size());
            return;
        }
        for (int i = 0; i < op.outputs().size(); i++) {
            int t = op.output(i);
            Tensor x = g.tensor(t);
            int bound = st.outputs().get(i);
            if (x.variable() || x.bytes() == 0) continue;
            Buffer b = bound < 0 ? null : buffer(p, bound, where, problems);
            if (b == null) {
                if (bound < 0) problems.add(where + " writes " + GraphValidator.describe(x) + " but binds no buffer to it");
                continue;
            }
            if (b.kind() != Buffer.Kind.TENSOR || b.tensor() != t) {
                problems.add(where + " writes " + GraphValidator.describe(x) + " into buffer " + b.id() + " (" + b.name() + "), which holds something else");
                continue;
            }
            Region r = i == 0 ? outRegion : Region.whole(x.shape());
            if (held(p, b, r, where, "writes", problems)) out.add(new Access(b.id(), r, Mode.WRITE, i));
        }
    }

    private static Buffer buffer(Plan p, int id, String where, List<String> problems) {
        if (id < 0 || id >= p.buffers().size()) {
            problems.add(where + " names buffer " + id + ", which the plan does not have");
            return null;
        }
        return p.buffers().get(id);
    }

    /** True when buffer b holds all of region r; else a problem. */
    private static boolean held(Plan p, Buffer b, Region r, String where, String verb, List<String> problems) {
        Region h = heldRegion(p.graph(), b);
        if (h.rank() == r.rank() && h.contains(r)) return true;
        problems.add(where + " " + verb + " region " + r + " of buffer " + b.id() + " (" + b.name() + "), which holds only " + h);
        return false;
    }
}
