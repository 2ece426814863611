package io.tinyfit.schedule;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code reorder}: the memory-minimising operator order ({@link OrderSearch}), overlap-aware when another pass
 * shared DMO's pairs ({@link OverlapModel}). The reordered model is placed by TFLM's own greedy planner, which is
 * what stock TFLM does with it; a placement pass may improve on that. The written model carries the operators in
 * the new order, so the plan's graph is reordered and its order is the identity.
 */
public final class ReorderPass implements Pass {
    public static final String NAME = "reorder";

    private final ExactScheduler.Budget budget;
    private Ordering ordering;

    /** @param budget the exact scheduler's budget (the rest of the search is bounded by count) */
    public ReorderPass(ExactScheduler.Budget budget) { this.budget = budget; }

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK_ORDER; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        Graph g = plan.graph();
        OrderSearch.Options options = OrderSearch.Options.defaults().withExactBudget(budget)
                .withOverlaps(ctx.shared(OverlapModel.class).orElse(OverlapModel.NONE)).withKeepInputs(plan.keepInputs());
        OrderSearch.Result r = OrderSearch.search(g, options);
        ordering = new Ordering(r.order(), r.scheduler(), r.exactCompleted());
        if (r.order().equals(plan.order())) return Outcome.unchanged(plan);
        Graph reordered = reorder(g, r.order());
        List<Integer> identity = Plans.fileOrder(reordered);
        // planned afresh: offsets a file carries belong to its own order, not to this one
        return Outcome.unchanged(plan.keepInputs() ? TflmBaseline.keepingInputs(reordered, identity) : TflmBaseline.online(reordered, identity));
    }

    /** The order the search chose (with the original operator indices), whichever plan was finally kept. */
    @Override public Ordering explain(Plan chosen, PassContext ctx) { return ordering; }

    /** The graph with its main operators in the given order. */
    public static Graph reorder(Graph g, List<Integer> order) {
        List<Op> ops = new ArrayList<>();
        for (int i : order) ops.add(g.ops().get(i));
        return g.withOps(ops);
    }
}
