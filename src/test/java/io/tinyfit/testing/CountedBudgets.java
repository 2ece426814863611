package io.tinyfit.testing;

import io.tinyfit.api.Optimizer;
import io.tinyfit.layout.IteratedLocalSearch;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.schedule.ExactScheduler;
import io.tinyfit.schedule.OrderSearch;

import java.time.Duration;

/**
 * Planner budgets that end by count, never by time (no exact layout solver, an iteration-bound local search, a
 * state-bound order search), so that figures tests pin do not depend on the machine's speed or load.
 */
public final class CountedBudgets {
    public static final PlannerSuite.Options LAYOUT = new PlannerSuite.Options(2_000, Duration.ofHours(1), IteratedLocalSearch.DEFAULT_SEED, Duration.ZERO);

    private CountedBudgets() {}

    public static Optimizer.OrderSearch orderSearch() {
        return (g, layout, overlaps) -> {
            OrderSearch.Result r = OrderSearch.search(g, OrderSearch.Options.defaults()
                    .withExactBudget(new ExactScheduler.Budget(ExactScheduler.DEFAULT_MAX_STATES, Duration.ofHours(1))).withOverlaps(overlaps));
            return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
        };
    }
}
