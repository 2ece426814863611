package io.tinyfit.testing;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.layout.IteratedLocalSearch;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.schedule.ExactScheduler;

import java.time.Duration;
import java.util.Set;

/**
 * Planner budgets that end by count, never by time (no exact layout solver, an iteration-bound local search, a
 * state-bound order search), so that figures tests pin do not depend on the machine's speed or load.
 */
public final class CountedBudgets {
    public static final PlannerSuite.Options LAYOUT = new PlannerSuite.Options(2_000, Duration.ofHours(1), IteratedLocalSearch.DEFAULT_SEED, Duration.ZERO);
    public static final ExactScheduler.Budget ORDER = new ExactScheduler.Budget(ExactScheduler.DEFAULT_MAX_STATES, Duration.ofHours(1));

    private CountedBudgets() {}

    /** Optimizer options for these methods with counted budgets (DMO's black-box search on the peak steps). */
    public static OptimizeOptions options(Set<String> methods) {
        return new OptimizeOptions(methods, LAYOUT, ORDER, DmoSummary.Search.PEAK, false);
    }
}
