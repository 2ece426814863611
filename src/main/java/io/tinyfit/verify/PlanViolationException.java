package io.tinyfit.verify;

import io.tinyfit.model.TinyfitException;

import java.util.List;

/** A plan failed static verification; {@link #violations()} lists every problem found. */
public class PlanViolationException extends TinyfitException {
    private final List<PlanVerifier.Violation> violations;

    public PlanViolationException(String message, List<PlanVerifier.Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<PlanVerifier.Violation> violations() { return violations; }
}
