package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;

/**
 * How a kernel refuses an operator, when it prepares it ({@link Preparation}) and when it runs it
 * ({@link OpContext}): every message names the file, the operator and the rule, on one line.
 */
public interface Refusals {
    Graph graph();

    Op op();

    /** Position of the operator in the model's operator list (for error messages). */
    int opIndex();

    /** The operator breaks a rule of its kind: the model is invalid (TFLM's Prepare would fail, or compute garbage). */
    default ModelFormatException invalid(String rule) {
        return new ModelFormatException(where() + rule);
    }

    /** A valid operator in a variant (dtype combination, parameter) tinyfit has no kernel for. */
    default UnsupportedOpVariantException unsupported(String what) {
        return new UnsupportedOpVariantException(where() + what);
    }

    private String where() {
        return graph().source() + ": " + GraphValidator.describe(op(), opIndex()) + ": ";
    }
}
