package io.tinyfit.plan;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory plan (DESIGN.md, "steps over regions"): the steps that run, each an operator on an output region (or a
 * copy between buffers), the buffers they use, where each buffer lives (its bank and offset), each bank's size,
 * and the DMO overlaps it declares. A plan before tiling has one whole-operator compute step per operator and one
 * buffer per tensor; {@link #ofOrder} builds it.
 *
 * @param planner   the name of the strategy that placed the buffers
 * @param overlaps  the DMO overlaps the plan declares: the only pairs of buffers allowed to share bytes while
 *                  both are live, each only at its step
 * @param keepInputs the graph inputs hold the caller's data until the inference ends (their buffers live to the
 *                  last step and nothing overlaps them); false is TFLM's rule, where their bytes are free after
 *                  their last reader
 */
public record Plan(Graph graph, List<Step> steps, List<Buffer> buffers, List<Bank> banks, int alignment, String planner,
                   List<Overlap> overlaps, boolean keepInputs) {

    public Plan {
        steps = List.copyOf(steps);
        buffers = List.copyOf(buffers);
        banks = List.copyOf(banks);
        overlaps = List.copyOf(overlaps);
        if (banks.stream().noneMatch(b -> b.name().equals(Bank.SRAM))) throw new IllegalArgumentException("a plan needs an " + Bank.SRAM + " bank");
    }

    /**
     * One whole compute step per operator of {@code order}, each reading and writing its tensors' buffers (one
     * buffer per tensor), in one SRAM arena of {@code arenaBytes}.
     */
    public static Plan ofOrder(Graph g, List<Integer> order, List<Buffer> buffers, long arenaBytes, int alignment, String planner,
                               List<Overlap> overlaps, boolean keepInputs) {
        Map<Integer, Integer> bufferOf = new HashMap<>();
        for (Buffer b : buffers) if (b.kind() == Buffer.Kind.TENSOR) bufferOf.put(b.tensor(), b.id());
        List<Step> steps = new ArrayList<>(order.size());
        for (int opIndex : order) {
            Op op = g.ops().get(opIndex);
            steps.add(Step.compute(opIndex, op.inputs().stream().map(t -> t < 0 ? -1 : bufferOf.getOrDefault(t, -1)).toList(),
                    op.outputs().stream().map(t -> bufferOf.getOrDefault(t, -1)).toList()));
        }
        return new Plan(g, steps, buffers, List.of(Bank.sram(arenaBytes)), alignment, planner, overlaps, keepInputs);
    }

    /** A whole-operator plan without overlaps, with TFLM's lifetimes. */
    public static Plan ofOrder(Graph g, List<Integer> order, List<Buffer> buffers, long arenaBytes, int alignment, String planner) {
        return ofOrder(g, order, buffers, arenaBytes, alignment, planner, List.of(), false);
    }

    public int stepCount() { return steps.size(); }

    public Step step(int s) { return steps.get(s); }

    /** The operator of each step (-1 for a copy): the operator order, for a plan of whole-operator steps. */
    public List<Integer> order() { return steps.stream().map(Step::op).toList(); }

    /** True when every step runs a whole operator once and every tensor has one buffer: a plan before tiling. */
    public boolean isWholeOperators() {
        return steps.stream().allMatch(Step::isWholeCompute) && buffers.stream().allMatch(b -> b.kind() != Buffer.Kind.ACCUMULATOR && b.region() == null)
                && banks.size() == 1;
    }

    /** The size of the SRAM arena: the figure every plan is judged by. */
    public long arenaBytes() { return bank(Bank.SRAM).bytes(); }

    public Bank bank(String name) {
        for (Bank b : banks) if (b.name().equals(name)) return b;
        throw new IllegalArgumentException("plan has no bank " + name);
    }

    /** The buffer holding tensor t whole, if it is planned (constants and variable tensors are not). */
    public Optional<Buffer> bufferOfTensor(int t) {
        for (Buffer b : buffers) if (b.isWholeTensor() && b.tensor() == t) return Optional.of(b);
        return Optional.empty();
    }

    /** The buffers holding whole tensors, by tensor. */
    public Map<Integer, Buffer> tensorBuffers() {
        Map<Integer, Buffer> m = new HashMap<>();
        for (Buffer b : buffers) if (b.isWholeTensor()) m.put(b.tensor(), b);
        return m;
    }

    /** Scratch buffers of operator {@code op}, in request order. */
    public List<Buffer> scratchOf(int op) {
        return buffers.stream().filter(b -> b.kind() == Buffer.Kind.SCRATCH && b.scratchOp() == op)
                .sorted(java.util.Comparator.comparingInt(Buffer::scratchIndex)).toList();
    }

    /** Sum of the sizes of the SRAM buffers live at step s. */
    public long liveBytes(int step) {
        long sum = 0;
        for (Buffer b : buffers) if (b.bank().equals(Bank.SRAM) && b.liveAt(step)) sum += b.bytes();
        return sum;
    }

    /** The largest {@link #liveBytes} over all steps: the working-set lower bound of this order. */
    public long peakLiveBytes() {
        long peak = 0;
        for (int s = 0; s < stepCount(); s++) peak = Math.max(peak, liveBytes(s));
        return peak;
    }

    /** The same steps with the SRAM buffers placed anew in an arena of {@code newArena}. */
    public Plan withBuffers(List<Buffer> newBuffers, long newArena, String newPlanner) {
        List<Bank> b = new ArrayList<>();
        for (Bank k : banks) b.add(k.name().equals(Bank.SRAM) ? Bank.sram(newArena) : k);
        return new Plan(graph, steps, newBuffers, b, alignment, newPlanner, overlaps, keepInputs);
    }

    public Plan withOverlaps(List<Overlap> newOverlaps) {
        return new Plan(graph, steps, buffers, banks, alignment, planner, newOverlaps, keepInputs);
    }

    public Plan withGraph(Graph newGraph) {
        return new Plan(newGraph, steps, buffers, banks, alignment, planner, overlaps, keepInputs);
    }
}
