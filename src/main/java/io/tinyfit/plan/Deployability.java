package io.tinyfit.plan;

import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Graph;
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
        if (refused != null) return new Deployability(TINYFIT_RUNTIME, "TFLM refuses the model: " + refused + "; " + TflmSupport.ALTERNATIVE + " runs it");
        if (!lint.passed()) return new Deployability(TINYFIT_RUNTIME, "the written file fails TFLM's load-time checks: " + lint.describe());
        return new Deployability(STOCK_TFLM, null);
    }

    /**
     * The class of {@code plan} written as {@code written}: a plan whose steps are not one whole operator each (tiles,
     * channel slices, partial sums, copies) or that uses a second bank needs the generated C, whatever the file says.
     */
    public static Deployability of(Plan plan, Graph written, TflmLint.Report lint) {
        if (!plan.isWholeOperators()) {
            return new Deployability(TINYFIT_RUNTIME, "the plan computes regions, partial sums or copies between banks, which stock TFLM cannot express; the generated C runs it");
        }
        return of(written, lint);
    }

    /** Why stock TFLM refuses the model whatever the plan ({@link TflmSupport}), or null. */
    public static String refusedByTflm(Graph g) { return TflmSupport.refusal(g).orElse(null); }
}
