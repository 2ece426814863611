package io.tinyfit.layout;

import java.util.Arrays;
import java.util.Comparator;

/** The buffer orders the greedy heuristics place in; shared so local search can start from them. */
final class PlacementOrders {

    private PlacementOrders() {
    }

    /** Largest first; ties: longer lifetime first, then add order. */
    static int[] bySize(LayoutProblem problem, int[] online) {
        Comparator<Integer> c = Comparator.<Integer>comparingLong(i -> -problem.buffer(i).size())
                .thenComparingInt(i -> -lifetime(problem.buffer(i)))
                .thenComparingInt(i -> i);
        return sorted(online, c);
    }

    /**
     * Heaviest conflicts first: a buffer's weight is its own size plus the sizes of every buffer
     * it conflicts with, so buffers sitting in the most crowded steps are placed while the arena
     * is still empty. Ties: larger first, then add order.
     */
    static int[] byConflictWeight(LayoutProblem problem, ConflictGraph graph, int[] online) {
        long[] weight = new long[problem.bufferCount()];
        for (int b : online) {
            long w = problem.buffer(b).size();
            for (int n : graph.neighbours(b)) {
                w += problem.buffer(n).size();
            }
            weight[b] = w;
        }
        Comparator<Integer> c = Comparator.<Integer>comparingLong(i -> -weight[i])
                .thenComparingLong(i -> -problem.buffer(i).size())
                .thenComparingInt(i -> i);
        return sorted(online, c);
    }

    /** The order TFLM's greedy planner places online buffers in (reverse add order, stable largest first). */
    static int[] tflm(LayoutProblem problem) {
        int[] work = TflmGreedyPlanner.workList(problem.buffers());
        int offline = (int) problem.buffers().stream().filter(Buffer::isOffline).count();
        return Arrays.copyOfRange(work, offline, work.length);
    }

    private static int lifetime(Buffer b) {
        return b.lastStep() - b.firstStep();
    }

    private static int[] sorted(int[] ids, Comparator<Integer> c) {
        return Arrays.stream(ids).boxed().sorted(c).mapToInt(Integer::intValue).toArray();
    }
}
