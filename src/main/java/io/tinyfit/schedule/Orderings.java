package io.tinyfit.schedule;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Optimizer;

/** Binds the optimizer's operator-order pass to the schedule package. */
public final class Orderings {
    private Orderings() {}

    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        OrderSearch.Result r = OrderSearch.search(g);
        return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
    }

    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout, OverlapModel overlaps) {
        return search(g, layout);
    }
}
