package io.tinyfit.plan;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the passes of one optimisation share: the model as read, the layout budgets every placement uses, whether
 * the graph inputs must survive the inference, and the analyses a pass publishes for the others (each computed
 * once).
 */
public final class PassContext {
    private final Graph original;
    private final PlannerSuite.Options layout;
    private final boolean keepInputs;
    private final Map<Class<?>, Object> shared = new HashMap<>();

    public PassContext(Graph original, PlannerSuite.Options layout, boolean keepInputs) {
        this.original = original;
        this.layout = layout;
        this.keepInputs = keepInputs;
    }

    /** A context with TFLM's lifetimes: graph inputs free after their last reader. */
    public PassContext(Graph original, PlannerSuite.Options layout) { this(original, layout, false); }

    public Graph original() { return original; }

    /** Budgets of the placement strategies. */
    public PlannerSuite.Options layout() { return layout; }

    /** The graph inputs hold the caller's data until the inference ends (their buffers live to the last step). */
    public boolean keepInputs() { return keepInputs; }

    public <T> void share(Class<T> type, T value) { shared.put(type, value); }

    public <T> Optional<T> shared(Class<T> type) { return Optional.ofNullable(type.cast(shared.get(type))); }
}
