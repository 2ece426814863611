package io.tinyfit.verify;

import io.tinyfit.kernels.InPlace;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static check of a {@link Plan}. It trusts nothing the plan declares: lifetimes are derived from the steps
 * that write and read each buffer (graph inputs from step 0, graph outputs to the last step, and graph inputs
 * too when the plan keeps them for the caller, scratch buffers at their operator's step), and then no two
 * buffers live at the same step may share a byte. It also checks
 * that the order is a valid topological order, every buffer lies inside the arena, offsets are aligned, every
 * activation tensor has a buffer large enough, and declared lifetimes are not shorter than the derived ones.
 *
 * <p>The one exception to "no shared bytes" is a declared DMO {@link Overlap}: an operator's output may share
 * bytes with its input only at that operator's step (the input's last use, the output's first), only with the
 * output starting at or below the input, and only when {@code offset(I) - offset(O)} is at least the safe delta
 * the verifier recomputes itself by tracing the kernel ({@link TraceMethod}); the delta the plan declares is
 * ignored. An aliased RESHAPE must use exactly the input's bytes.
 */
public final class PlanVerifier {
    private PlanVerifier() {}

    /** One problem found in a plan. */
    public record Violation(String message) {}

    public static List<Violation> violations(Plan p) {
        List<Violation> out = new ArrayList<>();
        Graph g = p.graph();
        int steps = p.stepCount();
        checkOrder(p, out);
        Map<Integer, Buffer> byTensor = new HashMap<>();
        for (Buffer b : p.buffers()) {
            if (b.kind() == Buffer.Kind.TENSOR) byTensor.put(b.tensor(), b);
            if (b.offset() < 0 || b.end() > p.arenaBytes()) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") at [" + b.offset() + ", " + b.end() + ") lies outside the " + p.arenaBytes() + "-byte arena"));
            if (p.alignment() > 1 && b.offset() % p.alignment() != 0) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") offset " + b.offset() + " is not " + p.alignment() + "-byte aligned"));
            if (b.bytes() < b.rawBytes()) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") has " + b.bytes() + " bytes but needs " + b.rawBytes()));
            if (b.kind() == Buffer.Kind.TENSOR && b.bytes() < g.tensor(b.tensor()).bytes()) {
                out.add(new Violation("buffer " + b.id() + " holds " + b.bytes() + " bytes but tensor " + b.tensor() + " needs " + g.tensor(b.tensor()).bytes()));
            }
        }
        int[][] life = deriveLifetimes(p, byTensor, out);
        Map<Overlap, Long> traced = new HashMap<>();
        for (int i = 0; i < p.buffers().size(); i++) {
            Buffer b = p.buffers().get(i);
            int[] l = life[i];
            if (l == null) continue;
            if (b.firstStep() > l[0] || b.lastStep() < l[1]) {
                out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") declares steps " + b.firstStep() + ".." + b.lastStep() + " but is used at steps " + l[0] + ".." + l[1]));
            }
        }
        for (int i = 0; i < p.buffers().size(); i++) {
            for (int j = i + 1; j < p.buffers().size(); j++) {
                int[] a = life[i];
                int[] c = life[j];
                if (a == null || c == null || a[0] > c[1] || c[0] > a[1]) continue;
                Buffer x = p.buffers().get(i);
                Buffer y = p.buffers().get(j);
                if (x.sharesBytesWith(y)) {
                    String why = overlapRefusal(p, x, y, a, c, traced);
                    if (why == null) continue;
                    int step = Math.max(a[0], c[0]);
                    out.add(new Violation(describe(g, x) + " and " + describe(g, y) + " share bytes ["
                            + Math.max(x.offset(), y.offset()) + ", " + Math.min(x.end(), y.end()) + ") while both are live at step " + step
                            + stepOperator(p, step) + (why.isEmpty() ? "" : " (" + why + ")")));
                }
            }
        }
        if (steps == 0 && !p.buffers().isEmpty()) out.add(new Violation("plan has buffers but no steps"));
        return out;
    }

    /**
     * Why the shared bytes of live buffers x and y are not covered by a declared overlap: null when they are,
     * "" when no overlap is declared for the pair.
     */
    private static String overlapRefusal(Plan p, Buffer x, Buffer y, int[] lifeX, int[] lifeY, Map<Overlap, Long> traced) {
        if (x.kind() != Buffer.Kind.TENSOR || y.kind() != Buffer.Kind.TENSOR) return "";
        Overlap o = null;
        for (Overlap d : p.overlaps()) {
            if ((d.inputTensor() == x.tensor() && d.outputTensor() == y.tensor()) || (d.inputTensor() == y.tensor() && d.outputTensor() == x.tensor())) o = d;
        }
        if (o == null) return "";
        boolean xIsInput = o.inputTensor() == x.tensor();
        Buffer in = xIsInput ? x : y;
        Buffer outB = xIsInput ? y : x;
        int[] lifeIn = xIsInput ? lifeX : lifeY;
        int[] lifeOut = xIsInput ? lifeY : lifeX;
        int s = o.step();
        if (s < 0 || s >= p.stepCount()) return "declared overlap names step " + s + ", outside the plan";
        Op op = p.graph().ops().get(p.order().get(s));
        int inputIndex = op.inputs().indexOf(o.inputTensor());
        int outputIndex = op.outputs().indexOf(o.outputTensor());
        if (inputIndex < 0 || outputIndex < 0) return "step " + s + " (" + op.kind() + ") does not read tensor " + o.inputTensor() + " and write tensor " + o.outputTensor();
        if (lifeIn[1] != s || lifeOut[0] != s) return "the overlap is declared for step " + s + " but the buffers are both live at steps " + Math.max(lifeIn[0], lifeOut[0]) + ".." + Math.min(lifeIn[1], lifeOut[1]);
        long delta = in.offset() - outB.offset();
        if (delta < 0) return "the output starts " + (-delta) + " bytes above its input";
        if (Overlap.ALIAS.equals(o.method()) || !InPlace.mayOverlapPartially(op.kind())) {
            if (!InPlace.mayAlias(op.kind())) return op.kind() + " may not overlap its input";
            return delta == 0 && in.bytes() == outB.bytes() ? null : op.kind() + " may only alias its input exactly (same offset), not overlap it by " + delta + " bytes";
        }
        long safe = traced.computeIfAbsent(o, k -> TraceMethod.minDelta(p.graph(), p.order().get(k.step()), inputIndex, outputIndex));
        return delta >= safe ? null : "output starts " + delta + " bytes below its input but the traced safe delta of step " + s + " (" + op.kind() + ") is " + safe;
    }

    /** How a violation names a buffer: the tensor it holds (or the scratch request) and its buffer id. */
    private static String describe(Graph g, Buffer b) {
        return (b.kind() == Buffer.Kind.TENSOR ? GraphValidator.describe(g.tensor(b.tensor())) : b.name()) + " (buffer " + b.id() + ")";
    }

    /** {@code " (operator 3 CONV_2D)"}: what runs at a step, for messages. */
    private static String stepOperator(Plan p, int step) {
        if (step < 0 || step >= p.stepCount()) return "";
        int op = p.order().get(step);
        return op < 0 || op >= p.graph().ops().size() ? "" : " (" + GraphValidator.describe(p.graph().ops().get(op), op) + ")";
    }

    /** Throws {@link PlanViolationException} listing every violation, or returns the plan unchanged. */
    public static Plan check(Plan p) {
        List<Violation> v = violations(p);
        if (!v.isEmpty()) throw new PlanViolationException(p.graph().source() + ": plan '" + p.planner() + "' is invalid: " + v.get(0).message() + (v.size() > 1 ? " (and " + (v.size() - 1) + " more)" : ""), v);
        return p;
    }

    private static void checkOrder(Plan p, List<Violation> out) {
        Graph g = p.graph();
        Set<Integer> seen = new HashSet<>();
        Set<Integer> available = new HashSet<>(g.inputs());
        for (Tensor t : g.tensors()) if (t.isConstant() || t.variable()) available.add(t.id());
        for (int s = 0; s < p.stepCount(); s++) {
            int opIndex = p.order().get(s);
            if (opIndex < 0 || opIndex >= g.ops().size() || !seen.add(opIndex)) {
                out.add(new Violation("step " + s + " runs operator " + opIndex + ", which is out of range or runs twice"));
                continue;
            }
            Op op = g.ops().get(opIndex);
            for (int t : op.inputs()) {
                if (t >= 0 && !available.contains(t) && g.tensor(t).bytes() > 0) {
                    out.add(new Violation("step " + s + " (operator " + opIndex + " " + op.kind() + ") reads tensor " + t + " before any step writes it"));
                }
            }
            available.addAll(op.outputs());
        }
        if (seen.size() != g.ops().size()) out.add(new Violation("order runs " + seen.size() + " of " + g.ops().size() + " operators"));
    }

    /** Per buffer {first, last} step from the steps that touch it; null for a buffer no step touches. */
    private static int[][] deriveLifetimes(Plan p, Map<Integer, Buffer> byTensor, List<Violation> out) {
        Graph g = p.graph();
        int[][] life = new int[p.buffers().size()][];
        int last = Math.max(0, p.stepCount() - 1);
        for (int t : g.inputs()) touch(life, byTensor.get(t), 0);
        for (int s = 0; s < p.stepCount(); s++) {
            int opIndex = p.order().get(s);
            if (opIndex < 0 || opIndex >= g.ops().size()) continue;
            Op op = g.ops().get(opIndex);
            for (int t : op.inputs()) if (t >= 0) touch(life, byTensor.get(t), s);
            for (int t : op.outputs()) {
                Buffer b = byTensor.get(t);
                Tensor x = g.tensor(t);
                if (b == null && !x.variable() && x.bytes() > 0) out.add(new Violation("tensor " + t + " (" + x.label() + ") written at step " + s + " has no buffer"));
                touch(life, b, s);
            }
        }
        for (Buffer b : p.buffers()) if (b.kind() == Buffer.Kind.SCRATCH) {
            int s = p.order().indexOf(b.scratchOp());
            if (s < 0) out.add(new Violation("scratch buffer " + b.id() + " belongs to operator " + b.scratchOp() + ", which the plan never runs"));
            else touch(life, b, s);
        }
        for (int t : g.outputs()) {
            Buffer b = byTensor.get(t);
            if (b != null) touch(life, b, last);
        }
        // a kept input must still hold the caller's data after the last step, so nothing may take its bytes
        if (p.keepInputs()) for (int t : g.inputs()) touch(life, byTensor.get(t), last);
        return life;
    }

    private static void touch(int[][] life, Buffer b, int step) {
        if (b == null) return;
        int[] l = life[b.id()];
        if (l == null) life[b.id()] = new int[] {step, step};
        else {
            l[0] = Math.min(l[0], step);
            l[1] = Math.max(l[1], step);
        }
    }
}
