package io.tinyfit.layout;

import java.util.List;

/**
 * Optimal arena by exhaustive search over aligned offsets, for tiny problems only. Deliberately
 * naive and independent of the planners: it checks pairs directly from the problem's buffers
 * and allowances, and only prunes partial layouts that already reach the best arena found.
 */
final class BruteForce {

    private final LayoutProblem problem;
    private final List<Buffer> buffers;
    private final long[] offsets;
    private long best;

    private BruteForce(LayoutProblem problem, long upperBound) {
        this.problem = problem;
        this.buffers = problem.buffers();
        this.offsets = new long[buffers.size()];
        this.best = upperBound;
    }

    static long optimum(LayoutProblem problem) {
        long upperBound = 0;
        for (Buffer b : problem.buffers()) {
            upperBound += b.size() + (b.isOffline() ? b.offlineOffset() : 0);
        }
        BruteForce search = new BruteForce(problem, upperBound + problem.alignment());
        search.assign(0, 0);
        return search.best;
    }

    private void assign(int i, long arena) {
        if (arena >= best) {
            return;
        }
        if (i == buffers.size()) {
            best = arena;
            return;
        }
        Buffer b = buffers.get(i);
        if (b.isOffline()) {
            offsets[i] = b.offlineOffset();
            if (compatibleWithEarlier(i)) {
                assign(i + 1, Math.max(arena, offsets[i] + b.size()));
            }
            return;
        }
        for (long at = 0; at + b.size() < best; at += problem.alignment()) {
            offsets[i] = at;
            if (compatibleWithEarlier(i)) {
                assign(i + 1, Math.max(arena, at + b.size()));
            }
        }
    }

    private boolean compatibleWithEarlier(int i) {
        Buffer b = buffers.get(i);
        for (int j = 0; j < i; j++) {
            Buffer a = buffers.get(j);
            boolean sameTime = a.firstStep() <= b.lastStep() && b.firstStep() <= a.lastStep();
            boolean shareBytes = a.size() > 0 && b.size() > 0
                    && offsets[j] < offsets[i] + b.size() && offsets[i] < offsets[j] + a.size();
            if (sameTime && shareBytes && !allowed(j, i) && !allowed(i, j)) {
                return false;
            }
        }
        return true;
    }

    private boolean allowed(int output, int input) {
        for (OverlapAllowance a : problem.allowances()) {
            if (a.output() == output && a.input() == input && offsets[input] - offsets[output] >= a.minDelta()) {
                return true;
            }
        }
        return false;
    }
}
