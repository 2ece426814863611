package io.tinyfit.plan;

/**
 * A declared DMO overlap: at {@code step}, the operator's output buffer may share bytes with its input buffer,
 * because the kernel never overwrites an input byte it still has to read when the output starts at least
 * {@code minDeltaBytes} below the input. {@code method} names how the bound was proven ("trace", or "alias" for
 * a RESHAPE whose output is the input's own bytes). The verifier never trusts {@code minDeltaBytes}: it
 * recomputes the bound itself.
 */
public record Overlap(int step, int inputTensor, int outputTensor, long minDeltaBytes, String method) {
    public static final String TRACE = "trace";
    public static final String ALIAS = "alias";
}
