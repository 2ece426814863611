package io.tinyfit.fuzz;

/**
 * One damaged model file.
 *
 * @param model       the file it was made from
 * @param description what was changed, precisely enough to reproduce it
 */
public record Mutation(MutationKind kind, String model, String description, byte[] bytes) {
    /** {@code model: kind (description)}: how reports name a case. */
    public String label() { return model + ": " + kind.label() + " (" + description + ")"; }
}
