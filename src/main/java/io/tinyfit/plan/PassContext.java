package io.tinyfit.plan;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the passes of one optimisation share: the model as read, which passes run, the layout budgets every
 * placement uses, and the analyses a pass publishes for the others (each computed once).
 */
public final class PassContext {
    private final Graph original;
    private final Set<String> passes;
    private final PlannerSuite.Options layout;
    private final Map<Class<?>, Object> shared = new HashMap<>();

    public PassContext(Graph original, Set<String> passes, PlannerSuite.Options layout) {
        this.original = original;
        this.passes = Set.copyOf(passes);
        this.layout = layout;
    }

    public Graph original() { return original; }

    /** True when the pass of that name runs in this optimisation. */
    public boolean runs(String pass) { return passes.contains(pass); }

    /** Budgets of the placement strategies. */
    public PlannerSuite.Options layout() { return layout; }

    public <T> void share(Class<T> type, T value) { shared.put(type, value); }

    public <T> Optional<T> shared(Class<T> type) { return Optional.ofNullable(type.cast(shared.get(type))); }
}
