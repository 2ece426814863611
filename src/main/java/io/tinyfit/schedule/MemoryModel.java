package io.tinyfit.schedule;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.layout.OverlapAllowance;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.OverlapModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The working-set arithmetic of {@link io.tinyfit.plan.BufferRequests}, precomputed per operator so that a
 * search can evaluate "what is live while op o runs after the set E" in O(inputs + outputs) instead of
 * rebuilding every lifetime. It encodes the same TFLM rules:
 * <ul>
 *   <li>planned tensors: not constant, not variable, non-zero size; sizes rounded up to the alignment;</li>
 *   <li>a tensor is live from its producer's step (graph inputs from time 0) to its last consumer's step, and to
 *       the end when it is a graph output, or a graph input the plan keeps for the caller; an output nobody reads
 *       lives only during its producer's step;</li>
 *   <li>an operator's scratch buffers live only during its step.</li>
 * </ul>
 * So the bytes live while op o runs are: the resident set of E (tensors already produced that some unexecuted
 * operator still reads, or that are graph outputs) plus o's outputs plus o's scratch. Tests check that this
 * agrees with {@link Liveness}, which is computed from {@code BufferRequests} itself.
 *
 * <p>With an {@link OverlapModel}, o's step also gets back the bytes its overlap pairs can share: a pair counts
 * when o is the last reader of its input (which is then no graph output), sharing
 * {@code min(size(out) - alignUp(minDelta), size(in))} clipped at 0, which {@code OverlapAllowance.maxSharedBytes} computes for
 * both. Each input and each output joins at most one pair per step, largest saving first, so one output is never
 * credited twice for sharing with two inputs. Whether o is the last reader depends only on E, so the exact
 * search stays exact. Tests check that this agrees with {@code LowerBound.overlapAware} of the order's layout
 * problem whenever the pairs of an operator use distinct tensors.
 */
final class MemoryModel {
    private static final int[] NO_TENSORS = {};
    private static final long[] NO_BYTES = {};

    final int opCount;
    /** Aligned planned size per tensor, 0 for unplanned tensors. */
    final long[] size;
    /** Distinct consumer operators of each planned tensor. */
    final int[] consumerCount;
    /** Graph outputs, and graph inputs when they are kept: resident until the end, never an overlap's input. */
    final boolean[] keptToEnd;
    /** Distinct planned input tensors per op. */
    final int[][] inputs;
    /** Distinct planned output tensors per op. */
    final int[][] outputs;
    /** Sum of the op's aligned output sizes plus its aligned scratch buffers: what the step adds on top. */
    final long[] stepExtra;
    /** Bytes resident before any operator runs (consumed or output graph inputs). */
    final long initialResident;
    /** Bytes live at TFLM time 0: every planned graph input, consumed or not. */
    final long timeZeroBytes;
    /** Per op, its usable overlap pairs (input tensor, output tensor, delta, saving), largest saving first. */
    final int[][] pairInput;
    final int[][] pairOutput;
    final long[][] pairDelta;
    final long[][] pairSaving;
    /** Whether any op has a usable pair at all. */
    final boolean anyPairs;

    MemoryModel(Graph g, int alignment) {
        this(g, alignment, OverlapModel.NONE);
    }

    MemoryModel(Graph g, int alignment, OverlapModel overlaps) {
        this(g, alignment, overlaps, false);
    }

    /** @param keepInputs graph inputs stay resident to the end, as {@code BufferRequests.of(g, order, true)} has it */
    MemoryModel(Graph g, int alignment, OverlapModel overlaps, boolean keepInputs) {
        List<Op> ops = g.ops();
        opCount = ops.size();
        int tensorCount = g.tensors().size();
        size = new long[tensorCount];
        for (int t = 0; t < tensorCount; t++) {
            Tensor x = g.tensor(t);
            if (!x.isConstant() && !x.variable() && x.bytes() > 0) size[t] = BufferRequests.align(x.bytes(), alignment);
        }
        consumerCount = new int[tensorCount];
        inputs = new int[opCount][];
        outputs = new int[opCount][];
        stepExtra = new long[opCount];
        for (int i = 0; i < opCount; i++) {
            Op op = ops.get(i);
            inputs[i] = planned(op.inputs());
            outputs[i] = planned(op.outputs());
            for (int t : inputs[i]) consumerCount[t]++;
            long extra = 0;
            for (int t : outputs[i]) extra += size[t];
            List<Long> scratch = KernelRegistry.find(op.kind()).map(k -> k.scratchBytes(g, op)).orElse(List.of());
            for (long s : scratch) extra += BufferRequests.align(s, alignment);
            stepExtra[i] = extra;
        }
        keptToEnd = new boolean[tensorCount];
        for (int t : g.outputs()) if (t >= 0) keptToEnd[t] = true;
        if (keepInputs) for (int t : g.inputs()) if (t >= 0) keptToEnd[t] = true;
        long resident = 0;
        long timeZero = 0;
        for (int t : new LinkedHashSet<>(g.inputs())) {
            if (t < 0 || size[t] == 0) continue;
            timeZero += size[t];
            if (consumerCount[t] > 0 || keptToEnd[t]) resident += size[t];
        }
        initialResident = resident;
        timeZeroBytes = timeZero;
        pairInput = new int[opCount][];
        pairOutput = new int[opCount][];
        pairDelta = new long[opCount][];
        pairSaving = new long[opCount][];
        boolean any = false;
        for (int i = 0; i < opCount; i++) {
            usablePairs(i, overlaps.pairs(i), alignment);
            any |= pairInput[i].length > 0;
        }
        anyPairs = any;
    }

    /**
     * Keeps the pairs that can ever save bytes: the op reads the input and writes the output (a tensor it both
     * reads and writes is updated in place, which is no pair of two buffers), the input is no graph output
     * nor kept input (it must survive the op), and the delta leaves something to share. Sorted by saving, largest first (stable), which is the greedy order of {@link State#sharedBytes}.
     */
    private void usablePairs(int op, List<OverlapModel.Pair> pairs, int alignment) {
        if (pairs.isEmpty()) {
            // the common case, and the whole model without DMO: no per-op allocation
            pairInput[op] = NO_TENSORS;
            pairOutput[op] = NO_TENSORS;
            pairDelta[op] = NO_BYTES;
            pairSaving[op] = NO_BYTES;
            return;
        }
        record Usable(int in, int out, long delta, long saving) {}
        List<Usable> kept = new ArrayList<>();
        for (OverlapModel.Pair p : pairs) {
            int in = p.inputTensor();
            int out = p.outputTensor();
            if (!contains(inputs[op], in) || !contains(outputs[op], out)) continue;
            if (contains(outputs[op], in) || contains(inputs[op], out) || keptToEnd[in]) continue;
            long saving = OverlapAllowance.maxSharedBytes(size[out], size[in], p.minDeltaBytes(), alignment);
            if (saving > 0) kept.add(new Usable(in, out, p.minDeltaBytes(), saving));
        }
        kept.sort(Comparator.comparingLong(Usable::saving).reversed());
        pairInput[op] = kept.stream().mapToInt(Usable::in).toArray();
        pairOutput[op] = kept.stream().mapToInt(Usable::out).toArray();
        pairDelta[op] = kept.stream().mapToLong(Usable::delta).toArray();
        pairSaving[op] = kept.stream().mapToLong(Usable::saving).toArray();
    }

    private static boolean contains(int[] ids, int t) {
        for (int x : ids) if (x == t) return true;
        return false;
    }

    private int[] planned(List<Integer> ids) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int t : ids) if (t >= 0 && size[t] > 0) s.add(t);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Mutable execution state (executed ops, remaining readers per tensor, resident bytes) with an undo log,
     * so depth-first searches can step forward and back without copying.
     */
    final class State {
        final boolean[] executed = new boolean[opCount];
        final int[] remainingReaders = consumerCount.clone();
        long resident = initialResident;
        int executedCount;
        private long[] undoResident = new long[16];
        private int undoTop;
        // per-tensor marks of the pairs already credited in the current step, valid while equal to stamp
        private int[] usedAsInput;
        private int[] usedAsOutput;
        private int stamp;

        /** Bytes live while {@code op} runs in the current state, less what its overlap pairs share. */
        long stepBytes(int op) {
            // one predictable branch on a field keeps the search's hot path as it was without DMO
            return anyPairs ? resident + stepExtra[op] - sharedBytes(op) : resident + stepExtra[op];
        }

        /** Bytes {@code op}'s pairs share if it ran now: those whose input it reads last, greedily. */
        long sharedBytes(int op) {
            if (pairInput[op].length == 0) return 0;
            if (usedAsInput == null || stamp == Integer.MAX_VALUE) {
                usedAsInput = new int[size.length];
                usedAsOutput = new int[size.length];
                stamp = 0;
            }
            stamp++;
            int[] in = pairInput[op];
            int[] out = pairOutput[op];
            long shared = 0;
            for (int k = 0; k < in.length; k++) {
                if (remainingReaders[in[k]] != 1 || usedAsInput[in[k]] == stamp || usedAsOutput[out[k]] == stamp) {
                    continue;
                }
                usedAsInput[in[k]] = stamp;
                usedAsOutput[out[k]] = stamp;
                shared += pairSaving[op][k];
            }
            return shared;
        }

        /** Bytes the resident set changes by when {@code op} runs: outputs kept minus inputs released. */
        long residentDelta(int op) {
            long d = 0;
            for (int t : outputs[op]) if (consumerCount[t] > 0 || keptToEnd[t]) d += size[t];
            for (int t : inputs[op]) if (remainingReaders[t] == 1 && !keptToEnd[t]) d -= size[t];
            return d;
        }

        /** Runs {@code op}; returns the bytes live during its step. */
        long apply(int op) {
            long step = stepBytes(op);
            if (undoTop == undoResident.length) undoResident = Arrays.copyOf(undoResident, undoTop * 2);
            undoResident[undoTop++] = resident;
            for (int t : outputs[op]) if (consumerCount[t] > 0 || keptToEnd[t]) resident += size[t];
            for (int t : inputs[op]) {
                if (--remainingReaders[t] == 0 && !keptToEnd[t]) resident -= size[t];
            }
            executed[op] = true;
            executedCount++;
            return step;
        }

        /** Reverts the most recent {@link #apply}, which must have been for {@code op}. */
        void undo(int op) {
            for (int t : inputs[op]) remainingReaders[t]++;
            executed[op] = false;
            executedCount--;
            resident = undoResident[--undoTop];
        }
    }

    /** Peak of an order under this model: the same number {@link Liveness#peak()} reports. */
    long peakOf(List<Integer> order) {
        State s = new State();
        long peak = timeZeroBytes;
        for (int op : order) peak = Math.max(peak, s.apply(op));
        return peak;
    }
}
