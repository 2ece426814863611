package io.tinyfit.layout;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Iterated local search over the order in which buffers are placed (best fit, so allowances are
 * honoured in both directions), in the spirit of TVM USMP's hill-climb planner: start from the
 * best of the size, conflict-weight and TFLM orders; perturb the order (swap two buffers, move one,
 * or move a buffer that ends at the arena's peak earlier); keep a change when the arena does not
 * grow (plateau moves are what let it escape); after a run of failures restart from the best
 * order with a few random moves. Only the suffix from the first changed position is re-placed,
 * and a placement stops as soon as it exceeds the current arena.
 *
 * <p>Deterministic for a given seed as long as the iteration budget, not the time budget, ends
 * the search; it also stops early once it reaches the lower bound ({@link LowerBound#chainAware}).
 */
public final class IteratedLocalSearch extends AbstractMemoryPlanner {

    public static final int DEFAULT_MAX_ITERATIONS = 20_000;
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(2);
    public static final long DEFAULT_SEED = 0x7f17L;

    private final int maxIterations;
    private final Duration timeBudget;
    private final long seed;

    public IteratedLocalSearch() {
        this(DEFAULT_ALIGNMENT);
    }

    public IteratedLocalSearch(int alignment) {
        this(alignment, DEFAULT_MAX_ITERATIONS, DEFAULT_TIME_BUDGET, DEFAULT_SEED);
    }

    public IteratedLocalSearch(int alignment, int maxIterations, Duration timeBudget, long seed) {
        super(alignment);
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations must be >= 0");
        }
        this.maxIterations = maxIterations;
        this.timeBudget = timeBudget;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "iterated-local-search";
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        return new Search(problem, seed).run(maxIterations, timeBudget);
    }

    /** One search run; keeps the current and best orders with their placements. */
    private static final class Search {
        private final Placer placer;
        private final long[] size;
        private final SplittableRandom random;
        private final long lowerBound;

        private int[] current;
        private long[] currentOffsets;
        private long currentArena;
        private int[] best;
        private long[] bestOffsets;
        private long bestArena;

        Search(LayoutProblem problem, long seed) {
            ConflictGraph graph = new ConflictGraph(problem);
            placer = new Placer(problem, graph);
            size = problem.buffers().stream().mapToLong(Buffer::size).toArray();
            random = new SplittableRandom(seed);
            lowerBound = LowerBound.chainAware(problem);
            int[] online = placer.onlineBuffers();
            for (int[] seedOrder : new int[][] {
                    PlacementOrders.bySize(problem, online),
                    PlacementOrders.byConflictWeight(problem, graph, online),
                    PlacementOrders.tflm(problem)}) {
                long[] offsets = placer.place(seedOrder);
                long arena = Layout.arenaOf(problem, offsets);
                if (best == null || arena < bestArena) {
                    best = seedOrder;
                    bestOffsets = offsets;
                    bestArena = arena;
                }
            }
            current = best.clone();
            currentOffsets = bestOffsets.clone();
            currentArena = bestArena;
        }

        long[] run(int maxIterations, Duration timeBudget) {
            int n = current.length;
            if (n < 2) {
                return bestOffsets;
            }
            long deadline = System.nanoTime() + timeBudget.toNanos();
            int stallLimit = Math.max(64, 4 * n);
            int stall = 0;
            int[] candidate = new int[n];
            long[] candidateOffsets = new long[currentOffsets.length];
            for (int iteration = 0; iteration < maxIterations && bestArena > lowerBound; iteration++) {
                if ((iteration & 31) == 0 && System.nanoTime() > deadline) {
                    break;
                }
                System.arraycopy(current, 0, candidate, 0, n);
                int from = perturb(candidate);
                System.arraycopy(currentOffsets, 0, candidateOffsets, 0, candidateOffsets.length);
                long arena = placer.place(candidate, from, candidateOffsets, currentArena);
                if (arena <= currentArena) {
                    int[] order = current;
                    current = candidate;
                    candidate = order;
                    long[] offsets = currentOffsets;
                    currentOffsets = candidateOffsets;
                    candidateOffsets = offsets;
                    currentArena = arena;
                    if (arena < bestArena) {
                        best = current.clone();
                        bestOffsets = currentOffsets.clone();
                        bestArena = arena;
                        stall = 0;
                        continue;
                    }
                }
                if (++stall > stallLimit) {
                    restartFromBest();
                    stall = 0;
                }
            }
            return bestOffsets;
        }

        /** Applies one random move to {@code order}; returns the first position it changed. */
        private int perturb(int[] order) {
            int n = order.length;
            int kind = random.nextInt(3);
            if (kind == 0) {
                int i = random.nextInt(n);
                int j = random.nextInt(n);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                return Math.min(i, j);
            }
            if (kind == 1) {
                int i = random.nextInt(n);
                int j = random.nextInt(n);
                move(order, i, j);
                return Math.min(i, j);
            }
            // a buffer that sets the peak is the one to give an earlier, lower slot
            int at = criticalPosition(order);
            if (at <= 0) {
                return perturbRandomMove(order);
            }
            int to = random.nextInt(at);
            move(order, at, to);
            return to;
        }

        private int perturbRandomMove(int[] order) {
            int i = random.nextInt(order.length);
            int j = random.nextInt(order.length);
            move(order, i, j);
            return Math.min(i, j);
        }

        private int criticalPosition(int[] order) {
            int chosen = -1;
            int seen = 0;
            for (int k = 0; k < order.length; k++) {
                int b = order[k];
                if (currentOffsets[b] + size[b] == currentArena && random.nextInt(++seen) == 0) {
                    chosen = k;
                }
            }
            return chosen;
        }

        private void restartFromBest() {
            current = best.clone();
            int moves = 2 + random.nextInt(4);
            int from = current.length;
            for (int m = 0; m < moves; m++) {
                from = Math.min(from, perturbRandomMove(current));
            }
            currentOffsets = bestOffsets.clone();
            currentArena = placer.place(current, from, currentOffsets, Placer.ABORTED - 1);
        }

        private static void move(int[] order, int from, int to) {
            int b = order[from];
            if (from < to) {
                System.arraycopy(order, from + 1, order, from, to - from);
            } else if (from > to) {
                System.arraycopy(order, to, order, to + 1, from - to);
            }
            order[to] = b;
        }
    }
}
