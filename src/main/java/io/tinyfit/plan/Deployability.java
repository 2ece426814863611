package io.tinyfit.plan;

import io.tinyfit.kernels.InPlace;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.tflite.TflmLint;

/**
 * What can run a plan (SCHEMA.md {@code deployability}). A class is claimed only when the artefact passed the
 * checks for it: {@code stock-tflm} needs a model whose operators stock TFLM has kernels for and a written file
 * that passed {@link TflmLint}, the load-time checks that mirror TFLM's own.
 *
 * @param reason why the plan is not {@code stock-tflm}; null when it is
 */
public record Deployability(String label, String reason) {
    public static final String STOCK_TFLM = "stock-tflm";
    public static final String TINYFIT_RUNTIME = "tinyfit-runtime";

    public boolean isStockTflm() { return STOCK_TFLM.equals(label); }

    /** The class of a plan whose written model is {@code written}, with that file's lint report. */
    public static Deployability of(Graph written, TflmLint.Report lint) {
        String refused = refusedByTflm(written);
        if (refused != null) return new Deployability(TINYFIT_RUNTIME, refused);
        if (!lint.passed()) return new Deployability(TINYFIT_RUNTIME, "the written file fails TFLM's load-time checks: " + lint.describe());
        return new Deployability(STOCK_TFLM, null);
    }

    /**
     * Why stock TFLM refuses the model whatever the plan, or null: legacy uint8 activations or hybrid operators
     * (float activations, integer weights), which only tinyfit's own kernels run.
     */
    public static String refusedByTflm(Graph g) {
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            if (InPlace.hybrid(g, op)) return "operator " + i + " (" + op.kind() + ") is hybrid (float activations, integer weights), which TFLM refuses";
            for (int t : op.outputs()) {
                if (g.tensor(t).dtype() == DType.UINT8 && !op.kind().equals("QUANTIZE")) {
                    return "operator " + i + " (" + op.kind() + ") has uint8 activations, which TFLM's kernels refuse";
                }
            }
        }
        return null;
    }
}
