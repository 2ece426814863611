package io.tinyfit.arena;

import io.tinyfit.arena.ArenaEvent.TailPart;
import io.tinyfit.model.Graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predicts the whole arena TFLM needs for a model: the planned head (computed by the caller, e.g. TFLM's greedy
 * plan or an offline plan), the persistent tail and the allocation-time temporaries, by replaying
 * {@link AllocationTrace} through {@link ArenaReplay}. Reference kernels only; built from TFLM's data structures
 * and allocation code, not fitted to measurements.
 */
public final class TflmArena {
    /** A 16-aligned arena far larger than any model, where only the end-alignment-free figures are read. */
    private static final long LARGE_ARENA = 1L << 40;

    private TflmArena() {}

    /** The estimate, or empty when the model has an operator kind without an allocation model ({@link #unmodelledKinds}). */
    public static Optional<ArenaEstimate> predict(Graph g, long plannedHeadBytes, int pointerBytes) {
        return predict(g, plannedHeadBytes, pointerBytes, KernelTarget.REFERENCE);
    }

    /**
     * The estimate for a build with {@code kernels}: the caller's head must hold that library's scratch buffers
     * (see {@code plan.LibraryPlans}); the tail counts its scratch requests and the OpData it is known to add.
     * There are no golden figures for optimised libraries: the result is an estimate, labelled with the library.
     */
    public static Optional<ArenaEstimate> predict(Graph g, long plannedHeadBytes, int pointerBytes, KernelTarget kernels) {
        AllocationTrace trace = new AllocationTrace(DataModel.of(pointerBytes), kernels);
        if (!trace.unmodelled(g).isEmpty()) return Optional.empty();
        List<ArenaEvent> events = trace.of(g, plannedHeadBytes);
        ArenaReplay.Outcome big = ArenaReplay.run(events, LARGE_ARENA);
        long min = ArenaReplay.minimumArena(events);
        Map<String, Long> parts = new LinkedHashMap<>();
        for (TailPart p : TailPart.values()) parts.put(p.key(), big.tailParts().getOrDefault(p, 0L));
        return Optional.of(new ArenaEstimate(big.headBytes(), big.tailBytes(), Math.max(0, min - big.usedBytes()), pointerBytes,
                kernels.id(), min, big.usedBytes(), parts));
    }

    /** Operator kinds of the model whose TFLM allocations are not modelled (empty when all are). */
    public static List<String> unmodelledKinds(Graph g) {
        return new AllocationTrace(DataModel.ILP32).unmodelled(g);
    }
}
