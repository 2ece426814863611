package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One operator kind's computation, bit-exact with TFLite Micro's reference kernel, in the same loop order
 * (the overlap analysis and the exported plans depend on that order).
 *
 * <p>Region inference lives next to each kernel: a kind that can compute part of its output
 * ({@link OpContext#outputRegion()}) from input views that hold only part of their tensors overrides
 * {@link #splittableDims} and {@link #inputRegions}; every other kind keeps these defaults and is unsplittable: it
 * computes its whole output from whole inputs.
 */
public interface Kernel {
    /**
     * Checks the operator as TFLM's {@code Prepare} does, before anything runs: operand counts, ranks, dtypes,
     * shapes, parameters and the quantisation the arithmetic needs. After it passed, {@link #eval} cannot fail on
     * the operator's structure (only on data, such as a gather position out of range).
     *
     * @throws io.tinyfit.model.ModelFormatException the operator breaks a rule of its kind
     * @throws UnsupportedOpVariantException         tinyfit has no kernel for this variant
     */
    void prepare(Preparation p);

    /** Runs the operator over {@link OpContext#outputRegion()}. Must read inputs and write outputs only through the context's views. */
    void eval(OpContext ctx);

    /**
     * The scratch buffers TFLM's kernel requests in {@code Prepare} ({@code RequestScratchBufferInArena}), in
     * request order, in bytes (unaligned). TFLM's memory plan includes them, so the baseline must too.
     */
    default List<Long> scratchBytes(Graph graph, Op op) { return List.of(); }

    /**
     * Per dimension of output 0: may a step compute part of it? An unsplittable op answers false everywhere; a
     * region of it must cover those dimensions whole.
     */
    default boolean[] splittableDims(Graph graph, Op op) { return new boolean[graph.tensor(op.output(0)).shape().rank()]; }

    /**
     * The region of each input (in input order; null for an omitted one) that computing {@code output} of output 0
     * reads: exactly the bounding box of the elements the kernel reads, the canonical empty region when it reads
     * none. The default, for unsplittable kinds, accepts only the whole output and needs every input whole.
     */
    default List<Region> inputRegions(Graph graph, Op op, Region output) {
        Tensor out = graph.tensor(op.output(0));
        if (!output.isWhole(out.shape())) {
            throw new UnsupportedOpVariantException(op.kind() + " cannot compute part " + output + " of its output " + out.shape());
        }
        return wholeInputs(graph, op);
    }

    /** Every input whole (null for an omitted one). */
    static List<Region> wholeInputs(Graph graph, Op op) {
        List<Region> regions = new ArrayList<>();
        for (int t : op.inputs()) regions.add(t < 0 ? null : Region.whole(graph.tensor(t).shape()));
        return regions;
    }

    /**
     * The inputs of a kind whose first input alone depends on the region: that one from {@code need} (empty for an
     * empty output region), the other operands (sizes, paddings, permutations) whole.
     */
    static List<Region> firstInputFrom(Graph graph, Op op, Region output, java.util.function.Function<Region, Region> need) {
        List<Region> regions = wholeInputs(graph, op);
        regions.set(0, output.isEmpty() ? Region.empty(graph.tensor(op.input(0)).shape().rank()) : need.apply(output));
        return regions;
    }

    /** Every input empty (null for an omitted one): what an empty output region reads. */
    static List<Region> emptyInputs(Graph graph, Op op) {
        List<Region> regions = new ArrayList<>();
        for (int t : op.inputs()) regions.add(t < 0 ? null : Region.empty(graph.tensor(t).shape().rank()));
        return regions;
    }

    /** All dimensions of output 0 splittable. */
    static boolean[] allSplittable(Graph graph, Op op) {
        boolean[] s = new boolean[graph.tensor(op.output(0)).shape().rank()];
        Arrays.fill(s, true);
        return s;
    }
}
