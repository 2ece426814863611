package io.tinyfit.schedule;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Optimizer;

/** Binds the optimizer's operator-order pass to the schedule package. */
public final class Orderings {
    private Orderings() {}

    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout) {
        return search(g, layout, OverlapModel.NONE, false);
    }

    /**
     * The same search with DMO pairs (orders are judged by their overlap-aware placed arena) and, when
     * {@code keepInputs}, the graph inputs resident to the end.
     */
    public static Optimizer.Ordering search(Graph g, PlannerSuite.Options layout, OverlapModel overlaps, boolean keepInputs) {
        OrderSearch.Result r = OrderSearch.search(g, OrderSearch.Options.defaults().withOverlaps(overlaps).withKeepInputs(keepInputs));
        return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
    }
}
