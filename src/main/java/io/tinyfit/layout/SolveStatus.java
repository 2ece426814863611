package io.tinyfit.layout;

/** How an exact solve ended. */
public enum SolveStatus {
    /** The search completed: no layout with a smaller arena exists. */
    OPTIMAL,
    /** The time limit stopped the search; the layout is the best found, maybe not optimal. */
    TIME_LIMITED,
    /** The instance was not modelled (arena too large for the solver's int domains). */
    SKIPPED
}
