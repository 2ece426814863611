package io.tinyfit.plan;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.schedule.OrderSearch;

/** The optimizer's order pass as the CLI binds it: the schedule package's order search. */
final class OrderPass {
    private OrderPass() {}

    static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        OrderSearch.Result r = OrderSearch.search(g);
        return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
    }
}
