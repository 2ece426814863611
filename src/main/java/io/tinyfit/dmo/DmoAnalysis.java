package io.tinyfit.dmo;

import io.tinyfit.kernels.InPlace;
import io.tinyfit.layout.Alignment;
import io.tinyfit.layout.OverlapAllowance;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.verify.TraceMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DMO candidates of a model in a given operator order: for every step, every (arena input, output) pair of
 * its operator, the sizes, the safe delta by each method, and whether the pair may overlap at all
 * ({@link Legality}). Traces depend only on the operator, not on the order, so they are cached per operator and
 * reused across the orders a search tries.
 */
public final class DmoAnalysis {
    /** Granularity of the black-box search in bytes: single bytes, so it compares directly with the trace. */
    public static final int SEARCH_GRANULARITY = 1;

    private final Map<Key, TraceMethod.Trace> traces = new ConcurrentHashMap<>();
    private final boolean keepInputs;
    private final io.tinyfit.arena.KernelTarget kernels;

    /** Graph inputs are ordinary activations, free after their last reader, as in TFLM. */
    public DmoAnalysis() {
        this(false);
    }

    /** @param keepInputs graph inputs stay intact until the inference ends, so nothing may overlap them */
    public DmoAnalysis(boolean keepInputs) {
        this(keepInputs, io.tinyfit.arena.KernelTarget.REFERENCE);
    }

    /**
     * @param kernels the kernel library the plan is for: at an operator it replaces, the access order is the
     *                library's, which tinyfit has not proven, so every pair there is refused with that reason
     */
    public DmoAnalysis(boolean keepInputs, io.tinyfit.arena.KernelTarget kernels) {
        this.keepInputs = keepInputs;
        this.kernels = kernels;
    }

    private record Key(Op op, int inputIndex, int outputIndex) {}

    /**
     * One input/output pair at one step.
     *
     * @param analytical closed-form bound, null when the kernel kind has no kernel at all
     * @param trace      traced bound, null when the trace could not run (the kernel refused the operator)
     * @param search     black-box bound, null when not searched
     * @param refusal    why the pair may not overlap, null when it may
     */
    public record Candidate(int step, int opIndex, String kind, int inputIndex, int outputIndex, int inputTensor,
                            int outputTensor, long inputBytes, long outputBytes, AnalyticalMethod.Bound analytical,
                            Long trace, Long search, String refusal) {
        public boolean legal() { return refusal == null; }

        public boolean alias() { return InPlace.mayAlias(kind); }

        /** The delta a plan uses: 0 for an alias, else the traced bound. */
        public long plannedDelta() { return alias() ? 0 : trace; }

        /** Bytes the pair can share once offsets are aligned, at the planned delta. */
        public long shareableBytes(int alignment) {
            if (!legal()) return 0;
            return OverlapAllowance.maxSharedBytes(Alignment.alignUp(outputBytes, alignment), Alignment.alignUp(inputBytes, alignment),
                    plannedDelta(), alignment);
        }

        public Candidate withSearch(Long s) {
            return new Candidate(step, opIndex, kind, inputIndex, outputIndex, inputTensor, outputTensor, inputBytes,
                    outputBytes, analytical, trace, s, refusal);
        }
    }

    /** Every candidate pair of the order, with analytical and traced bounds (no search). */
    public List<Candidate> candidates(Graph g, List<Integer> order) {
        List<Candidate> out = new ArrayList<>();
        for (int s = 0; s < order.size(); s++) {
            int opIndex = order.get(s);
            Op op = g.ops().get(opIndex);
            for (int[] io : operandPairs(g, op)) {
                int i = io[0];
                int o = io[1];
                Tensor x = g.tensor(op.input(i));
                String refusal = Legality.refusal(g, order, s, i, o, keepInputs);
                if (refusal == null && kernels.dmoOff(g, op)) refusal = kernels.dmoOffReason(op);
                boolean noKernel = KernelRegistry.find(op.kind()).isEmpty();
                TraceMethod.Trace tr = x.variable() || noKernel ? null : trace(g, opIndex, i, o);
                if (refusal == null && tr == null) refusal = "the kernel could not be traced on this operator";
                out.add(new Candidate(s, opIndex, op.kind(), i, o, op.input(i), op.output(o), x.bytes(), g.tensor(op.output(o)).bytes(),
                        AnalyticalMethod.of(g, opIndex, i, o), tr == null ? null : tr.minDeltaBytes(), null, refusal));
            }
        }
        return out;
    }

    /** The candidate with the black-box bound filled in. */
    public static Candidate searched(Graph g, Candidate c) {
        if (c.trace() == null) return c;
        return c.withSearch(SearchMethod.minDelta(g, c.opIndex(), c.inputIndex(), c.outputIndex(), SEARCH_GRANULARITY));
    }

    /** Pairs that pass the order-independent rules, with their planned delta, for overlap-aware order search. */
    public OverlapModel overlapModel(Graph g) {
        List<List<OverlapModel.Pair>> perOp = new ArrayList<>();
        for (int opIndex = 0; opIndex < g.ops().size(); opIndex++) {
            Op op = g.ops().get(opIndex);
            List<OverlapModel.Pair> pairs = new ArrayList<>();
            for (int[] io : operandPairs(g, op)) {
                int i = io[0];
                int o = io[1];
                if (Legality.structuralRefusal(g, opIndex, i, o, keepInputs) != null || kernels.dmoOff(g, op)) continue;
                if (InPlace.mayAlias(op.kind())) {
                    pairs.add(new OverlapModel.Pair(op.input(i), op.output(o), 0));
                    continue;
                }
                TraceMethod.Trace tr = trace(g, opIndex, i, o);
                if (tr != null) pairs.add(new OverlapModel.Pair(op.input(i), op.output(o), tr.minDeltaBytes()));
            }
            perOp.add(List.copyOf(pairs));
        }
        return perOp::get;
    }

    /**
     * The {input position, output position} pairs of an operator that could ever overlap: one per distinct
     * non-constant, non-empty input tensor, times every non-empty output.
     */
    private static List<int[]> operandPairs(Graph g, Op op) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            int t = op.input(i);
            if (t < 0 || op.inputs().indexOf(t) != i) continue;
            Tensor x = g.tensor(t);
            if (x.isConstant() || x.bytes() == 0) continue;
            for (int o = 0; o < op.outputs().size(); o++) if (g.tensor(op.output(o)).bytes() > 0) out.add(new int[] {i, o});
        }
        return out;
    }

    private TraceMethod.Trace trace(Graph g, int opIndex, int inputIndex, int outputIndex) {
        Key k = new Key(g.ops().get(opIndex), inputIndex, outputIndex);
        TraceMethod.Trace cached = traces.get(k);
        if (cached != null) return cached;
        try {
            TraceMethod.Trace t = TraceMethod.of(g, opIndex, inputIndex, outputIndex);
            traces.put(k, t);
            return t;
        } catch (RuntimeException e) {
            return null; // the kernel refuses this operator (it would fail in the interpreter too)
        }
    }
}
