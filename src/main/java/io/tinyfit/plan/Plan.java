package io.tinyfit.plan;

import io.tinyfit.model.Graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory plan: which operator runs at each step, where each buffer lives in one arena, and the arena size.
 *
 * @param order     operator indices (into the graph's operator list) in execution order; step s runs order[s]
 * @param planner   the name of the strategy that placed the buffers
 * @param overlaps  the DMO overlaps the plan declares: the only pairs of buffers allowed to share bytes while
 *                  both are live, each only at its step
 * @param keepInputs the graph inputs hold the caller's data until the inference ends (their buffers live to the
 *                  last step and nothing overlaps them); false is TFLM's rule, where their bytes are free after
 *                  their last reader
 */
public record Plan(Graph graph, List<Integer> order, List<Buffer> buffers, long arenaBytes, int alignment, String planner,
                   List<Overlap> overlaps, boolean keepInputs) {

    public Plan {
        order = List.copyOf(order);
        buffers = List.copyOf(buffers);
        overlaps = List.copyOf(overlaps);
    }

    /** A plan without overlaps, with TFLM's lifetimes. */
    public Plan(Graph graph, List<Integer> order, List<Buffer> buffers, long arenaBytes, int alignment, String planner) {
        this(graph, order, buffers, arenaBytes, alignment, planner, List.of(), false);
    }

    public int steps() { return order.size(); }

    /** The buffer holding tensor t, if it is planned (constants and variable tensors are not). */
    public Optional<Buffer> bufferOfTensor(int t) {
        for (Buffer b : buffers) if (b.tensor() == t) return Optional.of(b);
        return Optional.empty();
    }

    public Map<Integer, Buffer> tensorBuffers() {
        Map<Integer, Buffer> m = new HashMap<>();
        for (Buffer b : buffers) if (b.kind() == Buffer.Kind.TENSOR) m.put(b.tensor(), b);
        return m;
    }

    /** Scratch buffers of operator {@code op}, in request order. */
    public List<Buffer> scratchOf(int op) {
        return buffers.stream().filter(b -> b.kind() == Buffer.Kind.SCRATCH && b.scratchOp() == op)
                .sorted(java.util.Comparator.comparingInt(Buffer::scratchIndex)).toList();
    }

    /** Sum of buffer sizes live at step s. */
    public long liveBytes(int step) {
        long sum = 0;
        for (Buffer b : buffers) if (b.liveAt(step)) sum += b.bytes();
        return sum;
    }

    /** The largest {@link #liveBytes} over all steps: the working-set lower bound of this order. */
    public long peakLiveBytes() {
        long peak = 0;
        for (int s = 0; s < steps(); s++) peak = Math.max(peak, liveBytes(s));
        return peak;
    }

    public Plan withBuffers(List<Buffer> newBuffers, long newArena, String newPlanner) {
        return new Plan(graph, order, newBuffers, newArena, alignment, newPlanner, overlaps, keepInputs);
    }

    public Plan withOverlaps(List<Overlap> newOverlaps) {
        return new Plan(graph, order, buffers, arenaBytes, alignment, planner, newOverlaps, keepInputs);
    }

    public Plan withGraph(Graph newGraph) {
        return new Plan(newGraph, order, buffers, arenaBytes, alignment, planner, overlaps, keepInputs);
    }
}
