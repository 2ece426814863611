package io.tinyfit.cli;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.plan.Plans;

/** Binds the optimizer's operator-order pass to the schedule package. */
final class Orderings {
    private Orderings() {}

    static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        return new Optimizer.Ordering(Plans.fileOrder(g), "file-order", true);
    }
}
