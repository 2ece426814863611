package io.tinyfit.schedule;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.BufferRequests;

import java.util.Arrays;
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
 *       the end when it is a graph output; an output nobody reads lives only during its producer's step;</li>
 *   <li>an operator's scratch buffers live only during its step.</li>
 * </ul>
 * So the bytes live while op o runs are: the resident set of E (tensors already produced that some unexecuted
 * operator still reads, or that are graph outputs) plus o's outputs plus o's scratch. Tests check that this
 * agrees with {@link Liveness}, which is computed from {@code BufferRequests} itself.
 */
final class MemoryModel {
    final int opCount;
    /** Aligned planned size per tensor, 0 for unplanned tensors. */
    final long[] size;
    /** Distinct consumer operators of each planned tensor. */
    final int[] consumerCount;
    final boolean[] graphOutput;
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

    MemoryModel(Graph g, int alignment) {
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
        graphOutput = new boolean[tensorCount];
        for (int t : g.outputs()) if (t >= 0) graphOutput[t] = true;
        long resident = 0;
        long timeZero = 0;
        for (int t : new LinkedHashSet<>(g.inputs())) {
            if (t < 0 || size[t] == 0) continue;
            timeZero += size[t];
            if (consumerCount[t] > 0 || graphOutput[t]) resident += size[t];
        }
        initialResident = resident;
        timeZeroBytes = timeZero;
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

        /** Bytes live while {@code op} runs in the current state. */
        long stepBytes(int op) {
            return resident + stepExtra[op];
        }

        /** Bytes the resident set changes by when {@code op} runs: outputs kept minus inputs released. */
        long residentDelta(int op) {
            long d = 0;
            for (int t : outputs[op]) if (consumerCount[t] > 0 || graphOutput[t]) d += size[t];
            for (int t : inputs[op]) if (remainingReaders[t] == 1 && !graphOutput[t]) d -= size[t];
            return d;
        }

        /** Runs {@code op}; returns the bytes live during its step. */
        long apply(int op) {
            long step = stepBytes(op);
            if (undoTop == undoResident.length) undoResident = Arrays.copyOf(undoResident, undoTop * 2);
            undoResident[undoTop++] = resident;
            for (int t : outputs[op]) if (consumerCount[t] > 0 || graphOutput[t]) resident += size[t];
            for (int t : inputs[op]) {
                if (--remainingReaders[t] == 0 && !graphOutput[t]) resident -= size[t];
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
