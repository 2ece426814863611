package io.tinyfit.schedule;

import io.tinyfit.layout.GreedyByConflicts;
import io.tinyfit.layout.GreedyBySizeBestFit;
import io.tinyfit.layout.Layout;
import io.tinyfit.layout.LayoutChecker;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.LowerBound;
import io.tinyfit.layout.MemoryPlanner;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.layout.TflmGreedyDmoPlanner;
import io.tinyfit.layout.TflmGreedyPlanner;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.Placement;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Picks the operator order whose <em>placed</em> arena is smallest. Candidates are file order, the exact
 * scheduler's two optimal orders (when it finishes within budget) and the {@link HeuristicScheduler} orders;
 * each is laid out by several planners and judged by the resulting arena. The working-set peak alone is not
 * enough: two orders with the same peak can leave buffers with lifetimes that pack differently, and a slightly
 * higher peak can pack tighter, so the search measures what a deployment would actually allocate.
 *
 * <pre>{@code
 * OrderSearch.Result r = OrderSearch.search(graph);
 * r.order();                 // the operator order to run
 * r.arenaBytes();            // its placed arena
 * r.workingSetLowerBound();  // no layout of that order can be smaller
 * Plan plan = r.plan(graph); // buffers with offsets, ready for PlanVerifier / the interpreter
 * }</pre>
 *
 * Since file order laid out by TFLM's own planner is always a candidate, the result is never worse than the
 * stock TFLM arena. Everything is deterministic: ties go to the smaller working set, then to the earlier
 * candidate (file order first), then to the earlier planner (TFLM's greedy first, since stock TFLM reproduces
 * it without an offline plan).
 */
public final class OrderSearch {

    public static final String FILE_ORDER = "file";
    public static final String EXACT = "exact";
    public static final String EXACT_FILE_TIES = "exact-file-ties";

    private OrderSearch() {
    }

    /**
     * @param exactBudget budget of {@link ExactScheduler}
     * @param suite       when non-null, each candidate is placed by the whole {@link PlannerSuite} with these
     *                    options (slower, seconds per candidate); when null by the greedy planners only
     * @param alignment   buffer alignment (TFLM: 16)
     * @param overlaps    DMO pairs: the schedulers credit them and each candidate's layout problem allows them
     *                    wherever the order makes the pair's operator the last reader of its input
     * @param keepInputs  the graph inputs stay live to the end of the inference (kept for the caller), so every
     *                    order is judged with them resident; false is TFLM's rule (free after their last reader)
     */
    public record Options(ExactScheduler.Budget exactBudget, PlannerSuite.Options suite, int alignment,
                          OverlapModel overlaps, boolean keepInputs) {
        public Options {
            java.util.Objects.requireNonNull(overlaps, "overlaps (use OverlapModel.NONE)");
        }

        /** Options without overlap pairs, graph inputs free after their last reader. */
        public Options(ExactScheduler.Budget exactBudget, PlannerSuite.Options suite, int alignment) {
            this(exactBudget, suite, alignment, OverlapModel.NONE, false);
        }

        public static Options defaults() {
            return new Options(ExactScheduler.Budget.defaults(), null, TflmBaseline.TFLM_ALIGNMENT);
        }

        public Options withExactBudget(ExactScheduler.Budget budget) {
            return new Options(budget, suite, alignment, overlaps, keepInputs);
        }

        public Options withSuite(PlannerSuite.Options suiteOptions) {
            return new Options(exactBudget, suiteOptions, alignment, overlaps, keepInputs);
        }

        public Options withOverlaps(OverlapModel overlapModel) {
            return new Options(exactBudget, suite, alignment, overlapModel, keepInputs);
        }

        public Options withKeepInputs(boolean keep) {
            return new Options(exactBudget, suite, alignment, overlaps, keep);
        }
    }

    /**
     * One evaluated order.
     *
     * @param scheduler which schedulers produced this order, joined by {@code +} when several agree
     * @param liveness  its working set
     * @param planner   the planner whose layout was smallest
     * @param layout    that layout (offsets by buffer, buffers in {@link BufferRequests} order)
     * @param arenaBytes that layout's arena
     * @param tflmArenaBytes the arena TFLM's own greedy planner gives this order
     * @param overlapLowerBound no layout of this order's problem, overlap allowances included, is smaller
     *                  ({@link LowerBound#overlapAware}); the working-set peak when there are no allowances
     */
    public record Candidate(String scheduler, List<Integer> order, Liveness liveness, String planner, Layout layout,
                            long arenaBytes, long tflmArenaBytes, long overlapLowerBound) {
        public Candidate {
            order = List.copyOf(order);
        }

        /** A candidate laid out without overlap allowances, whose bound is its working-set peak. */
        public Candidate(String scheduler, List<Integer> order, Liveness liveness, String planner, Layout layout,
                         long arenaBytes, long tflmArenaBytes) {
            this(scheduler, order, liveness, planner, layout, arenaBytes, tflmArenaBytes, liveness.peak());
        }

        /**
         * The candidate as a plan of the graph it was computed for. {@link io.tinyfit.plan.Plan} has no notion of
         * overlap allowances, so a layout that used them does not pass {@link io.tinyfit.verify.PlanVerifier}.
         */
        public Plan plan(Graph g) {
            List<BufferRequests.Request> requests = BufferRequests.of(g, order, liveness.keepInputs());
            long[] offsets = new long[requests.size()];
            for (int i = 0; i < offsets.length; i++) offsets[i] = layout.offset(i);
            return Plans.of(g, order, requests, offsets, arenaBytes, liveness.alignment(), planner, liveness.keepInputs());
        }
    }

    /**
     * @param best       the winning candidate
     * @param fileOrder  file order's candidate, for comparison
     * @param exact      what the exact scheduler did
     * @param candidates every distinct candidate order, in evaluation order (file order first)
     * @param elapsed    wall time of the whole search
     */
    public record Result(Candidate best, Candidate fileOrder, ExactScheduler.Result exact, List<Candidate> candidates,
                         Duration elapsed) {
        public Result {
            candidates = List.copyOf(candidates);
        }

        public List<Integer> order() {
            return best.order();
        }

        public long arenaBytes() {
            return best.arenaBytes();
        }

        public Liveness liveness() {
            return best.liveness();
        }

        /**
         * Peak working set of the best order: without overlap allowances no layout of that order fits in less
         * (with them, {@link #overlapLowerBound()} is the bound).
         */
        public long workingSetLowerBound() {
            return best.liveness().peak();
        }

        /** No layout of the best order fits in less, overlap allowances included. */
        public long overlapLowerBound() {
            return best.overlapLowerBound();
        }

        /**
         * Least peak working set over all orders (less what overlap pairs share, when there are any), when the
         * exact search proved it; else -1.
         */
        public long minPeakOverAllOrders() {
            return exact.status() == ExactScheduler.Status.OPTIMAL ? exact.peak() : -1;
        }

        public String scheduler() {
            return best.scheduler();
        }

        public String planner() {
            return best.planner();
        }

        public boolean exactCompleted() {
            return exact.status().completed();
        }

        public Plan plan(Graph g) {
            return best.plan(g);
        }
    }

    public static Result search(Graph g) {
        return search(g, Options.defaults());
    }

    public static Result search(Graph g, Options options) {
        long started = System.nanoTime();
        // insertion order = evaluation order = tie-break order; equal orders merge their labels
        Map<List<Integer>, String> orders = new LinkedHashMap<>();
        orders.put(Plans.fileOrder(g), FILE_ORDER);
        ExactScheduler.Result exact =
                ExactScheduler.schedule(g, options.exactBudget(), options.alignment(), options.overlaps(), options.keepInputs());
        if (exact.status().completed()) {
            String suffix = exact.status() == ExactScheduler.Status.OPTIMAL ? "" : "-chains";
            orders.merge(exact.order(), EXACT + suffix, OrderSearch::join);
            orders.merge(exact.fileTiesOrder(), EXACT_FILE_TIES + suffix, OrderSearch::join);
        }
        for (HeuristicScheduler.Strategy s : HeuristicScheduler.Strategy.values()) {
            orders.merge(HeuristicScheduler.schedule(g, s, options.alignment(), options.overlaps(), options.keepInputs()), s.label(),
                    OrderSearch::join);
        }
        List<Candidate> candidates = new ArrayList<>();
        Candidate best = null;
        for (Map.Entry<List<Integer>, String> e : orders.entrySet()) {
            Candidate c = evaluate(g, e.getKey(), e.getValue(), options);
            candidates.add(c);
            if (best == null || c.arenaBytes() < best.arenaBytes()
                    || (c.arenaBytes() == best.arenaBytes() && c.overlapLowerBound() < best.overlapLowerBound())) {
                best = c;
            }
        }
        return new Result(best, candidates.get(0), exact, candidates, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String join(String a, String b) {
        return a + "+" + b;
    }

    /** Places one order with every planner and keeps the smallest valid layout. */
    public static Candidate evaluate(Graph g, List<Integer> order, String scheduler, Options options) {
        OpDag.of(g).requireTopologicalOrder(order);
        Liveness liveness = Liveness.of(g, order, options.alignment(), options.keepInputs());
        LayoutProblem problem = problem(g, order, options.alignment(), options.overlaps(), options.keepInputs());
        long bound = LowerBound.overlapAware(problem);
        if (options.suite() != null) {
            PlannerSuite.Result r = PlannerSuite.run(problem, options.suite());
            return new Candidate(scheduler, order, liveness, r.bestStrategy(), r.best(), r.best().arenaSize(),
                    r.tflmArenaSize(), bound);
        }
        List<IntFunction<MemoryPlanner>> planners = problem.allowances().isEmpty()
                // without allowances tflm-greedy+dmo places exactly like tflm-greedy: not worth a second run
                ? List.of(TflmGreedyPlanner::new, GreedyBySizeBestFit::new, GreedyByConflicts::new)
                : List.of(TflmGreedyPlanner::new, TflmGreedyDmoPlanner::new, GreedyBySizeBestFit::new,
                        GreedyByConflicts::new);
        Layout best = null;
        long tflm = -1;
        for (IntFunction<MemoryPlanner> factory : planners) {
            MemoryPlanner planner = problem.feedInto(factory.apply(options.alignment()));
            Layout layout = planner.layout();
            if (planner instanceof TflmGreedyPlanner) tflm = layout.arenaSize();
            if (!LayoutChecker.check(problem, layout).valid()) continue;
            if (best == null || layout.arenaSize() < best.arenaSize()) best = layout;
        }
        if (best == null) throw new IllegalStateException(g.source() + ": no planner produced a valid layout");
        return new Candidate(scheduler, order, liveness, best.strategy(), best, best.arenaSize(), tflm, bound);
    }

    /** The layout problem of an order: {@link BufferRequests} at TFLM times, exactly as TFLM's planner sees it. */
    public static LayoutProblem problem(Graph g, List<Integer> order, int alignment) {
        return problem(g, order, alignment, OverlapModel.NONE);
    }

    /**
     * The layout problem of an order with the overlap allowances it makes legal: one per pair whose operator is
     * the last reader of the input in {@code order}, between the two tensors' buffers (positions in
     * {@link BufferRequests#of}). Pairs are filtered exactly as {@link MemoryModel} credits them, so its peak and
     * {@link LowerBound#overlapAware} of this problem describe the same sharing.
     */
    public static LayoutProblem problem(Graph g, List<Integer> order, int alignment, OverlapModel overlaps) {
        return problem(g, order, alignment, overlaps, false);
    }

    /** The same with the graph inputs live to the end when {@code keepInputs}. */
    public static LayoutProblem problem(Graph g, List<Integer> order, int alignment, OverlapModel overlaps, boolean keepInputs) {
        List<Placement.Allowance> allowances = new ArrayList<>();
        if (overlaps != OverlapModel.NONE) {
            MemoryModel model = new MemoryModel(g, alignment, overlaps, keepInputs);
            MemoryModel.State state = model.new State();
            for (int op : order) {
                // remainingReaders == 1 before the op runs: it is the input's last reader in this order
                for (int k = 0; k < model.pairInput[op].length; k++) {
                    int in = model.pairInput[op][k];
                    if (state.remainingReaders[in] == 1) allowances.add(new Placement.Allowance(in, model.pairOutput[op][k], model.pairDelta[op][k]));
                }
                state.apply(op);
            }
        }
        return Placement.of(BufferRequests.of(g, order, keepInputs), alignment, List.of(), allowances).problem();
    }
}
