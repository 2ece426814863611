package io.tinyfit.plan;

import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a plan over steps and regions: declare buffers (whole tensors, regions of tensors, accumulators), add
 * steps in execution order, fix offsets where wanted, and {@link #build} derives every buffer's lifetime from the
 * steps ({@link Liveness}), places the remaining buffers ({@link FirstFit}, per-byte liveness) and sizes the banks.
 * The kernels' scratch buffers of every operator that runs are added as TFLM's kernels request them. A step's
 * operands are bound to the newest buffer of their tensor holding the region the step reads, unless given.
 *
 * <p>The builder checks nothing a verifier would: a plan it builds is verified like any other.
 */
public final class PlanBuilder {
    private final Graph graph;
    private final int alignment;
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Long> fixed = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<Bank> extraBanks = new ArrayList<>();
    private final Set<Integer> opsWithScratch = new HashSet<>();
    /** Per tensor, its tensor buffers in order of creation: where a step's operands are bound. */
    private final java.util.Map<Integer, List<Integer>> tensorBuffers = new java.util.HashMap<>();
    private boolean keepInputs;
    private boolean perByte = true;
    private boolean bindingSpans;

    public PlanBuilder(Graph graph, int alignment) {
        this.graph = graph;
        this.alignment = alignment;
    }

    public Graph graph() { return graph; }

    /** A buffer holding all of tensor t. */
    public int tensor(int t) { return add(Buffer.Kind.TENSOR, t, -1, -1, graph.tensor(t).label(), graph.tensor(t).bytes(), null); }

    /** A buffer holding region r of tensor t, stored densely in row-major order. */
    public int region(int t, Region r) {
        Tensor x = graph.tensor(t);
        return add(Buffer.Kind.TENSOR, t, -1, -1, x.label() + " " + r, r.elements() * x.dtype().bytes(), r);
    }

    /** The accumulator of operator op's partial sums over region r of its output (null: all of it). */
    public int accumulator(int op, Region r) {
        int t = graph.ops().get(op).output(0);
        Region held = r != null ? r : Region.whole(graph.tensor(t).shape());
        int bytes = StepAccesses.accumulatorType(graph, op).orElseThrow(() -> new IllegalArgumentException(graph.ops().get(op).kind() + " has no accumulate/finish split")).bytes();
        return add(Buffer.Kind.ACCUMULATOR, t, op, -1, graph.ops().get(op).kind() + "#" + op + " accumulator " + held, held.elements() * bytes, r);
    }

    /** Puts buffer b in another bank than SRAM (declared with {@link #bank}). */
    public PlanBuilder inBank(int b, String bank) {
        Buffer x = buffers.get(b);
        buffers.set(b, new Buffer(x.id(), x.tensor(), x.kind(), x.scratchOp(), x.scratchIndex(), x.name(), x.rawBytes(), x.bytes(), x.offset(), 0, 0, x.region(), bank));
        return this;
    }

    /** Declares a slower bank of the given size. */
    public PlanBuilder bank(String name, long bytes) {
        extraBanks.add(new Bank(name, bytes));
        return this;
    }

    /** Fixes buffer b at an offset in its bank instead of letting {@link #build} place it. */
    public PlanBuilder at(int b, long offset) {
        fixed.set(b, offset);
        return this;
    }

    /** The graph inputs hold the caller's data until the end. */
    public PlanBuilder keepInputs(boolean keep) {
        this.keepInputs = keep;
        return this;
    }

    /** Place with one rectangle per buffer (all bytes over its whole span) instead of per-byte liveness. */
    public PlanBuilder wholeBufferLiveness() {
        this.perByte = false;
        return this;
    }

    /**
     * Place with one rectangle per buffer spanning the steps that name it (first to last binding; graph inputs from
     * step 0, graph outputs and kept inputs to the end; scratch over its operator's steps), without deriving per-byte
     * liveness: a conservative, much faster model for searches that build many candidate plans. The verifier
     * derives the real liveness of whatever plan is kept.
     */
    public PlanBuilder bindingSpans() {
        this.perByte = false;
        this.bindingSpans = true;
        return this;
    }

    /** Computes region r of op's output (null: all of it) into the given output buffers, inputs bound automatically. */
    public PlanBuilder compute(int op, Region r, int... outputs) {
        steps.add(new Step(StepKind.COMPUTE, op, r, null, bindInputs(op, r, null), ints(outputs), -1, -1, -1));
        return scratch(op);
    }

    /** Input channels {@code [from, to)} of op's output region r added into accumulator buffer acc. */
    public PlanBuilder accumulate(int op, Region r, int from, int to, int acc) {
        steps.add(Step.accumulate(op, r, from, to, bindInputs(op, r, new int[] {from, to}), acc));
        return scratch(op);
    }

    /** Accumulator buffer acc finished into op's output region r, written to the given buffers. */
    public PlanBuilder finish(int op, Region r, int acc, int... outputs) {
        List<Integer> in = new ArrayList<>(Collections.nCopies(graph.ops().get(op).inputs().size(), -1));
        steps.add(Step.finish(op, r, in, acc, ints(outputs)));
        return scratch(op);
    }

    /** Region r moved from buffer {@code from} to buffer {@code to}. */
    public PlanBuilder copy(Region r, int from, int to) {
        steps.add(Step.copy(r, from, to));
        return this;
    }

    /** Any step, bindings as given. */
    public PlanBuilder step(Step s) {
        steps.add(s);
        if (s.op() >= 0) scratch(s.op());
        return this;
    }

    public int stepCount() { return steps.size(); }

    /** The plan: lifetimes derived from the steps, unfixed buffers placed, SRAM sized to the highest buffer end. */
    public Plan build(String planner) {
        int n = buffers.size();
        List<Bank> draftBanks = new ArrayList<>();
        draftBanks.add(Bank.sram(Long.MAX_VALUE / 4));
        for (Bank b : extraBanks) draftBanks.add(new Bank(b.name(), Long.MAX_VALUE / 4));
        Plan draft = new Plan(graph, steps, buffers, draftBanks, alignment, planner, List.of(), keepInputs);
        Liveness live = bindingSpans ? null : Liveness.of(draft);
        int[][] spans = bindingSpans ? spans(draft) : null;
        List<List<FirstFit.Shape>> shapes;
        if (bindingSpans) {
            shapes = new ArrayList<>();
            for (int i = 0; i < n; i++) shapes.add(spans[i] == null ? List.of() : List.of(new FirstFit.Shape(0, buffers.get(i).bytes(), spans[i][0], spans[i][1])));
        } else {
            shapes = FirstFit.shapes(draft, live);
            if (!perByte) shapes = FirstFit.wholeBuffers(draft, shapes);
        }
        long[] want = new long[n];
        for (int i = 0; i < n; i++) want[i] = fixed.get(i);
        long[] offsets = FirstFit.place(draft, shapes, want, alignment);
        if (bindingSpans) {
            // largest first is not always best when many small slices come and go: also try in order of first use
            final List<List<FirstFit.Shape>> sh = shapes;
            java.util.Comparator<Integer> byFirst = java.util.Comparator.comparingInt((Integer i) -> sh.get(i).isEmpty() ? Integer.MAX_VALUE : sh.get(i).get(0).first())
                    .thenComparingLong(i -> -buffers.get(i).bytes()).thenComparingInt(i -> i);
            long[] other = FirstFit.place(draft, shapes, want, alignment, byFirst);
            if (sramEnd(other) < sramEnd(offsets)) offsets = other;
        }
        int lastStep = Math.max(0, steps.size() - 1);
        List<Buffer> placed = new ArrayList<>();
        long sram = 0;
        for (int i = 0; i < n; i++) {
            Buffer b = buffers.get(i);
            int[] span = bindingSpans ? spans[i] : live.span(i);
            int first = span == null ? 0 : Math.min(span[0], lastStep), last = span == null ? 0 : Math.min(span[1], lastStep);
            Buffer p = new Buffer(i, b.tensor(), b.kind(), b.scratchOp(), b.scratchIndex(), b.name(), b.rawBytes(), b.bytes(), offsets[i], first, last, b.region(), b.bank());
            placed.add(p);
            if (p.bank().equals(Bank.SRAM)) sram = Math.max(sram, p.end());
        }
        List<Bank> banks = new ArrayList<>();
        banks.add(Bank.sram(BufferRequests.align(sram, alignment)));
        for (Bank b : extraBanks) banks.add(b);
        return new Plan(graph, steps, placed, banks, alignment, planner, List.of(), keepInputs);
    }

    private long sramEnd(long[] offsets) {
        long end = 0;
        for (int i = 0; i < offsets.length; i++) if (buffers.get(i).bank().equals(Bank.SRAM)) end = Math.max(end, offsets[i] + buffers.get(i).bytes());
        return end;
    }

    /** Per buffer, the steps from the first that names it to the last (see {@link #bindingSpans}); null if none. */
    private int[][] spans(Plan p) {
        int n = buffers.size(), after = steps.size();
        int[][] span = new int[n][];
        java.util.function.BiConsumer<Integer, Integer> touch = (b, st) -> {
            if (b == null || b < 0) return;
            span[b] = span[b] == null ? new int[] {st, st} : new int[] {Math.min(span[b][0], st), Math.max(span[b][1], st)};
        };
        java.util.Map<Integer, int[]> opSteps = new java.util.HashMap<>();
        for (int st = 0; st < steps.size(); st++) {
            Step s = steps.get(st);
            for (int b : s.inputs()) touch.accept(b, st);
            for (int b : s.outputs()) touch.accept(b, st);
            touch.accept(s.accumulator(), st);
            touch.accept(s.from(), st);
            touch.accept(s.to(), st);
            if (s.op() >= 0) {
                final int at = st;
                opSteps.merge(s.op(), new int[] {st, st}, (a, x) -> new int[] {Math.min(a[0], at), Math.max(a[1], at)});
            }
        }
        for (int t : graph.inputs()) {
            p.bufferOfTensor(t).ifPresent(b -> {
                touch.accept(b.id(), 0);
                if (keepInputs) touch.accept(b.id(), after);
            });
        }
        for (int t : graph.outputs()) p.bufferOfTensor(t).ifPresent(b -> touch.accept(b.id(), after));
        for (int i = 0; i < n; i++) {
            Buffer b = buffers.get(i);
            if (b.kind() == Buffer.Kind.SCRATCH && opSteps.containsKey(b.scratchOp())) span[i] = opSteps.get(b.scratchOp()).clone();
        }
        return span;
    }

    private int add(Buffer.Kind kind, int tensor, int op, int index, String name, long rawBytes, Region region) {
        int id = buffers.size();
        buffers.add(new Buffer(id, tensor, kind, op, index, name, rawBytes, BufferRequests.align(rawBytes, alignment), 0, 0, 0, region, Bank.SRAM));
        if (kind == Buffer.Kind.TENSOR) tensorBuffers.computeIfAbsent(tensor, x -> new ArrayList<>()).add(id);
        fixed.add(-1L);
        return id;
    }

    /** Scratch buffers of an operator, once, the first time it runs. */
    private PlanBuilder scratch(int op) {
        if (!opsWithScratch.add(op)) return this;
        Op o = graph.ops().get(op);
        List<Long> sizes = KernelRegistry.find(o.kind()).map(k -> k.scratchBytes(graph, o)).orElse(List.of());
        for (int i = 0; i < sizes.size(); i++) add(Buffer.Kind.SCRATCH, -1, op, i, o.kind() + "#" + op + " scratch " + i, sizes.get(i), null);
        return this;
    }

    /** Per operand, the newest buffer of its tensor holding what the step reads; -1 for constants and state. */
    private List<Integer> bindInputs(int opIndex, Region r, int[] channels) {
        Op op = graph.ops().get(opIndex);
        Kernel k = KernelRegistry.forOp(graph, opIndex);
        Region out = r != null ? r : Region.whole(graph.tensor(op.output(0)).shape());
        List<Region> need = channels == null ? k.inputRegions(graph, op, out)
                : ((io.tinyfit.kernels.PartialSums) k).inputRegions(graph, op, out, channels[0], channels[1]);
        List<Integer> bound = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            int t = op.input(i);
            int found = -1;
            if (t >= 0 && !graph.tensor(t).isConstant() && !graph.tensor(t).variable()) {
                List<Integer> mine = tensorBuffers.getOrDefault(t, List.of());
                for (int m = mine.size() - 1; m >= 0 && found < 0; m--) {
                    Buffer x = buffers.get(mine.get(m));
                    if (StepAccesses.heldRegion(graph, x).contains(need.get(i))) found = mine.get(m);
                }
            }
            bound.add(found);
        }
        return bound;
    }

    private static List<Integer> ints(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int x : a) l.add(x);
        return l;
    }
}
