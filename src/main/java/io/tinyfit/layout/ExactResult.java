package io.tinyfit.layout;

import java.time.Duration;

/**
 * Outcome of {@link ExactChocoPlanner#solve}.
 *
 * @param layout      best layout: the solver's if it improved on the incumbent, else the incumbent
 * @param status      whether {@code layout} is proven optimal
 * @param incumbent   arena size of the starting layout the solver had to beat
 * @param lowerBound  lower bound the arena was compared to ({@link LowerBound#chainAware})
 * @param improvements number of strictly better layouts the solver found
 * @param elapsed     wall time spent in the solver
 */
public record ExactResult(Layout layout, SolveStatus status, long incumbent, long lowerBound,
                          int improvements, Duration elapsed) {

    public boolean optimal() {
        return status == SolveStatus.OPTIMAL;
    }
}
