package io.tinyfit.plan;

import io.tinyfit.layout.PlannerSuite;

/**
 * One optimisation technique as a step of the pipeline: it rewrites a plan (its operator order, its overlaps, later
 * its tiles and banks) and re-places it, never returning a plan with a larger arena than the one it was given.
 * The optimizer runs the selected passes in ascending {@link #rank}, checks every plan a pass returns with the
 * static verifier, and asks each pass at the end to explain what it did for the report.
 *
 * <p>A new technique is one class implementing this interface plus one line in the registry.
 */
public interface Pass {
    /** Ranks of today's passes: rewrites of the steps first, placement of the buffers last. */
    int RANK_ORDER = 100;
    int RANK_PLACEMENT = 800;
    int RANK_OVERLAP = 900;

    /**
     * What a pass's plans may cost when they run, cheapest first. The plan search tries the cheaper passes alone
     * before adding dearer ones, so that with a budget it stops at the cheapest plan that meets it: deployability
     * first (stock TFLM before tinyfit's generated runtime), then MAC overhead, then transfer time. The figures the
     * search ranks by are measured on each plan; this only orders the tries.
     */
    enum Cost {
        /** Changes nothing at run time: any TFLM build, any kernel library (operator order, offsets). */
        FREE,
        /** Stock TFLM, but only with kernels whose access order was proven (DMO overlaps: TFLM's reference kernels). */
        KERNEL_ORDER,
        /** Recomputes some multiply-accumulates (tiles with halos). */
        MAC_OVERHEAD,
        /** Moves bytes between memory banks (spilling). */
        TRANSFER,
        /** Needs steps stock TFLM cannot express: runs only as tinyfit's generated C. */
        TINYFIT_RUNTIME
    }

    /** The name users select the pass by ({@code --methods}). */
    String name();

    /** Position in the pipeline, whatever order the user lists the methods in. */
    int rank();

    /** What the pass's plans may cost at run time (see {@link Cost}); a pass that says nothing costs nothing. */
    default Cost cost() { return Cost.FREE; }

    /**
     * Publishes, once and before any pass runs, analyses other passes use (DMO's overlap pairs make the order
     * search overlap-aware).
     */
    default void prepare(PassContext ctx) {}

    /** The rewritten and re-placed plan, at most as large as {@code plan}. */
    Outcome apply(Plan plan, PassContext ctx);

    /**
     * What the pass did, for the report, given the plan the optimizer finally chose (which may come from a later
     * pass, or be TFLM's own plan when nothing was gained). Null when there is nothing to say.
     */
    default Object explain(Plan chosen, PassContext ctx) { return null; }

    /**
     * @param plan      the pass's plan
     * @param placement the placement run that produced it, when the pass placed the buffers itself (the report's
     *                  lower bound comes from it); null otherwise
     */
    record Outcome(Plan plan, PlannerSuite.Result placement) {
        public static Outcome unchanged(Plan plan) { return new Outcome(plan, null); }
    }
}
