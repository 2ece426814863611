package io.tinyfit.layout;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairwise placement constraints of a problem, with overlap allowances folded in. For every
 * pair of buffers that are live at a common step and both non-empty, it stores the open interval
 * of forbidden relative offsets: {@code offset(b) - offset(n)} must not lie strictly between
 * {@code lo} and {@code hi}. Without an allowance that interval is {@code (-size(b), size(n))}
 * (the buffers share no byte); an allowance shrinks it on one side:
 *
 * <ul>
 *   <li>b is the output, n the input, delta d: b may also sit {@code >= d} below n, so
 *       {@code lo = max(-size(b), -d)};</li>
 *   <li>n is the output, b the input: b may also sit {@code >= d} above n, so
 *       {@code hi = min(size(n), d)}.</li>
 * </ul>
 *
 * Folding both directions into one interval per ordered pair is what lets every heuristic honour
 * allowances whichever of the two buffers it happens to place first.
 */
final class ConflictGraph {

    private final int[][] neighbours;
    private final long[][] lo;
    private final long[][] hi;

    ConflictGraph(LayoutProblem problem) {
        this(problem, false);
    }

    /**
     * The graph TFLM's gap walk sees: pairs with a zero-size buffer stay in. TFLM treats an empty
     * buffer live at the same time as a point inside the arena that a new buffer may touch but not
     * straddle (its gap check {@code offset(next) - candidate >= size} fails across it), which is
     * exactly the forbidden interval the general rule gives a zero size: {@code (-size(b), 0)}.
     * Valid layouts never need this; only a TFLM-compatible first fit does.
     */
    static ConflictGraph withEmptyBuffers(LayoutProblem problem) {
        return new ConflictGraph(problem, true);
    }

    private ConflictGraph(LayoutProblem problem, boolean keepEmpty) {
        List<Buffer> buffers = problem.buffers();
        int n = buffers.size();
        Map<Long, Long> deltas = new HashMap<>();
        for (OverlapAllowance a : problem.allowances()) {
            deltas.put(pairKey(a.output(), a.input()), a.minDelta());
        }
        int[] degree = new int[n];
        int[][] nb = new int[n][4];
        long[][] los = new long[n][4];
        long[][] his = new long[n][4];
        // sweep in start order: once a later buffer starts after b ends, no further one overlaps b
        Integer[] byStart = new Integer[n];
        for (int i = 0; i < n; i++) {
            byStart[i] = i;
        }
        Arrays.sort(byStart, Comparator.comparingInt(i -> buffers.get(i).firstStep()));
        for (int x = 0; x < n; x++) {
            Buffer a = buffers.get(byStart[x]);
            if (a.size() == 0 && !keepEmpty) {
                continue;
            }
            for (int y = x + 1; y < n; y++) {
                Buffer b = buffers.get(byStart[y]);
                if (b.firstStep() > a.lastStep()) {
                    break;
                }
                if (b.size() == 0 && !keepEmpty) {
                    continue;
                }
                long abLo = -a.size();
                long abHi = b.size();
                Long aOut = deltas.get(pairKey(a.id(), b.id()));
                if (aOut != null) {
                    abLo = Math.max(abLo, -aOut);
                }
                Long bOut = deltas.get(pairKey(b.id(), a.id()));
                if (bOut != null) {
                    abHi = Math.min(abHi, bOut);
                }
                add(nb, los, his, degree, a.id(), b.id(), abLo, abHi);
                add(nb, los, his, degree, b.id(), a.id(), -abHi, -abLo);
            }
        }
        neighbours = new int[n][];
        lo = new long[n][];
        hi = new long[n][];
        for (int i = 0; i < n; i++) {
            neighbours[i] = Arrays.copyOf(nb[i], degree[i]);
            lo[i] = Arrays.copyOf(los[i], degree[i]);
            hi[i] = Arrays.copyOf(his[i], degree[i]);
        }
    }

    private static void add(int[][] nb, long[][] los, long[][] his, int[] degree, int b, int n, long l, long h) {
        int d = degree[b];
        if (d == nb[b].length) {
            nb[b] = Arrays.copyOf(nb[b], d * 2);
            los[b] = Arrays.copyOf(los[b], d * 2);
            his[b] = Arrays.copyOf(his[b], d * 2);
        }
        nb[b][d] = n;
        los[b][d] = l;
        his[b][d] = h;
        degree[b] = d + 1;
    }

    static long pairKey(int output, int input) {
        return ((long) output << 32) | (input & 0xffffffffL);
    }

    int size() {
        return neighbours.length;
    }

    /** Buffers that conflict with {@code b}; index k pairs with {@link #lo}/{@link #hi}. */
    int[] neighbours(int b) {
        return neighbours[b];
    }

    /** Exclusive lower end of the forbidden {@code offset(b) - offset(neighbours(b)[k])}. */
    long lo(int b, int k) {
        return lo[b][k];
    }

    /** Exclusive upper end of the forbidden {@code offset(b) - offset(neighbours(b)[k])}. */
    long hi(int b, int k) {
        return hi[b][k];
    }

    int degree(int b) {
        return neighbours[b].length;
    }
}
