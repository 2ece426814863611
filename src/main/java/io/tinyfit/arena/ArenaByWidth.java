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

    public Optional<ArenaEstimate> forPointerBytes(int pointerBytes) {
        DataModel.of(pointerBytes);
        return Optional.ofNullable(pointerBytes == 4 ? bits32 : bits64);
    }
}
