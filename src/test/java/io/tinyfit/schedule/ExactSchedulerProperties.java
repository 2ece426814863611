package io.tinyfit.schedule;

import io.tinyfit.layout.LowerBound;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Random small DAGs: the exact scheduler against brute force over every topological order. */
class ExactSchedulerProperties {

    @Property(tries = 300)
    void exactPeakEqualsBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int ops) {
        Graph g = TinyGraphs.random(new Random(seed), ops);
        OpDag dag = OpDag.of(g);
        MemoryModel model = new MemoryModel(g, 16);
        long bruteForce = Long.MAX_VALUE;
        for (List<Integer> order : allTopologicalOrders(dag)) {
            long peak = Liveness.of(g, order).peak();
            // the search's incremental arithmetic must agree with BufferRequests on every order, not just the best
            assertThat(model.peakOf(order)).as("model vs liveness for %s", order).isEqualTo(peak);
            bruteForce = Math.min(bruteForce, peak);
        }
        ExactScheduler.Result r = ExactScheduler.schedule(g);
        assertThat(r.status()).isEqualTo(ExactScheduler.Status.OPTIMAL);
        assertThat(r.peak()).isEqualTo(bruteForce);
        for (List<Integer> order : List.of(r.order(), r.fileTiesOrder())) {
            assertThat(dag.isTopologicalOrder(order)).as("topological: %s", order).isTrue();
            assertThat(Liveness.of(g, order).peak()).isEqualTo(bruteForce);
        }
        if (Liveness.of(g, Plans.fileOrder(g)).peak() == bruteForce) {
            // file order is optimal, so preferring file order on ties must give it back unchanged
            assertThat(r.fileTiesOrder()).isEqualTo(Plans.fileOrder(g));
        }
    }

    @Property(tries = 150)
    void chainTierIsValidAndNeverBelowOptimum(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int ops) {
        Graph g = TinyGraphs.random(new Random(seed), ops);
        OpDag dag = OpDag.of(g);
        long optimum = ExactScheduler.schedule(g).peak();
        // a budget of one state forces the first tier out; the chain tier may or may not fit in one state either
        ExactScheduler.Result r = ExactScheduler.schedule(g, new ExactScheduler.Budget(1, java.time.Duration.ofSeconds(5)));
        if (r.status() == ExactScheduler.Status.OPTIMAL_CONTIGUOUS_CHAINS) {
            assertThat(dag.isTopologicalOrder(r.order())).isTrue();
            assertThat(r.peak()).isGreaterThanOrEqualTo(optimum).isEqualTo(Liveness.of(g, r.order()).peak());
            int[][] chains = ExactScheduler.chains(dag);
            for (int[] chain : chains) {
                int at = r.order().indexOf(chain[0]);
                for (int k = 1; k < chain.length; k++) assertThat(r.order().get(at + k)).isEqualTo(chain[k]);
            }
        } else if (r.status() == ExactScheduler.Status.BUDGET_EXCEEDED) {
            assertThat(r.order()).isEmpty();
        }
    }

    @Property(tries = 200)
    void everyOrderSearchCandidateIsValidAndBestIsNeverWorseThanTflm(@ForAll long seed,
                                                                    @ForAll @IntRange(min = 1, max = 12) int ops,
                                                                    @ForAll boolean tinyBudget) {
        Graph g = TinyGraphs.random(new Random(seed), ops);
        OpDag dag = OpDag.of(g);
        OrderSearch.Options options = OrderSearch.Options.defaults();
        if (tinyBudget) options = options.withExactBudget(new ExactScheduler.Budget(1, java.time.Duration.ofSeconds(1)));
        OrderSearch.Result r = OrderSearch.search(g, options);
        for (OrderSearch.Candidate c : r.candidates()) {
            assertThat(dag.isTopologicalOrder(c.order())).as("%s: %s", c.scheduler(), c.order()).isTrue();
            assertThat(c.arenaBytes()).isGreaterThanOrEqualTo(c.liveness().peak());
            assertThat(r.arenaBytes()).isLessThanOrEqualTo(c.arenaBytes());
        }
        for (HeuristicScheduler.Strategy s : HeuristicScheduler.Strategy.values()) {
            assertThat(dag.isTopologicalOrder(HeuristicScheduler.schedule(g, s))).as(s.label()).isTrue();
        }
        assertThat(r.fileOrder().tflmArenaBytes()).isEqualTo(TflmBaseline.plan(g).arenaBytes());
        assertThat(r.arenaBytes()).isLessThanOrEqualTo(TflmBaseline.plan(g).arenaBytes());
        assertThat(r.workingSetLowerBound())
                .isEqualTo(LowerBound.of(OrderSearch.problem(g, r.order(), 16)))
                .isLessThanOrEqualTo(r.arenaBytes());
        if (r.exact().status() == ExactScheduler.Status.OPTIMAL) {
            assertThat(r.minPeakOverAllOrders()).isLessThanOrEqualTo(r.workingSetLowerBound());
        }
        assertThat(r.plan(g).arenaBytes()).isEqualTo(r.arenaBytes());
    }

    static List<List<Integer>> allTopologicalOrders(OpDag dag) {
        List<List<Integer>> out = new ArrayList<>();
        extend(dag, new ArrayList<>(), new boolean[dag.size()], out);
        return out;
    }

    private static void extend(OpDag dag, List<Integer> prefix, boolean[] done, List<List<Integer>> out) {
        if (prefix.size() == dag.size()) {
            out.add(List.copyOf(prefix));
            return;
        }
        for (int op = 0; op < dag.size(); op++) {
            if (done[op]) continue;
            boolean ready = true;
            for (int p : dag.predecessors(op)) ready &= done[p];
            if (!ready) continue;
            done[op] = true;
            prefix.add(op);
            extend(dag, prefix, done, out);
            prefix.remove(prefix.size() - 1);
            done[op] = false;
        }
    }
}
