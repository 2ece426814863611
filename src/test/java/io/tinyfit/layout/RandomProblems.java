package io.tinyfit.layout;

import java.util.SplittableRandom;

/** Random layout problems for property tests and the benchmark sweep. */
final class RandomProblems {

    private RandomProblems() {
    }

    /**
     * Unstructured buffers: random sizes (occasionally zero), short random lifetimes, a few
     * offline buffers in disjoint slots (so the instance stays feasible), random allowances
     * between buffers live at a common step.
     */
    static LayoutProblem random(long seed, int buffers, int steps, long maxSize, int alignment,
                                boolean offline, boolean allowances) {
        SplittableRandom r = new SplittableRandom(seed);
        LayoutProblem.Builder b = LayoutProblem.builder(alignment);
        long slot = Alignment.alignUp(maxSize, alignment);
        int offlineSlots = 0;
        for (int i = 0; i < buffers; i++) {
            long size = r.nextInt(12) == 0 ? 0 : 1 + r.nextLong(maxSize);
            int first = r.nextInt(steps);
            int last = Math.min(steps - 1, first + r.nextInt(4));
            if (offline && r.nextInt(6) == 0) {
                b.addBuffer(size, first, last, slot * offlineSlots++);
            } else {
                b.addBuffer(size, first, last);
            }
        }
        if (allowances) {
            LayoutProblem p = b.build();
            for (Buffer out : p.buffers()) {
                for (Buffer in : p.buffers()) {
                    if (out.id() != in.id() && out.overlapsInTime(in) && r.nextInt(3) == 0) {
                        b.allowOverlap(out.id(), in.id(), r.nextLong(out.size() + alignment + 1));
                    }
                }
            }
        }
        return b.build();
    }

    /**
     * A model-shaped instance: a chain of ops where op k reads the previous activation (and now
     * and then a skip connection from further back), writes one activation, and sometimes uses a
     * one-step scratch buffer; activation sizes follow a down/up-sampling profile like a CNN.
     * Every op's output may overlap its main input with a delta of a fraction of the output.
     */
    static LayoutProblem modelLike(long seed, int ops, int alignment, boolean allowances) {
        SplittableRandom r = new SplittableRandom(seed);
        LayoutProblem.Builder b = LayoutProblem.builder(alignment);
        long[] activationSize = new long[ops + 1];
        int[] lastUse = new int[ops + 1];
        long size = 16_384 + r.nextLong(65_536);
        for (int k = 0; k <= ops; k++) {
            activationSize[k] = size;
            double factor = switch (r.nextInt(6)) {
                case 0 -> 0.5;
                case 1 -> 2.0;
                default -> 0.7 + 0.6 * r.nextDouble();
            };
            size = Math.max(64, Math.min(262_144, (long) (size * factor)));
            lastUse[k] = k; // activation k is produced by op k-1 (k = 0 is the model input, step 0)
        }
        int[] skipFrom = new int[ops];
        for (int k = 0; k < ops; k++) {
            skipFrom[k] = k >= 3 && r.nextInt(5) == 0 ? k - 2 - r.nextInt(Math.min(k - 1, 6)) : -1;
            if (skipFrom[k] >= 0) {
                lastUse[skipFrom[k]] = Math.max(lastUse[skipFrom[k]], k);
            }
        }
        int[] id = new int[ops + 1];
        for (int k = 0; k <= ops; k++) {
            int first = Math.max(0, k - 1);
            int last = k == ops ? ops - 1 : lastUse[k];
            id[k] = b.addBuffer(activationSize[k], first, Math.max(first, last));
        }
        for (int k = 0; k < ops; k++) {
            if (r.nextInt(4) == 0) {
                b.addBuffer(256 + r.nextLong(8_192), k, k);
            }
        }
        if (allowances) {
            for (int k = 0; k < ops; k++) {
                if (skipFrom[k] < 0 || r.nextBoolean()) {
                    long out = activationSize[k + 1];
                    b.allowOverlap(id[k + 1], id[k], out / 4 + r.nextLong(out / 2 + 1));
                }
            }
        }
        return b.build();
    }
}
