package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.UnsupportedOperatorException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Maps operator names (CONV_2D, ...) to kernels. Each kernel family registers itself in its own class. */
public final class KernelRegistry {
    private static final Map<String, Kernel> KERNELS = new HashMap<>();

    static {
        ConvKernels.register(KERNELS);
        ElementwiseKernels.register(KERNELS);
        ReductionKernels.register(KERNELS);
        DataKernels.register(KERNELS);
        SequenceKernels.register(KERNELS);
        KERNELS.put(DetectionPostprocessKernel.KIND, new DetectionPostprocessKernel());
    }

    private KernelRegistry() {}

    public static Optional<Kernel> find(String kind) { return Optional.ofNullable(KERNELS.get(kind)); }

    /** The kernel for an operator, or an error naming the operator and its index. */
    public static Kernel forOp(Op op, int opIndex) {
        Kernel k = KERNELS.get(op.kind());
        if (k == null) throw new UnsupportedOperatorException(GraphValidator.describe(op, opIndex) + " has no tinyfit kernel");
        return k;
    }

    /** The kernel for operator {@code opIndex} of {@code g}, or an error naming the file and the operator. */
    public static Kernel forOp(Graph g, int opIndex) {
        Op op = g.ops().get(opIndex);
        Kernel k = KERNELS.get(op.kind());
        if (k == null) throw new UnsupportedOperatorException(g.source() + ": " + GraphValidator.describe(op, opIndex) + " has no tinyfit kernel");
        return k;
    }

    public static java.util.Set<String> kinds() { return java.util.Set.copyOf(KERNELS.keySet()); }
}
