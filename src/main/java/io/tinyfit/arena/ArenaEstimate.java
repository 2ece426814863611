package io.tinyfit.arena;

import java.util.Map;

/**
 * The whole TFLM arena a model needs ({@code kTensorArenaSize}) for one pointer width and kernel library.
 *
 * @param headBytes         the planned head (activations and scratch buffers)
 * @param tailBytes         the persistent tail with the arena's end 16-byte aligned (TFLM's
 *                          {@code arena_used_bytes} less the head)
 * @param tempBytes         how far {@code AllocateTensors()}'s temporaries (temp TfLiteTensors during Prepare, the
 *                          AllocationInfo array and the planner's scratch) push the minimum above head plus tail;
 *                          0 when they fit inside
 * @param predictedMinBytes the smallest arena for which {@code AllocateTensors()} succeeds (arena start 16-byte
 *                          aligned); up to 15 bytes below head plus tail when the arena's end need not be aligned
 * @param usedBytes         head plus tail: what {@code MicroInterpreter::arena_used_bytes()} reports
 * @param tailParts         the tail by content (keys of {@link ArenaEvent.TailPart}), padding included
 */
public record ArenaEstimate(long headBytes, long tailBytes, long tempBytes, int pointerBytes, String kernels,
                            long predictedMinBytes, long usedBytes, Map<String, Long> tailParts) {
    /** The only kernel library modelled: TFLM's reference kernels (optimised libraries allocate differently). */
    public static final String REFERENCE_KERNELS = "reference";

    public ArenaEstimate {
        tailParts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tailParts));
    }
}
