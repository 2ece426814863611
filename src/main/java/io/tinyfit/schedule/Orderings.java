package io.tinyfit.schedule;

import io.tinyfit.api.Optimizer;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.OverlapModel;

/** Binds the optimizer's operator-order pass to the schedule package. */
public final class Orderings {
    private Orderings() {}

    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        return search(g, layout, OverlapModel.NONE);
    }

    /**
     * The same search with DMO pairs: orders are judged by their overlap-aware placed arena. The exact scheduler
     * gets the exact layout solver's time limit ({@code --exact-seconds} bounds every exact search).
     */
    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout, OverlapModel overlaps) {
        OrderSearch.Options options = OrderSearch.Options.defaults().withOverlaps(overlaps)
                .withExactBudget(new ExactScheduler.Budget(ExactScheduler.DEFAULT_MAX_STATES, layout.exactTimeLimit()));
        OrderSearch.Result r = OrderSearch.search(g, options);
        return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
    }
}
