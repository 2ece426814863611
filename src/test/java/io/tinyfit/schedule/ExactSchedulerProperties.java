package io.tinyfit.schedule;

import io.tinyfit.layout.LayoutChecker;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.LowerBound;
import io.tinyfit.layout.OverlapAllowance;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Random small DAGs: the exact scheduler against brute force over every topological order. */
class ExactSchedulerProperties {

    @Property(tries = 300)
    void exactPeakEqualsBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int ops) {
        Graph g = TinyGraphs.random(new Random(seed), ops);
        for (List<Integer> order : allTopologicalOrders(OpDag.of(g))) {
            // the search's incremental arithmetic must agree with BufferRequests on every order, not just the best
            assertThat(new MemoryModel(g, 16).peakOf(order)).as("model vs liveness for %s", order)
                    .isEqualTo(Liveness.of(g, order).peak());
        }
        assertExactMatchesBruteForce(g, OverlapModel.NONE, order -> Liveness.of(g, order).peak());
    }

    /**
     * With pairs that use each tensor once per operator, the model's peak of every order is exactly the
     * overlap-aware lower bound of that order's layout problem (computed from BufferRequests, not the model), and
     * the exact scheduler finds the least of them.
     */
    @Property(tries = 300)
    void withOverlapsTheModelIsTheOverlapAwareBoundAndExactMatchesBruteForce(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int ops) {
        Random rnd = new Random(seed);
        Graph g = TinyGraphs.random(rnd, ops);
        OverlapModel overlaps = randomPairs(g, rnd, true);
        MemoryModel model = new MemoryModel(g, 16, overlaps);
        boolean credited = false;
        for (List<Integer> order : allTopologicalOrders(OpDag.of(g))) {
            LayoutProblem problem = OrderSearch.problem(g, order, 16, overlaps);
            assertThat(model.peakOf(order)).as("model vs bound for %s", order)
                    .isEqualTo(LowerBound.overlapAware(problem));
            assertOnlyLastReadersOverlap(problem);
            credited |= model.peakOf(order) < Liveness.of(g, order).peak();
        }
        Statistics.label("some order saves bytes").collect(credited);
        Statistics.label("some order saves bytes").coverage(c -> c.check(true).percentage(p -> p > 15));
        assertExactMatchesBruteForce(g, overlaps,
                order -> LowerBound.overlapAware(OrderSearch.problem(g, order, 16, overlaps)));
    }

    /**
     * With arbitrary pairs (one output offered several inputs, duplicates, tensors the op does not touch) the
     * model credits one pair per tensor and step, so it never undercuts the lower bound (which subtracts every
     * pair) nor exceeds the plain working set; the exact scheduler still finds the least model peak.
     */
    @Property(tries = 200)
    void withArbitraryPairsTheModelStaysBetweenTheBoundAndTheWorkingSet(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int ops) {
        Random rnd = new Random(seed);
        Graph g = TinyGraphs.random(rnd, ops);
        OverlapModel overlaps = randomPairs(g, rnd, false);
        MemoryModel model = new MemoryModel(g, 16, overlaps);
        for (List<Integer> order : allTopologicalOrders(OpDag.of(g))) {
            LayoutProblem problem = OrderSearch.problem(g, order, 16, overlaps);
            assertThat(model.peakOf(order)).as("%s", order)
                    .isGreaterThanOrEqualTo(LowerBound.overlapAware(problem))
                    .isLessThanOrEqualTo(Liveness.of(g, order).peak());
            assertOnlyLastReadersOverlap(problem);
        }
        assertExactMatchesBruteForce(g, overlaps, model::peakOf);
    }

    /**
     * Graph inputs kept for the caller: on every order the model keeps them resident to the end exactly as
     * BufferRequests does, is still the overlap-aware bound, never lets a pair overlap a kept input, and the exact
     * scheduler finds the least peak.
     */
    @Property(tries = 200)
    void keptInputsStayResidentInTheModelTheBoundAndTheExactSearch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int ops) {
        Random rnd = new Random(seed);
        Graph g = TinyGraphs.random(rnd, ops);
        OverlapModel overlaps = randomPairs(g, rnd, true);
        MemoryModel model = new MemoryModel(g, 16, overlaps, true);
        MemoryModel plain = new MemoryModel(g, 16, OverlapModel.NONE, true);
        for (List<Integer> order : allTopologicalOrders(OpDag.of(g))) {
            assertThat(plain.peakOf(order)).as("model vs liveness for %s", order).isEqualTo(Liveness.of(g, order, 16, true).peak());
            LayoutProblem problem = OrderSearch.problem(g, order, 16, overlaps, true);
            assertThat(model.peakOf(order)).as("model vs bound for %s", order).isEqualTo(LowerBound.overlapAware(problem));
            List<BufferRequests.Request> requests = BufferRequests.of(g, order, true);
            for (OverlapAllowance a : problem.allowances()) {
                assertThat(g.inputs()).as("%s overlaps a kept input", a).doesNotContain(requests.get(a.input()).tensor());
            }
        }
        assertExactMatchesBruteForce(g, overlaps, true, model::peakOf);
    }

    private static void assertExactMatchesBruteForce(Graph g, OverlapModel overlaps,
                                                     ToLongFunction<List<Integer>> peakOf) {
        assertExactMatchesBruteForce(g, overlaps, false, peakOf);
    }

    private static void assertExactMatchesBruteForce(Graph g, OverlapModel overlaps, boolean keepInputs,
                                                     ToLongFunction<List<Integer>> peakOf) {
        OpDag dag = OpDag.of(g);
        long bruteForce = Long.MAX_VALUE;
        for (List<Integer> order : allTopologicalOrders(dag)) bruteForce = Math.min(bruteForce, peakOf.applyAsLong(order));
        ExactScheduler.Result r = ExactScheduler.schedule(g, ExactScheduler.Budget.defaults(), 16, overlaps, keepInputs);
        assertThat(r.status()).isEqualTo(ExactScheduler.Status.OPTIMAL);
        assertThat(r.peak()).isEqualTo(bruteForce);
        for (List<Integer> order : List.of(r.order(), r.fileTiesOrder())) {
            assertThat(dag.isTopologicalOrder(order)).as("topological: %s", order).isTrue();
            assertThat(peakOf.applyAsLong(order)).isEqualTo(bruteForce);
        }
        if (peakOf.applyAsLong(Plans.fileOrder(g)) == bruteForce) {
            // file order is optimal, so preferring file order on ties must give it back unchanged
            assertThat(r.fileTiesOrder()).isEqualTo(Plans.fileOrder(g));
        }
    }

    /**
     * An allowance is only legal where its operator reads the input last: then the input's buffer ends at the
     * very time the output's begins (TFLM times), and never a step later.
     */
    private static void assertOnlyLastReadersOverlap(LayoutProblem problem) {
        for (OverlapAllowance a : problem.allowances()) {
            assertThat(problem.buffer(a.input()).lastStep()).as("%s", a)
                    .isEqualTo(problem.buffer(a.output()).firstStep());
        }
    }

    /**
     * Random DMO pairs of a graph: per operator, some (input, output) combinations with deltas from 0 to a bit
     * over the output's size. {@code distinct} uses each input and output at most once per operator; otherwise
     * pairs may repeat, share tensors, or name tensors the operator does not touch.
     */
    static OverlapModel randomPairs(Graph g, Random rnd, boolean distinct) {
        Map<Integer, List<OverlapModel.Pair>> byOp = new HashMap<>();
        for (int op = 0; op < g.ops().size(); op++) {
            List<OverlapModel.Pair> pairs = new ArrayList<>();
            Set<Integer> usedIn = new HashSet<>();
            Set<Integer> usedOut = new HashSet<>();
            for (int in : g.ops().get(op).inputs()) {
                for (int out : g.ops().get(op).outputs()) {
                    if (in < 0 || rnd.nextInt(3) == 0) continue;
                    if (distinct && (usedIn.contains(in) || usedOut.contains(out))) continue;
                    usedIn.add(in);
                    usedOut.add(out);
                    pairs.add(new OverlapModel.Pair(in, out, rnd.nextInt((int) g.tensor(out).bytes() + 17)));
                }
            }
            if (!distinct && rnd.nextBoolean()) {
                int stranger = rnd.nextInt(g.tensors().size());
                pairs.add(new OverlapModel.Pair(stranger, g.ops().get(op).outputs().get(0), 0));
            }
            byOp.put(op, List.copyOf(pairs));
        }
        return op -> byOp.getOrDefault(op, List.of());
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
                                                                    @ForAll boolean tinyBudget,
                                                                    @ForAll boolean withOverlaps) {
        Random rnd = new Random(seed);
        Graph g = TinyGraphs.random(rnd, ops);
        OverlapModel overlaps = withOverlaps ? randomPairs(g, rnd, false) : OverlapModel.NONE;
        OpDag dag = OpDag.of(g);
        OrderSearch.Options options = OrderSearch.Options.defaults().withOverlaps(overlaps);
        if (tinyBudget) options = options.withExactBudget(new ExactScheduler.Budget(1, java.time.Duration.ofSeconds(1)));
        OrderSearch.Result r = OrderSearch.search(g, options);
        for (OrderSearch.Candidate c : r.candidates()) {
            assertThat(dag.isTopologicalOrder(c.order())).as("%s: %s", c.scheduler(), c.order()).isTrue();
            LayoutProblem problem = OrderSearch.problem(g, c.order(), 16, overlaps);
            assertThat(LayoutChecker.check(problem, c.layout()).valid()).as(c.planner()).isTrue();
            assertThat(c.overlapLowerBound()).isEqualTo(LowerBound.overlapAware(problem));
            assertThat(c.arenaBytes()).isGreaterThanOrEqualTo(c.overlapLowerBound());
            if (!withOverlaps) assertThat(c.overlapLowerBound()).isEqualTo(c.liveness().peak());
            assertThat(r.arenaBytes()).isLessThanOrEqualTo(c.arenaBytes());
        }
        for (HeuristicScheduler.Strategy s : HeuristicScheduler.Strategy.values()) {
            assertThat(dag.isTopologicalOrder(HeuristicScheduler.schedule(g, s, 16, overlaps))).as(s.label()).isTrue();
        }
        assertThat(r.fileOrder().tflmArenaBytes()).isEqualTo(TflmBaseline.plan(g).arenaBytes());
        assertThat(r.arenaBytes()).isLessThanOrEqualTo(TflmBaseline.plan(g).arenaBytes());
        assertThat(r.workingSetLowerBound()).isEqualTo(LowerBound.of(OrderSearch.problem(g, r.order(), 16)));
        assertThat(r.overlapLowerBound())
                .isEqualTo(LowerBound.overlapAware(OrderSearch.problem(g, r.order(), 16, overlaps)))
                .isLessThanOrEqualTo(r.arenaBytes());
        // shared bytes make the plain working set no bound for an overlapping layout
        if (!withOverlaps) assertThat(r.workingSetLowerBound()).isLessThanOrEqualTo(r.arenaBytes());
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
