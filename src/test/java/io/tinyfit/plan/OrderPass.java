package io.tinyfit.plan;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;

/** Test binding of the optimizer's order pass. */
final class OrderPass {
    private OrderPass() {}

    static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        return new Optimizer.Ordering(Plans.fileOrder(g), "file-order", true);
    }
}
