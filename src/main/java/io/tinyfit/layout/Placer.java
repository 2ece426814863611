package io.tinyfit.layout;

import java.util.Arrays;
import java.util.List;

/**
 * Places online buffers one at a time in a given order, by default best fit: each goes to the
 * free segment of offsets that least raises the arena so far, then the tightest one (the smallest
 * hole it fits, which keeps large holes for large buffers), then the lowest; {@link Fit#LOWEST}
 * takes the lowest free offset instead, as TFLM's first fit does. Every offset respects
 * every already placed conflicting buffer (offline buffers count as placed from the start). The
 * free offsets for a buffer are what remains of {@code [0, inf)} after removing, per placed
 * neighbour, the forbidden interval from {@link ConflictGraph}; allowances therefore work both
 * when the output is placed after its input and when the input is placed after its output.
 *
 * <p>Supports re-placing only a suffix of an order (the prefix's offsets stay valid), which is
 * what makes local search over orders cheap.
 */
final class Placer {

    /** Returned by {@link #place} when placement stopped early because it exceeded the cap. */
    static final long ABORTED = Long.MAX_VALUE;

    /** Which free offset a buffer takes. */
    enum Fit {
        /** Least arena growth, then the tightest hole, then the lowest. */
        BEST,
        /** The lowest free offset, whatever hole it opens. */
        LOWEST
    }

    private final LayoutProblem problem;
    private final ConflictGraph graph;
    private final int alignment;
    private final Fit fit;
    private final long[] size;
    private final boolean[] offline;
    private final int[] online;
    private final int[] rank;
    private long[] starts = new long[16];
    private long[] ends = new long[16];

    Placer(LayoutProblem problem, ConflictGraph graph) {
        this(problem, graph, Fit.BEST);
    }

    Placer(LayoutProblem problem, ConflictGraph graph, Fit fit) {
        this.problem = problem;
        this.graph = graph;
        this.fit = fit;
        this.alignment = problem.alignment();
        List<Buffer> buffers = problem.buffers();
        int n = buffers.size();
        size = new long[n];
        offline = new boolean[n];
        rank = new int[n];
        int onlineCount = 0;
        for (Buffer b : buffers) {
            size[b.id()] = b.size();
            offline[b.id()] = b.isOffline();
            if (!b.isOffline()) {
                onlineCount++;
            }
        }
        online = new int[onlineCount];
        int k = 0;
        for (Buffer b : buffers) {
            if (!b.isOffline()) {
                online[k++] = b.id();
            }
        }
    }

    LayoutProblem problem() {
        return problem;
    }

    ConflictGraph graph() {
        return graph;
    }

    /** Online buffer ids in add order; every order given to {@link #place} is a permutation of it. */
    int[] onlineBuffers() {
        return online.clone();
    }

    /** Places every buffer; returns the offsets. */
    long[] place(int[] order) {
        long[] offsets = new long[size.length];
        place(order, 0, offsets, ABORTED - 1);
        return offsets;
    }

    /**
     * Places {@code order[from..]} assuming {@code offsets} already holds the placement of all
     * offline buffers and of {@code order[0..from)}.
     *
     * @param cap stop early and return {@link #ABORTED} once the arena exceeds this
     * @return the arena size of the completed placement
     */
    long place(int[] order, int from, long[] offsets, long cap) {
        Arrays.fill(rank, -1);
        for (int k = 0; k < order.length; k++) {
            rank[order[k]] = k;
        }
        long arena = 0;
        for (Buffer b : problem.buffers()) {
            if (b.isOffline()) {
                offsets[b.id()] = b.offlineOffset();
                arena = Math.max(arena, b.offlineOffset() + b.size());
                rank[b.id()] = -1;
            }
        }
        for (int k = 0; k < from; k++) {
            arena = Math.max(arena, offsets[order[k]] + size[order[k]]);
        }
        if (arena > cap) {
            return ABORTED;
        }
        for (int k = from; k < order.length; k++) {
            int b = order[k];
            long at = choose(b, k, offsets, arena);
            offsets[b] = at;
            arena = Math.max(arena, at + size[b]);
            if (arena > cap) {
                return ABORTED;
            }
        }
        return arena;
    }

    private long choose(int b, int position, long[] offsets, long arenaSoFar) {
        int[] nbrs = graph.neighbours(b);
        if (starts.length < nbrs.length) {
            starts = new long[nbrs.length * 2];
            ends = new long[nbrs.length * 2];
        }
        int count = 0;
        for (int k = 0; k < nbrs.length; k++) {
            int n = nbrs[k];
            boolean placed = offline[n] || rank[n] < position;
            if (!placed) {
                continue;
            }
            // forbidden offsets x: offsets[n] + lo < x < offsets[n] + hi, on the aligned grid
            long first = Alignment.alignDown(offsets[n] + graph.lo(b, k), alignment) + alignment;
            long end = Alignment.alignUp(offsets[n] + graph.hi(b, k), alignment);
            if (first < end && end > 0) {
                starts[count] = first;
                ends[count] = end;
                count++;
            }
        }
        if (count == 0) {
            return 0;
        }
        // the union of half-open intervals only depends on the sorted starts and ends
        Arrays.sort(starts, 0, count);
        Arrays.sort(ends, 0, count);
        return fit == Fit.LOWEST ? lowestFree(count) : bestFree(b, count, arenaSoFar);
    }

    /** The lowest offset outside every forbidden interval in {@code starts/ends[0, count)}. */
    private long lowestFree(int count) {
        long free = 0;
        for (int i = 0; i < count && starts[i] <= free; i++) {
            // intervals starting at or below the candidate: it must move past each one's end
            free = Math.max(free, ends[i]);
        }
        return free;
    }

    private long bestFree(int b, int count, long arenaSoFar) {
        long best = -1;
        long bestPeak = Long.MAX_VALUE;
        long bestLength = Long.MAX_VALUE;
        long freeFrom = 0;
        int active = 0;
        int i = 0;
        int j = 0;
        while (i < count) {
            if (ends[j] <= starts[i]) {
                active--;
                if (active == 0) {
                    freeFrom = Math.max(freeFrom, ends[j]);
                }
                j++;
                continue;
            }
            if (active == 0 && starts[i] > freeFrom) {
                long length = starts[i] - freeFrom;
                long peak = Math.max(arenaSoFar, freeFrom + size[b]);
                if (peak < bestPeak || (peak == bestPeak && length < bestLength)) {
                    best = freeFrom;
                    bestPeak = peak;
                    bestLength = length;
                }
            }
            active++;
            i++;
        }
        long top = Math.max(freeFrom, ends[count - 1]);
        if (best < 0) {
            return top;
        }
        long topPeak = Math.max(arenaSoFar, top + size[b]);
        return topPeak < bestPeak ? top : best;
    }
}
