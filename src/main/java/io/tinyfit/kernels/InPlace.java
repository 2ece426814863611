package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * What a kernel allows when its output shares bytes with its input, as TFLM's kernels behave: the planners, the
 * DMO analysis and the verifier all ask here, so the three cannot disagree.
 */
public final class InPlace {
    /** Kinds TFLM always copies, even onto the same bytes ({@code memcpy} of overlapping buffers is undefined in C). */
    private static final Set<String> ALWAYS_COPY = Set.of("SQUEEZE", "EXPAND_DIMS");
    private static final Set<String> HYBRID_CAPABLE = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV");

    private InPlace() {}

    /** The output may be the very bytes of its input (same offset, same size): TFLM's RESHAPE skips its copy then. */
    public static boolean mayAlias(String kind) { return kind.equals("RESHAPE"); }

    /** TFLM's kernel copies unconditionally, so the output needs bytes of its own. */
    public static boolean alwaysCopies(String kind) { return ALWAYS_COPY.contains(kind); }

    /** The output may partially overlap its input, at a delta a trace proves safe: the kernel follows TFLM's order. */
    public static boolean mayOverlapPartially(String kind) {
        return !mayAlias(kind) && !alwaysCopies(kind) && ReferenceOrders.has(kind);
    }

    /** Float activations with integer weights: tinyfit's own hybrid path, which stock TFLM refuses to run. */
    public static boolean hybrid(Graph g, Op op) {
        if (op.inputs().size() < 2 || op.input(0) < 0 || op.input(1) < 0) return false;
        Tensor in = g.tensor(op.input(0));
        Tensor w = g.tensor(op.input(1));
        return in.dtype() == DType.FLOAT32 && w.isConstant() && w.dtype() != DType.FLOAT32 && HYBRID_CAPABLE.contains(op.kind());
    }
}
