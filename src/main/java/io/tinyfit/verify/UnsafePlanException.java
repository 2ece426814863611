package io.tinyfit.verify;

import java.util.List;

/**
 * The offline memory plan a model file carries failed static verification. Unlike a violation in a plan tinyfit
 * derived itself (a bug), this is bad input: the CLI prints the message (the file, the two tensors, the step)
 * and exits with code 2 unless {@code --trust-plan} is given.
 */
public class UnsafePlanException extends PlanViolationException {
    public UnsafePlanException(String message, List<PlanVerifier.Violation> violations) { super(message, violations); }
}
