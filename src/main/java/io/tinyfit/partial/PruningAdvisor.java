package io.tinyfit.partial;

import io.tinyfit.model.ChannelPruning;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pruning advice (co-design without retraining): when the partial-execution plan misses a budget, repeatedly take
 * the largest tensor live at the plan's peak that a prunable layer writes (whole: no slicing shrinks it), and find
 * the largest channel count of that layer (7/8, 3/4, 1/2, 1/4 or 1/8 of its channels) whose pruned graph, planned again with
 * partial execution, meets the budget; when none does, keep the count that lowers the arena most and move on to the
 * next bottleneck. The advised graph's plan is verified statically and by execution before it is reported.
 */
public final class PruningAdvisor {
    private static final int MAX_LAYERS = 6;

    private PruningAdvisor() {}

    /** The arena of the partial-execution plan of {@code g} (or TFLM's, when smaller), with the plan. */
    static Plan plan(Graph g) {
        Plan tflm = TflmBaseline.plan(g);
        Plan p = PartialPass.search(g, Plans.fileOrder(g), false, tflm.alignment(), PartialPass.MIN_WIDTH).plan();
        return p.arenaBytes() < tflm.arenaBytes() ? p : tflm;
    }

    public static PruningAdvice advise(Graph g, long budget) { return advise(g, budget, PruningAdvisor::plan); }

    /**
     * @param planner the plan of a (pruned) graph the advice is for: partial execution alone by default; the CLI
     *                passes the optimizer with the user's methods, so that the advice holds for the plan it writes
     */
    public static PruningAdvice advise(Graph g, long budget, java.util.function.Function<Graph, Plan> planner) {
        Plan start = planner.apply(g);
        List<PruningAdvice.Layer> layers = new ArrayList<>();
        if (start.arenaBytes() <= budget) return new PruningAdvice(budget, start.arenaBytes(), layers, start.arenaBytes(), true, "no pruning needed");
        Graph cur = g;
        Plan plan = start;
        List<Integer> tried = new ArrayList<>();
        while (plan.arenaBytes() > budget && layers.size() < MAX_LAYERS) {
            Optional<Integer> layer = bottleneck(cur, plan, tried);
            if (layer.isEmpty()) break;
            int op = layer.get();
            tried.add(op);
            int c = ChannelPruning.reach(cur, op).orElseThrow().channels();
            Graph best = null;
            Plan bestPlan = null;
            int bestKeep = c;
            for (int k : new int[] {7, 6, 4, 2, 1}) {
                int keep = Math.max(1, c * k / 8);
                if (keep >= c) continue;
                Graph pruned = ChannelPruning.prune(cur, op, keep);
                Plan p = planner.apply(pruned);
                boolean meets = p.arenaBytes() <= budget;
                // the largest count that meets the budget wins; until one does, the count that lowers the arena most
                if (meets || bestPlan == null || p.arenaBytes() < bestPlan.arenaBytes()) {
                    best = pruned;
                    bestPlan = p;
                    bestKeep = keep;
                }
                if (meets) break;
            }
            if (bestPlan == null || bestPlan.arenaBytes() >= plan.arenaBytes()) continue;
            layers.add(new PruningAdvice.Layer(op, cur.ops().get(op).kind(), cur.tensor(cur.ops().get(op).output(0)).label(), c, bestKeep));
            cur = best;
            plan = bestPlan;
        }
        if (layers.isEmpty()) return new PruningAdvice(budget, start.arenaBytes(), layers, -1, false, "no prunable layer at the peak lowers the arena");
        PlanVerifier.check(plan);
        ExecutionCheck.Result check = ExecutionCheck.run(plan);
        return new PruningAdvice(budget, start.arenaBytes(), layers, plan.arenaBytes(), plan.arenaBytes() <= budget && check.passed(),
                "pruned graph: " + check.describe());
    }

    /** The prunable layer writing the largest whole tensor live at the plan's peak, not tried before. */
    static Optional<Integer> bottleneck(Graph g, Plan p, List<Integer> tried) {
        long peak = p.peakLiveBytes();
        int best = -1;
        long bestBytes = -1;
        for (int st = 0; st < p.stepCount(); st++) {
            if (p.liveBytes(st) != peak) continue;
            for (Buffer b : p.buffers()) {
                if (!b.liveAt(st) || b.kind() == Buffer.Kind.SCRATCH) continue;
                int producer = producer(g, b.tensor());
                if (producer < 0 || tried.contains(producer) || ChannelPruning.reach(g, producer).isEmpty()) continue;
                if (b.bytes() > bestBytes) {
                    bestBytes = b.bytes();
                    best = producer;
                }
            }
        }
        if (best >= 0) return Optional.of(best);
        // nothing prunable at the peak writes its own tensor: the channel-local chain may lead back to a layer
        for (int st = 0; st < p.stepCount(); st++) {
            if (p.liveBytes(st) != peak) continue;
            for (Buffer b : p.buffers()) {
                if (!b.liveAt(st) || b.kind() == Buffer.Kind.SCRATCH) continue;
                for (int op = 0; op < g.ops().size(); op++) {
                    if (tried.contains(op)) continue;
                    Optional<ChannelPruning.Reach> r = ChannelPruning.reach(g, op);
                    if (r.isPresent() && r.get().local().stream().anyMatch(l -> g.ops().get(l).output(0) == b.tensor())) return Optional.of(op);
                }
            }
        }
        return Optional.empty();
    }

    private static int producer(Graph g, int t) {
        if (t < 0) return -1;
        for (int i = 0; i < g.ops().size(); i++) if (g.ops().get(i).outputs().contains(t)) return i;
        return -1;
    }
}
