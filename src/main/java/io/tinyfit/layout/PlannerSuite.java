package io.tinyfit.layout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs every strategy on one problem and keeps the best valid layout: TFLM's greedy planner
 * (the baseline a stock TFLM build gets), the same greedy with overlap allowances, the two greedy
 * heuristics, iterated local search, and finally the exact solver warm-started from the best of
 * them. Every layout is checked by {@link LayoutChecker}; an invalid one is reported and never
 * chosen.
 */
public final class PlannerSuite {

    private PlannerSuite() {
    }

    /**
     * @param localSearchIterations iteration budget of {@link IteratedLocalSearch}
     * @param localSearchBudget     time budget of {@link IteratedLocalSearch}
     * @param seed                  local search seed
     * @param exactTimeLimit        time limit of {@link ExactChocoPlanner}; zero skips it
     */
    public record Options(int localSearchIterations, Duration localSearchBudget, long seed, Duration exactTimeLimit) {

        public static Options defaults() {
            return new Options(IteratedLocalSearch.DEFAULT_MAX_ITERATIONS, IteratedLocalSearch.DEFAULT_TIME_BUDGET,
                    IteratedLocalSearch.DEFAULT_SEED, ExactChocoPlanner.DEFAULT_TIME_LIMIT);
        }

        /** Small budgets for interactive use and tests. */
        public static Options quick() {
            return new Options(2_000, Duration.ofMillis(300), IteratedLocalSearch.DEFAULT_SEED, Duration.ofSeconds(1));
        }

        public Options withExactTimeLimit(Duration limit) {
            return new Options(localSearchIterations, localSearchBudget, seed, limit);
        }
    }

    /** One strategy's outcome. */
    public record StrategyRun(String strategy, long arenaSize, boolean valid, Duration elapsed) {
    }

    /**
     * @param best             smallest valid layout
     * @param bestStrategy     the first strategy (in run order) that reached its arena size
     * @param lowerBound       lower bound with overlaps and their chains ({@link LowerBound#chainAware})
     * @param gapBytes         {@code best.arenaSize() - lowerBound}
     * @param provenOptimal    the exact solver proved it, or it meets the lower bound
     * @param exactStatus      how the exact solver ended, null when it was skipped
     * @param tflmArenaSize    what stock TFLM's greedy planner needs, for comparison
     * @param runs             every strategy's outcome, in run order
     */
    public record Result(Layout best, String bestStrategy, long lowerBound, long gapBytes, boolean provenOptimal,
                         SolveStatus exactStatus, long tflmArenaSize, List<StrategyRun> runs) {

        public Result {
            runs = List.copyOf(runs);
        }

        /** Gap to the lower bound in percent of the lower bound. */
        public double gapPercent() {
            return lowerBound == 0 ? 0 : 100.0 * gapBytes / lowerBound;
        }

        /** Bytes saved against TFLM's greedy planner. */
        public long savedVsTflm() {
            return tflmArenaSize - best.arenaSize();
        }
    }

    public static Result run(LayoutProblem problem) {
        return run(problem, Options.defaults());
    }

    public static Result run(LayoutProblem problem, Options options) {
        List<IntFunction<MemoryPlanner>> heuristics = List.of(
                TflmGreedyPlanner::new,
                TflmGreedyDmoPlanner::new,
                GreedyBySizeBestFit::new,
                GreedyByConflicts::new,
                a -> new IteratedLocalSearch(a, options.localSearchIterations(), options.localSearchBudget(),
                        options.seed()));
        List<StrategyRun> runs = new ArrayList<>();
        Layout best = null;
        long tflmArena = -1;
        for (IntFunction<MemoryPlanner> factory : heuristics) {
            long started = System.nanoTime();
            MemoryPlanner planner = problem.feedInto(factory.apply(problem.alignment()));
            Layout layout = planner.layout();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            boolean valid = LayoutChecker.check(problem, layout).valid();
            runs.add(new StrategyRun(planner.name(), layout.arenaSize(), valid, elapsed));
            if (planner instanceof TflmGreedyPlanner) {
                tflmArena = layout.arenaSize();
            }
            if (valid && (best == null || layout.arenaSize() < best.arenaSize())) {
                best = layout;
            }
        }
        if (best == null) {
            // only reachable when offline buffers conflict with each other: nothing can fix that
            throw new IllegalArgumentException("no valid layout: "
                    + LayoutChecker.check(problem, TflmGreedyPlanner.plan(problem.buffers())));
        }
        long lowerBound = LowerBound.chainAware(problem);
        SolveStatus exactStatus = null;
        if (!options.exactTimeLimit().isZero()) {
            ExactResult exact = ExactChocoPlanner.solve(problem, best, options.exactTimeLimit());
            boolean valid = LayoutChecker.check(problem, exact.layout()).valid();
            runs.add(new StrategyRun("exact-choco", exact.layout().arenaSize(), valid, exact.elapsed()));
            exactStatus = valid ? exact.status() : null;
            if (valid && exact.layout().arenaSize() < best.arenaSize()) {
                best = exact.layout();
            }
        }
        boolean optimal = exactStatus == SolveStatus.OPTIMAL || best.arenaSize() == lowerBound;
        return new Result(best, best.strategy(), lowerBound, best.arenaSize() - lowerBound, optimal,
                exactStatus, tflmArena, runs);
    }
}
