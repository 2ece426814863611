package io.tinyfit.plan;

import io.tinyfit.arena.KernelTarget;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The planned head of a TFLM build whose kernels come from another library ({@link KernelTarget}): the same
 * tensors, but that library's scratch buffers, which TFLM's greedy planner fits in with the rest. For the file
 * tinyfit writes, the offline plan fixes every tensor's offset and TFLM places only the scratch buffers around them
 * ({@code GreedyMemoryPlanner} with offline-planned buffers), so the head is that placement's size.
 */
public final class LibraryPlans {
    private LibraryPlans() {}

    /** TFLM's own plan of {@code g} with {@code kernels}' scratch buffers (honouring an offline plan the file carries). */
    public static Plan baseline(Graph g, KernelTarget kernels) {
        List<Integer> order = Plans.fileOrder(g);
        Map<Integer, Long> offline = OfflineMemoryAllocation.read(g).orElse(Map.of());
        return TflmBaseline.withFixedTensors(g, order, BufferRequests.of(g, order, false, kernels::scratchBytes), offline,
                TflmBaseline.NAME + (offline.isEmpty() ? "" : TflmBaseline.OFFLINE_PLAN), false);
    }

    /**
     * The head TFLM plans for the file of {@code plan} (its tensors at the plan's offsets, in the plan's order) when
     * built with {@code kernels}: the scratch buffers are fitted around the fixed tensors, with TFLM's own lifetimes.
     * Meaningful for plans of whole tensors (the ones a {@code .tflite} can carry).
     */
    public static long head(Plan plan, KernelTarget kernels) {
        // a plan over regions, partial sums or banks runs on tinyfit's own C kernels, not on the library's
        if (!stockShape(plan)) return plan.arenaBytes();
        Map<Integer, Long> offsets = new HashMap<>();
        for (Buffer b : plan.buffers()) if (b.kind() == Buffer.Kind.TENSOR && b.region() == null) offsets.put(b.tensor(), b.offset());
        Graph g = plan.graph();
        List<Integer> order = plan.order();
        return TflmBaseline.withFixedTensors(g, order, BufferRequests.of(g, order, false, kernels::scratchBytes), offsets, TflmBaseline.NAME, false)
                .arenaBytes();
    }

    /** Whole tensors and scratch buffers in one bank, whole-operator steps: what a {@code .tflite} offline plan expresses. */
    public static boolean stockShape(Plan plan) {
        if (plan.banks().size() > 1) return false;
        for (Buffer b : plan.buffers()) {
            if (b.kind() == Buffer.Kind.SCRATCH) continue;
            if (!b.isWholeTensor()) return false;
        }
        return true;
    }
}
