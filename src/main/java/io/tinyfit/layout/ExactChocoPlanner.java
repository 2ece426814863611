package io.tinyfit.layout;

import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.search.limits.FailCounter;
import org.chocosolver.solver.search.loop.lns.INeighborFactory;
import org.chocosolver.solver.search.strategy.Search;
import org.chocosolver.solver.search.strategy.selectors.values.IntDomainMin;
import org.chocosolver.solver.search.strategy.selectors.variables.Smallest;
import org.chocosolver.solver.variables.IntVar;
import org.chocosolver.solver.variables.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Exact arena minimisation with the Choco CP solver, under a time limit.
 *
 * <p>Model, in units of the alignment (offsets and sizes are multiples of it, so nothing is
 * lost): one offset variable per online buffer, offline buffers as constants, and an arena
 * variable bounded below by {@link LowerBound#chainAware} and above by one unit less than
 * the incumbent (the best heuristic layout), so every solution found is a strict improvement.
 * Each pair of buffers live at a common step gets a disjunction "a below b, or b below a" on the
 * {@link ConflictGraph} interval, where an overlap allowance relaxes the pair (O, I) to
 * {@code off(I) - off(O) >= minDelta}. Redundant one-machine cumulative constraints over the
 * buffers live at each step (minus allowance outputs) strengthen propagation.
 *
 * <p>Two phases share the time limit. First, for half of it, a complete depth-first search that
 * gives the lowest-placed free buffer its lowest offset (a bottom-left packing order, largest
 * buffers first on ties); if it finishes, the best layout is optimal, including when it found
 * nothing, for then the incumbent is. Otherwise, for the rest of the time, large neighbourhood
 * search starting from the best layout so far, which improves big instances where depth-first
 * search stalls but proves nothing: the result is then {@link SolveStatus#TIME_LIMITED} unless
 * it meets the lower bound.
 *
 * <p>Planning through the {@link MemoryPlanner} interface builds its own incumbent from the
 * greedy heuristics and a local search given a fifth of the time limit; {@link #solve} accepts
 * any valid incumbent instead (that is how {@link PlannerSuite} warm-starts it).
 */
public final class ExactChocoPlanner extends AbstractMemoryPlanner {

    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);

    private final Duration timeLimit;
    private ExactResult lastResult;

    public ExactChocoPlanner() {
        this(DEFAULT_ALIGNMENT);
    }

    public ExactChocoPlanner(int alignment) {
        this(alignment, DEFAULT_TIME_LIMIT);
    }

    public ExactChocoPlanner(int alignment, Duration timeLimit) {
        super(alignment);
        this.timeLimit = timeLimit;
    }

    @Override
    public String name() {
        return "exact-choco";
    }

    /** Result of the last layout computed through the planner interface (null before any). */
    public ExactResult lastResult() {
        layout();
        return lastResult;
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        long started = System.nanoTime();
        Layout incumbent = heuristicIncumbent(problem, timeLimit.dividedBy(5));
        Duration left = timeLimit.minusNanos(System.nanoTime() - started);
        lastResult = solve(problem, incumbent, left.isNegative() ? Duration.ZERO : left);
        return lastResult.layout().offsetArray();
    }

    /** Best of the cheap heuristics plus a local search of at most {@code searchBudget}. */
    static Layout heuristicIncumbent(LayoutProblem problem, Duration searchBudget) {
        List<MemoryPlanner> planners = List.of(
                new TflmGreedyPlanner(problem.alignment()),
                new GreedyBySizeBestFit(problem.alignment()),
                new GreedyByConflicts(problem.alignment()),
                new IteratedLocalSearch(problem.alignment(), 5_000, searchBudget, IteratedLocalSearch.DEFAULT_SEED));
        return planners.stream()
                .map(p -> problem.feedInto(p).layout())
                .min(Comparator.comparingLong(Layout::arenaSize))
                .orElseThrow();
    }

    /**
     * Looks for a layout strictly smaller than {@code incumbent} within {@code limit}.
     *
     * @param incumbent a valid layout of {@code problem}; returned unchanged when nothing beats it
     */
    public static ExactResult solve(LayoutProblem problem, Layout incumbent, Duration limit) {
        long started = System.nanoTime();
        long lowerBound = LowerBound.chainAware(problem);
        int unit = problem.alignment();
        long lowerUnits = Math.floorDiv(lowerBound + unit - 1, unit);
        long incumbentUnits = incumbent.arenaSize() / unit;
        if (lowerUnits >= incumbentUnits) {
            return new ExactResult(incumbent, SolveStatus.OPTIMAL, incumbent.arenaSize(), lowerBound, 0, since(started));
        }
        if (incumbentUnits > Integer.MAX_VALUE / 4) {
            return new ExactResult(incumbent, SolveStatus.SKIPPED, incumbent.arenaSize(), lowerBound, 0, since(started));
        }
        long deadline = started + limit.toNanos();

        // phase 1: complete search for a strictly smaller arena; finishing proves optimality
        CpModel proof = new CpModel(problem, (int) lowerUnits, (int) incumbentUnits - 1);
        proof.solver().limitTime(millisUntil(started + (deadline - started) / 2));
        Layout best = incumbent;
        int improvements = 0;
        while (proof.solver().solve()) {
            best = Layout.of("exact-choco", problem, proof.offsetsInBytes());
            improvements++;
        }
        if (!proof.solver().isStopCriterionMet()) {
            return new ExactResult(best, SolveStatus.OPTIMAL, incumbent.arenaSize(), lowerBound, improvements,
                    since(started));
        }

        // phase 2: large neighbourhood search around the best layout for the remaining time;
        // it often improves big instances where depth-first search stalls, but proves nothing
        CpModel lns = new CpModel(problem, (int) lowerUnits, (int) (best.arenaSize() / unit));
        lns.startLnsFrom(best);
        lns.solver().limitTime(millisUntil(deadline));
        while (lns.solver().solve()) {
            long[] offsets = lns.offsetsInBytes();
            if (Layout.arenaOf(problem, offsets) < best.arenaSize()) {
                best = Layout.of("exact-choco", problem, offsets);
                improvements++;
            }
        }
        SolveStatus status = best.arenaSize() == lowerUnits * unit ? SolveStatus.OPTIMAL : SolveStatus.TIME_LIMITED;
        return new ExactResult(best, status, incumbent.arenaSize(), lowerBound, improvements, since(started));
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The Choco model of one problem, everything in alignment units. */
    private static final class CpModel {
        private static final long LNS_SEED = 0x7f17L;
        private static final long LNS_FAILS = 500;
        final Model model = new Model("tinyfit-arena");
        final LayoutProblem problem;
        final IntVar[] offset;
        final IntVar arena;

        CpModel(LayoutProblem problem, int minArena, int maxArena) {
            this.problem = problem;
            int unit = problem.alignment();
            int n = problem.bufferCount();
            offset = new IntVar[n];
            arena = model.intVar("arena", minArena, maxArena, true);
            for (Buffer b : problem.buffers()) {
                int size = units(b.size(), unit);
                offset[b.id()] = b.isOffline()
                        ? model.intVar(units(b.offlineOffset(), unit))
                        : model.intVar("off" + b.id(), 0, Math.max(0, maxArena - size), true);
                model.arithm(offset[b.id()], "<=", arena, "-", size).post();
            }
            postPairs(new ConflictGraph(problem), unit);
            postStepCliques(unit);
            model.setObjective(Model.MINIMIZE, arena);
            IntVar[] online = onlineByDecreasingSize();
            if (online.length == 0) {
                model.getSolver().setSearch(Search.inputOrderLBSearch(arena));
            } else {
                model.getSolver().setSearch(
                        Search.intVarSearch(new Smallest(), new IntDomainMin(), online),
                        Search.inputOrderLBSearch(arena));
            }
        }

        private void postPairs(ConflictGraph graph, int unit) {
            for (int a = 0; a < graph.size(); a++) {
                int[] nbrs = graph.neighbours(a);
                for (int k = 0; k < nbrs.length; k++) {
                    int b = nbrs[k];
                    if (b < a || (problem.buffer(a).isOffline() && problem.buffer(b).isOffline())) {
                        continue;
                    }
                    // off(a) - off(b) must avoid the open interval (lo, hi); on the unit grid
                    // that leaves <= floor(lo / unit) or >= ceil(hi / unit)
                    int below = (int) Math.floorDiv(graph.lo(a, k), unit);
                    int above = (int) -Math.floorDiv(-graph.hi(a, k), unit);
                    if (above - below <= 1) {
                        continue;
                    }
                    model.or(
                            model.arithm(offset[a], "-", offset[b], "<=", below),
                            model.arithm(offset[a], "-", offset[b], ">=", above)).post();
                }
            }
        }

        /**
         * Buffers live at one step must be pairwise disjoint in address space (a one-machine
         * schedule with offsets as start times and sizes as durations), except for declared
         * (output, input) pairs: dropping the outputs of such pairs keeps the constraint sound.
         */
        private void postStepCliques(int unit) {
            Set<Long> allowed = new HashSet<>();
            for (OverlapAllowance a : problem.allowances()) {
                allowed.add(ConflictGraph.pairKey(a.output(), a.input()));
            }
            IntVar one = model.intVar(1);
            for (int[] clique : maximalLiveSets()) {
                Set<Integer> outputs = new HashSet<>();
                for (int o : clique) {
                    for (int i : clique) {
                        if (allowed.contains(ConflictGraph.pairKey(o, i))) {
                            outputs.add(o);
                        }
                    }
                }
                List<Task> tasks = new ArrayList<>();
                boolean anyOnline = false;
                for (int b : clique) {
                    Buffer buffer = problem.buffer(b);
                    if (buffer.size() > 0 && !outputs.contains(b)) {
                        tasks.add(model.taskVar(offset[b], units(buffer.size(), unit)));
                        anyOnline |= !buffer.isOffline();
                    }
                }
                if (tasks.size() >= 3 && anyOnline) {
                    IntVar[] heights = new IntVar[tasks.size()];
                    Arrays.fill(heights, one);
                    model.cumulative(tasks.toArray(Task[]::new), heights, one).post();
                }
            }
        }

        /** The live sets of an interval family that are not contained in another one. */
        private List<int[]> maximalLiveSets() {
            List<Buffer> buffers = problem.buffers();
            int[] starts = buffers.stream().mapToInt(Buffer::firstStep).distinct().sorted().toArray();
            List<int[]> result = new ArrayList<>();
            for (int k = 0; k < starts.length; k++) {
                int step = starts[k];
                int nextStart = k + 1 < starts.length ? starts[k + 1] : Integer.MAX_VALUE;
                int[] live = buffers.stream().filter(b -> b.liveAt(step)).mapToInt(Buffer::id).toArray();
                // the set only grows at starts, so it is maximal iff someone leaves before the next start
                boolean someoneEnds = Arrays.stream(live).anyMatch(b -> buffers.get(b).lastStep() < nextStart);
                if (someoneEnds) {
                    result.add(live);
                }
            }
            return result;
        }

        private IntVar[] onlineByDecreasingSize() {
            return IntStream.range(0, problem.bufferCount())
                    .filter(i -> !problem.buffer(i).isOffline())
                    .boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> -problem.buffer(i).size()).thenComparingInt(i -> i))
                    .map(i -> offset[i])
                    .toArray(IntVar[]::new);
        }

        Solver solver() {
            return model.getSolver();
        }

        /** Switches the search to LNS over the online offsets, starting from {@code start}. */
        void startLnsFrom(Layout start) {
            IntVar[] online = onlineByDecreasingSize();
            if (online.length == 0) {
                return;
            }
            Solution bootstrap = new Solution(model, online);
            for (IntVar v : online) {
                bootstrap.setIntVal(v, Math.toIntExact(start.offset(idOf(v)) / problem.alignment()));
            }
            // restart on a fresh neighbourhood after a few hundred fails: without a restart counter
            // the first neighbourhood is searched to exhaustion and nothing improves
            solver().setLNS(INeighborFactory.random(LNS_SEED, online), new FailCounter(model, LNS_FAILS), bootstrap);
        }

        private int idOf(IntVar v) {
            for (int i = 0; i < offset.length; i++) {
                if (offset[i] == v) {
                    return i;
                }
            }
            throw new IllegalArgumentException(v.getName());
        }

        long[] offsetsInBytes() {
            long[] bytes = new long[offset.length];
            for (int i = 0; i < offset.length; i++) {
                bytes[i] = (long) offset[i].getValue() * problem.alignment();
            }
            return bytes;
        }

        private static int units(long bytes, int unit) {
            return Math.toIntExact(bytes / unit);
        }
    }
}
