package io.tinyfit.verify;

import io.tinyfit.kernels.InPlace;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.SlidingCopies;
import io.tinyfit.plan.StepAccesses;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static check of a {@link Plan}. It trusts nothing the plan declares about time: which bytes of which buffer are
 * live at which step is derived from what the steps read and write ({@link Liveness}, per byte: a band's consumed
 * input rows are free while the rows the next band reads are not), and then no two buffers may hold live data in
 * the same bytes of a bank at the same step. It also checks that every step can run (its operands bound to buffers
 * that hold the regions it reads and writes, nothing read before it is written, nothing written twice), that every
 * operator's output is covered exactly once ({@link Coverage}: compute and finish regions partition it; the
 * accumulate steps of a finish cover the input channels exactly once and precede it), that every buffer lies inside
 * its bank, aligned and large enough, and that declared lifetimes are not shorter than the derived ones.
 *
 * <p>The one exception to "no shared live bytes" is a declared DMO {@link Overlap}: an operator's output may share
 * bytes with its input only at that operator's step (the input's last use, the output's first), only with the
 * output starting at or below the input, and only when {@code offset(I) - offset(O)} is at least the safe delta
 * the verifier recomputes itself by tracing the kernel ({@link TraceMethod}); the delta the plan declares is
 * ignored. An aliased RESHAPE must use exactly the input's bytes. Overlaps are proven for whole-operator steps.
 *
 * <p>The other exception is a tile sliding in place ({@link SlidingCopies}): a copy step's destination may share
 * bytes with its source only at that step (the source's last, the destination's first) and only where the forward
 * copy never writes above the byte it reads, which the verifier recomputes from the two offsets.
 */
public final class PlanVerifier {
    private PlanVerifier() {}

    /** One problem found in a plan. */
    public record Violation(String message) {}

    public static List<Violation> violations(Plan p) {
        List<Violation> out = new ArrayList<>();
        Graph g = p.graph();
        checkBuffers(p, out);
        Liveness live = Liveness.of(p);
        for (String problem : live.problems()) out.add(new Violation(problem));
        for (String problem : Coverage.problems(p)) out.add(new Violation(problem));
        int lastStep = Math.max(0, p.stepCount() - 1);
        for (Buffer b : p.buffers()) {
            int[] l = live.span(b.id());
            if (l == null) continue;
            int first = Math.min(l[0], lastStep), last = Math.min(l[1], lastStep);
            if (b.firstStep() > first || b.lastStep() < last) {
                out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") declares steps " + b.firstStep() + ".." + b.lastStep() + " but is used at steps " + first + ".." + last));
            }
        }
        checkSharing(p, live, out);
        if (p.stepCount() == 0 && !p.buffers().isEmpty()) out.add(new Violation("plan has buffers but no steps"));
        return out;
    }

    /** Throws {@link PlanViolationException} listing every violation, or returns the plan unchanged. */
    public static Plan check(Plan p) {
        List<Violation> v = violations(p);
        if (!v.isEmpty()) throw new PlanViolationException(p.graph().source() + ": plan '" + p.planner() + "' is invalid: " + v.get(0).message() + (v.size() > 1 ? " (and " + (v.size() - 1) + " more)" : ""), v);
        return p;
    }

    /** Banks, offsets, alignment and sizes, without looking at the steps. */
    private static void checkBuffers(Plan p, List<Violation> out) {
        Graph g = p.graph();
        Map<String, Bank> banks = new HashMap<>();
        for (Bank b : p.banks()) if (banks.put(b.name(), b) != null) out.add(new Violation("bank " + b.name() + " is declared twice"));
        for (Buffer b : p.buffers()) {
            Bank bank = banks.get(b.bank());
            String where = bank == null || bank.name().equals(Bank.SRAM) ? "arena" : "bank " + bank.name();
            if (bank == null) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") lives in bank " + b.bank() + ", which the plan does not have"));
            else if (b.offset() < 0 || b.end() > bank.bytes()) {
                out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") at [" + b.offset() + ", " + b.end() + ") lies outside the " + bank.bytes() + "-byte " + where));
            }
            if (p.alignment() > 1 && b.offset() % p.alignment() != 0) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") offset " + b.offset() + " is not " + p.alignment() + "-byte aligned"));
            if (b.bytes() < b.rawBytes()) out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") has " + b.bytes() + " bytes but needs " + b.rawBytes()));
            if (b.kind() == Buffer.Kind.SCRATCH) continue;
            if (b.tensor() < 0 || b.tensor() >= g.tensors().size()) {
                out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") holds tensor " + b.tensor() + ", which the graph does not have"));
                continue;
            }
            Tensor t = g.tensor(b.tensor());
            if (b.kind() == Buffer.Kind.ACCUMULATOR) {
                if (b.scratchOp() < 0 || b.scratchOp() >= g.ops().size() || g.ops().get(b.scratchOp()).outputs().isEmpty() || g.ops().get(b.scratchOp()).output(0) != b.tensor()) {
                    out.add(new Violation("accumulator buffer " + b.id() + " (" + b.name() + ") is not for the output of its operator " + b.scratchOp()));
                    continue;
                }
                if (StepAccesses.accumulatorType(g, b.scratchOp()).isEmpty()) {
                    out.add(new Violation("accumulator buffer " + b.id() + " (" + b.name() + "): " + g.ops().get(b.scratchOp()).kind() + " with these dtypes has no accumulate/finish split"));
                    continue;
                }
            }
            Region whole = Region.whole(t.shape());
            if (b.region() != null && (b.region().rank() != whole.rank() || !whole.contains(b.region()))) {
                out.add(new Violation("buffer " + b.id() + " (" + b.name() + ") holds region " + b.region() + ", outside " + GraphValidator.describe(t) + " " + t.shape()));
                continue;
            }
            long needs = StepAccesses.heldRegion(g, b).elements() * StepAccesses.elementBytes(g, b);
            if (b.bytes() < needs) {
                out.add(new Violation("buffer " + b.id() + " holds " + b.bytes() + " bytes but " + (b.kind() == Buffer.Kind.ACCUMULATOR ? "the accumulator of " : "")
                        + (b.region() == null ? "tensor " + b.tensor() : "region " + b.region() + " of tensor " + b.tensor()) + " needs " + needs));
            }
        }
    }

    /** Pairs of buffers holding live data in the same bytes at the same step, each pair reported once. */
    private static void checkSharing(Plan p, Liveness live, List<Violation> out) {
        List<Liveness.Live> rects = new ArrayList<>(live.rects());
        rects.sort(Comparator.comparing(Liveness.Live::bank).thenComparingLong(Liveness.Live::lo));
        Map<List<Integer>, List<Liveness.Live[]>> pairs = new LinkedHashMap<>();
        List<Liveness.Live> active = new ArrayList<>();
        for (Liveness.Live r : rects) {
            active.removeIf(a -> !a.bank().equals(r.bank()) || a.hi() <= r.lo());
            for (Liveness.Live a : active) {
                if (a.buffer() == r.buffer() || !a.sharesBytesWith(r) || !a.sharesStepsWith(r)) continue;
                List<Integer> key = List.of(Math.min(a.buffer(), r.buffer()), Math.max(a.buffer(), r.buffer()));
                pairs.computeIfAbsent(key, k -> new ArrayList<>()).add(new Liveness.Live[] {a, r});
            }
            active.add(r);
        }
        Map<Overlap, Long> traced = new HashMap<>();
        Map<List<Integer>, List<Integer>> copies = new HashMap<>();
        for (int s = 0; s < p.stepCount(); s++) {
            io.tinyfit.plan.Step st = p.step(s);
            if (st.kind() == io.tinyfit.plan.StepKind.COPY) copies.computeIfAbsent(List.of(Math.min(st.from(), st.to()), Math.max(st.from(), st.to())), k -> new ArrayList<>()).add(s);
        }
        for (var e : pairs.entrySet()) {
            Buffer x = p.buffers().get(e.getKey().get(0));
            Buffer y = p.buffers().get(e.getKey().get(1));
            String why = overlapRefusal(p, x, y, e.getValue(), traced, copies.getOrDefault(e.getKey(), List.of()));
            if (why == null) continue;
            Liveness.Live[] first = e.getValue().get(0);
            long lo = Math.max(first[0].lo(), first[1].lo()), hi = Math.min(first[0].hi(), first[1].hi());
            int step = Math.min(Math.max(first[0].first(), first[1].first()), Math.max(0, p.stepCount() - 1));
            out.add(new Violation(describe(p.graph(), x) + " and " + describe(p.graph(), y) + " share bytes [" + lo + ", " + hi + ") while both are live at step " + step
                    + stepOperator(p, step) + (why.isEmpty() ? "" : " (" + why + ")")));
        }
    }

    /**
     * Why the live bytes buffers x and y share are not covered by a declared overlap: null when they are, "" when
     * no overlap is declared for the pair.
     */
    private static String overlapRefusal(Plan p, Buffer x, Buffer y, List<Liveness.Live[]> shared, Map<Overlap, Long> traced, List<Integer> copySteps) {
        String slide = slideRefusal(p, x, y, shared, copySteps);
        if (slide != null) return slide.equals(SLIDES) ? null : slide;
        if (!x.isWholeTensor() || !y.isWholeTensor()) return "";
        Overlap o = null;
        for (Overlap d : p.overlaps()) {
            if ((d.inputTensor() == x.tensor() && d.outputTensor() == y.tensor()) || (d.inputTensor() == y.tensor() && d.outputTensor() == x.tensor())) o = d;
        }
        if (o == null) return "";
        Buffer in = o.inputTensor() == x.tensor() ? x : y;
        Buffer outB = in == x ? y : x;
        int s = o.step();
        if (s < 0 || s >= p.stepCount()) return "declared overlap names step " + s + ", outside the plan";
        if (!p.step(s).isWholeCompute()) return "overlaps are proven for whole-operator steps; step " + s + " is " + p.step(s);
        Op op = p.graph().ops().get(p.step(s).op());
        int inputIndex = op.inputs().indexOf(o.inputTensor());
        int outputIndex = op.outputs().indexOf(o.outputTensor());
        if (inputIndex < 0 || outputIndex < 0) return "step " + s + " (" + op.kind() + ") does not read tensor " + o.inputTensor() + " and write tensor " + o.outputTensor();
        int from = Integer.MAX_VALUE, to = Integer.MIN_VALUE;
        boolean onlyAtStep = true;
        for (Liveness.Live[] pair : shared) {
            Liveness.Live ri = pair[0].buffer() == in.id() ? pair[0] : pair[1];
            Liveness.Live ro = ri == pair[0] ? pair[1] : pair[0];
            from = Math.min(from, Math.max(ri.first(), ro.first()));
            to = Math.max(to, Math.min(ri.last(), ro.last()));
            onlyAtStep &= ri.last() == s && ro.first() == s;
        }
        if (!onlyAtStep) return "the overlap is declared for step " + s + " but the buffers are both live at steps " + from + ".." + to;
        long delta = in.offset() - outB.offset();
        if (delta < 0) return "the output starts " + (-delta) + " bytes above its input";
        if (Overlap.ALIAS.equals(o.method()) || !InPlace.mayOverlapPartially(op.kind())) {
            if (!InPlace.mayAlias(op.kind())) return op.kind() + " may not overlap its input";
            return delta == 0 && in.bytes() == outB.bytes() ? null : op.kind() + " may only alias its input exactly (same offset), not overlap it by " + delta + " bytes";
        }
        long safe = traced.computeIfAbsent(o, k -> TraceMethod.minDelta(p.graph(), p.step(k.step()).op(), inputIndex, outputIndex));
        return delta >= safe ? null : "output starts " + delta + " bytes below its input but the traced safe delta of step " + s + " (" + op.kind() + ") is " + safe;
    }

    private static final String SLIDES = "slides";

    /**
     * A tile sliding in place ({@link SlidingCopies}): the shared live bytes of x and y are allowed when one copy
     * step moves data from one to the other, every shared byte is the source's at its last live step (the copy)
     * and the destination's at its first (the copy), and the forward copy never writes at an address above the one
     * it reads from. {@link #SLIDES} when allowed, the reason when a copy between them exists but does not allow it,
     * null when no copy step joins them.
     */
    private static String slideRefusal(Plan p, Buffer x, Buffer y, List<Liveness.Live[]> shared, List<Integer> copySteps) {
        String why = null;
        for (int s : copySteps) {
            io.tinyfit.plan.Step st = p.step(s);
            if (st.kind() != io.tinyfit.plan.StepKind.COPY) continue;
            boolean xy = st.from() == x.id() && st.to() == y.id(), yx = st.from() == y.id() && st.to() == x.id();
            if (!xy && !yx) continue;
            if (!x.bank().equals(y.bank())) continue;
            Buffer from = xy ? x : y, to = xy ? y : x;
            boolean onlyAtStep = true;
            for (Liveness.Live[] pair : shared) {
                Liveness.Live rf = pair[0].buffer() == from.id() ? pair[0] : pair[1];
                Liveness.Live rt = rf == pair[0] ? pair[1] : pair[0];
                onlyAtStep &= rf.last() == s && rt.first() == s;
            }
            if (!onlyAtStep) {
                why = "the copy at step " + s + " slides a tile in place only where the source's bytes die and the destination's are born at that step";
                continue;
            }
            long lead = SlidingCopies.maxLead(p, st, from.offset(), to.offset());
            if (lead <= 0) return SLIDES;
            why = "the copy at step " + s + " writes up to " + lead + " bytes above the byte it reads, overwriting source bytes it has still to read";
        }
        return why;
    }

    /** How a violation names a buffer: the tensor it holds (or the scratch request) and its buffer id. */
    private static String describe(Graph g, Buffer b) {
        String what = b.kind() == Buffer.Kind.TENSOR ? GraphValidator.describe(g.tensor(b.tensor())) + (b.region() == null ? "" : " region " + b.region()) : b.name();
        return what + " (buffer " + b.id() + ")";
    }

    /** {@code " (operator 3 CONV_2D)"}: what runs at a step, for messages. */
    private static String stepOperator(Plan p, int step) {
        if (step < 0 || step >= p.stepCount()) return "";
        int op = p.step(step).op();
        return op < 0 || op >= p.graph().ops().size() ? "" : " (" + GraphValidator.describe(p.graph().ops().get(op), op) + ")";
    }
}
