package io.tinyfit.codegen;

import io.tinyfit.model.Op;
import io.tinyfit.model.UnsupportedOperatorException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The operator kinds the C runtime has kernels for, each with the emitter that writes its steps. */
final class CKernels {
    private static final Map<String, StepEmitter> EMITTERS = new HashMap<>();

    static {
        ConvEmitters.register(EMITTERS);
        PoolEmitters.register(EMITTERS);
        ElementwiseEmitters.register(EMITTERS);
        RowEmitters.register(EMITTERS);
        DataEmitters.register(EMITTERS);
    }

    /** The kinds whose C kernels also split into accumulate and finish steps (int8, int32 sums). */
    static final Set<String> PARTIAL_SUMS = Set.of("CONV_2D", "FULLY_CONNECTED");

    private CKernels() {}

    static StepEmitter forOp(Op op, int opIndex) {
        StepEmitter e = EMITTERS.get(op.kind());
        if (e == null) throw new UnsupportedOperatorException("operator " + opIndex + " (" + op.kind() + ") has no kernel in the C runtime");
        return e;
    }

    static Set<String> kinds() { return Set.copyOf(EMITTERS.keySet()); }
}
