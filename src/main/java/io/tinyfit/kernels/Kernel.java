package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.List;

/**
 * One operator kind's computation, bit-exact with TFLite Micro's reference kernel, in the same loop order
 * (the overlap analysis and the exported plans depend on that order).
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

    /** Runs the operator. Must read inputs and write outputs only through the context's views. */
    void eval(OpContext ctx);

    /**
     * The scratch buffers TFLM's kernel requests in {@code Prepare} ({@code RequestScratchBufferInArena}), in
     * request order, in bytes (unaligned). TFLM's memory plan includes them, so the baseline must too.
     */
    default List<Long> scratchBytes(Graph graph, Op op) { return List.of(); }
}
