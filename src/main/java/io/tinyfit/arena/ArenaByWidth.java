package io.tinyfit.arena;

import io.tinyfit.model.Graph;

import java.util.Optional;

/**
 * The whole-arena estimate of one model for both pointer widths (null where the model has an operator without an
 * allocation model).
 */
public record ArenaByWidth(ArenaEstimate bits32, ArenaEstimate bits64) {
    public static ArenaByWidth of(Graph g, long plannedHeadBytes) {
        return new ArenaByWidth(TflmArena.predict(g, plannedHeadBytes, 4).orElse(null), TflmArena.predict(g, plannedHeadBytes, 8).orElse(null));
    }

    /** Both widths for a build with {@code kernels}; {@code plannedHeadBytes} must hold that library's scratch buffers. */
    public static ArenaByWidth of(Graph g, long plannedHeadBytes, KernelTarget kernels) {
        return new ArenaByWidth(TflmArena.predict(g, plannedHeadBytes, 4, kernels).orElse(null), TflmArena.predict(g, plannedHeadBytes, 8, kernels).orElse(null));
    }

    /** The kernel library the figures are for ({@code reference} when there are none). */
    public String kernels() {
        return bits32 != null ? bits32.kernels() : bits64 != null ? bits64.kernels() : ArenaEstimate.REFERENCE_KERNELS;
    }

    public Optional<ArenaEstimate> forPointerBytes(int pointerBytes) {
        DataModel.of(pointerBytes);
        return Optional.ofNullable(pointerBytes == 4 ? bits32 : bits64);
    }
}
