package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.verify.SingleStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The black-box method: execute the operator with O placed {@code delta} bytes below I on random inputs and
 * compare every output with a run where O and I are disjoint. A mismatch proves the delta unsafe; a match proves
 * nothing (an overwritten byte may happen to hold the same value), so this method can only refute and serves as
 * a cross-check of the other two.
 */
public final class SearchMethod {
    /** Input seeds tried at each probed delta. */
    public static final int[] SEEDS = {0x5EA1, 0x5EA2};

    private SearchMethod() {}

    /** True when some seed gives outputs that differ from the disjoint run at this delta. */
    public static boolean refutes(Graph g, int opIndex, int inputIndex, int outputIndex, long delta) {
        return new Probe(g, opIndex, inputIndex, outputIndex).refutes(delta);
    }

    /**
     * The smallest delta, on a grid of {@code granularity} bytes, at which no failure was observed, found by
     * bisection between 0 and the output size (assuming failures only occur below some threshold, which holds for
     * the monotone access orders of these kernels). Never more than the exact safe bound, often less.
     */
    public static long minDelta(Graph g, int opIndex, int inputIndex, int outputIndex, int granularity) {
        Probe probe = new Probe(g, opIndex, inputIndex, outputIndex);
        long outBytes = g.tensor(g.ops().get(opIndex).output(outputIndex)).bytes();
        long lo = 0;
        long hi = (outBytes + granularity - 1) / granularity;
        if (!probe.refutes(0)) return 0;
        // invariant: refuted at lo*granularity, not refuted at hi*granularity (disjoint never fails)
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            if (probe.refutes(mid * granularity)) lo = mid;
            else hi = mid;
        }
        return Math.min(hi * granularity, outBytes);
    }

    /** One operand pair with its disjoint reference outputs per seed, computed once for every probed delta. */
    private static final class Probe {
        private final SingleStep step;
        private final int in;
        private final int out;
        private final List<List<byte[]>> want = new ArrayList<>();

        Probe(Graph g, int opIndex, int inputIndex, int outputIndex) {
            Op op = g.ops().get(opIndex);
            this.step = new SingleStep(g, opIndex);
            this.in = op.input(inputIndex);
            this.out = op.output(outputIndex);
            long disjoint = SingleStep.alignUp(g.tensor(out).bytes());
            for (int seed : SEEDS) want.add(step.run(in, out, disjoint, seed, AccessListener.IGNORE, AccessListener.IGNORE).outputs());
        }

        boolean refutes(long delta) {
            for (int k = 0; k < SEEDS.length; k++) {
                List<byte[]> got;
                try {
                    got = step.run(in, out, delta, SEEDS[k], AccessListener.IGNORE, AccessListener.IGNORE).outputs();
                } catch (RuntimeException e) {
                    return true; // clobbered operands made the kernel fail: certainly unsafe
                }
                List<byte[]> w = want.get(k);
                for (int i = 0; i < w.size(); i++) if (!Arrays.equals(w.get(i), got.get(i))) return true;
            }
            return false;
        }
    }
}
