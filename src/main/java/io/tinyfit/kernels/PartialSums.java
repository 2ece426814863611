package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The accumulate/finish split of a channel-mixing kernel (CONV_2D, FULLY_CONNECTED) for int8 activations (int32
 * accumulators) and int16 activations (int64 accumulators): {@link #accumulate} adds the partial sums over one slice
 * of the input channels into an accumulator view over {@link OpContext#outputRegion()}, {@link #finish} applies
 * bias, requantisation and activation into the output. Accumulating every slice once, in any order, then finishing
 * gives the unsplit kernel's output bit for bit (integer sums wrap like TFLM's int32 accumulator).
 *
 * <p>The accumulator is a view of a tensor of the output's shape and the {@link #accumulator accumulator type}
 * ({@link #accumulatorTensor}); it needs no initialisation: the first slice stores, later slices add.
 */
public interface PartialSums extends Kernel {
    /** INT32 for int8 activations, INT64 for int16; empty for the dtype variants that have no split. */
    Optional<DType> accumulator(Graph graph, Op op);

    /** Adds (stores, when {@code first}) the sums over input channels {@code [from, to)} for the output region. */
    void accumulate(OpContext ctx, View acc, int from, int to, boolean first);

    /** Bias, requantisation and activation of the accumulated sums into output 0, over the output region. */
    void finish(OpContext ctx, View acc);

    /** Input channels: the range the slices partition. */
    int inputChannels(Graph graph, Op op);

    /**
     * The input regions an accumulate step over input channels {@code [from, to)} reads: those of
     * {@link #inputRegions} with input 0's channels (its last dimension) cut to the slice.
     */
    default List<Region> inputRegions(Graph graph, Op op, Region output, int from, int to) {
        List<Region> all = new ArrayList<>(inputRegions(graph, op, output));
        Region in = all.get(0);
        int c = in.rank() - 1;
        all.set(0, in.isEmpty() ? in : in.with(c, Math.max(from, in.lo(c)), Math.min(to, in.hi(c))));
        return all;
    }

    /** A tensor of the output's shape and the accumulator type, for accumulator views. */
    static Tensor accumulatorTensor(Tensor output, DType type) {
        return new Tensor(-1, output.name() + "/acc", type, output.shape(), null, null, 0, null, false, false);
    }
}
