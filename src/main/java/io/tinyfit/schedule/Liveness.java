package io.tinyfit.schedule;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.TflmBaseline;

import java.util.List;

/**
 * The working set an operator order implies: for every step, the total (aligned) size of the arena buffers live
 * during it, taken from {@link BufferRequests} so TFLM's lifetime rules and kernel scratch buffers count exactly
 * as the planners see them. The peak is a lower bound on any layout of that order (no two live buffers may
 * share a byte without an overlap allowance), which is why order search minimises it first.
 *
 * @param order        operator indices in execution order
 * @param stepBytes    bytes live while step s runs (operator {@code order.get(s)})
 * @param inputBytes   bytes live before the first operator (TFLM time 0: the graph inputs)
 * @param peak         the largest of {@code inputBytes} and every step's bytes
 * @param peakStep     the first step reaching the peak, -1 when the graph inputs alone already do
 * @param alignment    the alignment sizes were rounded up to
 * @param keepInputs   the graph inputs were counted live to the end (kept for the caller), not to their last reader
 */
public record Liveness(List<Integer> order, List<Long> stepBytes, long inputBytes, long peak, int peakStep,
                       int alignment, boolean keepInputs) {

    public Liveness {
        order = List.copyOf(order);
        stepBytes = List.copyOf(stepBytes);
    }

    /** The working set with TFLM's 16-byte alignment. */
    public static Liveness of(Graph g, List<Integer> order) {
        return of(g, order, TflmBaseline.TFLM_ALIGNMENT);
    }

    public static Liveness of(Graph g, List<Integer> order, int alignment) {
        return of(g, order, alignment, false);
    }

    public static Liveness of(Graph g, List<Integer> order, int alignment, boolean keepInputs) {
        int n = order.size();
        // difference array over TFLM times 0..n (time t = step t - 1, time 0 = before the first operator)
        long[] delta = new long[n + 2];
        for (BufferRequests.Request r : BufferRequests.of(g, order, keepInputs)) {
            long bytes = BufferRequests.align(r.rawBytes(), alignment);
            delta[r.firstTime()] += bytes;
            delta[r.lastTime() + 1] -= bytes;
        }
        long live = delta[0];
        long inputs = live;
        long peak = inputs;
        int peakStep = -1;
        Long[] steps = new Long[n];
        for (int time = 1; time <= n; time++) {
            live += delta[time];
            steps[time - 1] = live;
            if (live > peak) {
                peak = live;
                peakStep = time - 1;
            }
        }
        return new Liveness(order, List.of(steps), inputs, peak, peakStep, alignment, keepInputs);
    }
}
