package io.tinyfit.plan;

import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Channel ("feature") slicing in the foundation's vocabulary, for any technique that runs operators on ranges of
 * the last dimension: which operators map an output channel range to the same input channel range (channel-local),
 * which produce output-channel slices from all of their input (channel-mixing), which can consume input-channel
 * slices into an accumulator, and the slice ranges themselves. Every answer comes from the kernels' own region
 * inference, so an operator is sliced only where its kernel says the slice is computable on its own.
 */
public final class ChannelSlices {
    private ChannelSlices() {}

    /** The channel count of a tensor: its last dimension (0 for a scalar). */
    public static int channels(Tensor t) {
        int r = t.shape().rank();
        return r == 0 ? 0 : t.shape().toArray()[r - 1];
    }

    /** Region of tensor t holding channels {@code [from, to)} at every other coordinate. */
    public static Region slice(Tensor t, int from, int to) {
        Region w = Region.whole(t.shape());
        return w.with(w.rank() - 1, from, to);
    }

    /** {@code parts} near-equal ranges {@code [lo, hi)} of {@code [0, channels)}. */
    public static List<int[]> ranges(int channels, int parts) {
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            int from = (int) ((long) channels * k / parts), to = (int) ((long) channels * (k + 1) / parts);
            if (to > from) out.add(new int[] {from, to});
        }
        return out;
    }

    /**
     * Slice counts worth trying for {@code channels}: the divisors of the channel count (equal slices) from 2 up to
     * slices of {@code minWidth} channels, at most {@code max} of them spread evenly over that range (always the
     * largest count, the smallest intermediates).
     */
    public static List<Integer> counts(int channels, int minWidth, int max) {
        List<Integer> d = new ArrayList<>();
        for (int k = 2; k <= channels; k++) if (channels % k == 0 && channels / k >= Math.max(1, minWidth)) d.add(k);
        if (d.size() <= max) return d;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            int k = d.get((int) Math.round((double) i * (d.size() - 1) / (max - 1)));
            if (!out.contains(k)) out.add(k);
        }
        return out;
    }

    /** The operator's kernel can compute any channel range of its (single) output on its own. */
    public static boolean splitsOutputChannels(Graph g, int opIndex) {
        Op op = g.ops().get(opIndex);
        if (op.outputs().size() != 1 || op.output(0) < 0) return false;
        Tensor out = g.tensor(op.output(0));
        int rank = out.shape().rank();
        if (rank == 0 || channels(out) < 2) return false;
        try {
            Kernel k = KernelRegistry.find(op.kind()).isPresent() ? KernelRegistry.forOp(g, opIndex) : null;
            return k != null && k.splittableDims(g, op)[rank - 1];
        } catch (RuntimeException unsupportedVariant) {
            return false;
        }
    }

    /**
     * Channel-local: computing output channels {@code [a, b)} reads channels {@code [a, b)} of every non-constant
     * input, each of the output's channel count (depthwise with multiplier 1, pooling, activations, element-wise
     * operators on same-channel operands, pad without channel padding). Probed at the first and last channel pairs.
     */
    public static boolean isChannelLocal(Graph g, int opIndex) {
        if (!splitsOutputChannels(g, opIndex)) return false;
        Op op = g.ops().get(opIndex);
        Tensor out = g.tensor(op.output(0));
        int c = channels(out);
        Kernel k = KernelRegistry.forOp(g, opIndex);
        boolean any = false;
        for (int[] probe : new int[][] {{0, 1}, {1, 2}, {c - 1, c}}) {
            List<Region> in = k.inputRegions(g, op, slice(out, probe[0], probe[1]));
            for (int i = 0; i < op.inputs().size(); i++) {
                int t = op.input(i);
                if (t < 0 || g.tensor(t).isConstant() || g.tensor(t).variable()) continue;
                Tensor x = g.tensor(t);
                Region r = in.get(i);
                if (r == null || x.shape().rank() == 0 || channels(x) != c) return false;
                int last = r.rank() - 1;
                if (r.lo(last) != probe[0] || r.hi(last) != probe[1]) return false;
                any = true;
            }
        }
        return any;
    }

    /**
     * Channel-mixing: a convolution or fully connected layer whose every output-channel slice reads all of its
     * input (so it needs its input whole and can produce its output slice by slice).
     */
    public static boolean isChannelMixing(Graph g, int opIndex) {
        String kind = g.ops().get(opIndex).kind();
        return (kind.equals("CONV_2D") || kind.equals("FULLY_CONNECTED")) && splitsOutputChannels(g, opIndex);
    }

    /**
     * The operator can add up input-channel slices of input 0 into an accumulator of its output and finish once,
     * bit-exact (int8/int16 CONV_2D and FULLY_CONNECTED; float never: it would reorder float additions), the slices
     * partitioning {@code channels} input channels.
     */
    public static boolean accumulates(Graph g, int opIndex, int channels) {
        Op op = g.ops().get(opIndex);
        if (!(op.kind().equals("CONV_2D") || op.kind().equals("FULLY_CONNECTED"))) return false;
        if (StepAccesses.accumulatorType(g, opIndex).isEmpty()) return false;
        if (!(KernelRegistry.forOp(g, opIndex) instanceof PartialSums ps)) return false;
        return ps.inputChannels(g, op) == channels && channels(g.tensor(op.input(0))) == channels;
    }
}
