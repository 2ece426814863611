package io.tinyfit.targets;

import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;

import java.util.Optional;

/**
 * Whether a plan fits a budget. The figure judged is the whole arena TFLM needs ({@code kTensorArenaSize}: planned
 * head, persistent tail, allocation-time temporaries) for the budget's pointer width; for a model TFLM refuses
 * (uint8 or hybrid operators) there is no TFLM arena, and the plan's own arena, what tinyfit's runtime needs, is
 * judged instead.
 *
 * @param neededBytes the figure judged
 */
public record FitVerdict(Budget budget, long neededBytes, Basis basis) {

    /** Which figure was judged. */
    public enum Basis {
        TFLM_ARENA("tflm_arena", "the whole arena TFLM needs (kTensorArenaSize)"),
        TINYFIT_RUNTIME("tinyfit_runtime", "the plan's arena on tinyfit's runtime: TFLM refuses this model, so it has no TFLM arena");

        /** The JSON value of {@code judged_on}. */
        public final String key;
        public final String description;

        Basis(String key, String description) {
            this.key = key;
            this.description = description;
        }
    }

    public boolean fits() { return neededBytes <= budget.bytes(); }

    /** Bytes over the budget: positive when it does not fit, else the headroom as a negative number. */
    public long gapBytes() { return neededBytes - budget.bytes(); }

    /** The gap as a share of the budget, in percent (one decimal). */
    public double gapPct() { return Math.round(1000.0 * gapBytes() / budget.bytes()) / 10.0; }

    /**
     * Why a budget cannot be judged for this model, if it cannot: TFLM runs it but an operator's allocations are not
     * modelled, so there is no whole-arena figure. Asked before any long work starts.
     */
    public static Optional<String> unjudgeable(Graph g) {
        if (TflmSupport.refusal(g).isPresent()) return Optional.empty();
        var kinds = TflmArena.unmodelledKinds(g);
        return kinds.isEmpty() ? Optional.empty()
                : Optional.of(g.source() + ": cannot judge a budget: the whole TFLM arena is not predicted (no TFLM allocation model for " + String.join(", ", kinds) + ")");
    }

    /**
     * The verdict on a plan of {@code g}: its whole TFLM arena ({@code arena}, for the budget's pointer width), or
     * {@code planArenaBytes} when TFLM refuses the model.
     */
    public static FitVerdict judge(Budget budget, Graph g, ArenaByWidth arena, long planArenaBytes) {
        if (TflmSupport.refusal(g).isPresent()) return new FitVerdict(budget, planArenaBytes, Basis.TINYFIT_RUNTIME);
        ArenaEstimate e = arena.forPointerBytes(budget.pointerBytes())
                .orElseThrow(() -> new TinyfitException(unjudgeable(g).orElse(g.source() + ": cannot judge a budget: no whole-arena figure")));
        return new FitVerdict(budget, e.predictedMinBytes(), Basis.TFLM_ARENA);
    }
}
