package io.tinyfit.plan;

import java.util.Locale;

/** What a step does (SCHEMA.md {@code step_kind}). */
public enum StepKind {
    /** Runs an operator on an output region from its whole input channels. */
    COMPUTE,
    /** Adds the partial sum over a slice of the input channels into an accumulator (int32; int64 for int16 activations). */
    ACCUMULATE,
    /** Bias, requantisation and activation of an accumulator into the output region. */
    FINISH,
    /** Moves a region of a tensor from one buffer (or bank) to another; no operator. */
    COPY;

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
