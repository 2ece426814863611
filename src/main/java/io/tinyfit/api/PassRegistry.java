package io.tinyfit.api;

import io.tinyfit.dmo.DmoPass;
import io.tinyfit.partial.PartialPass;
import io.tinyfit.place.LayoutPass;
import io.tinyfit.plan.Pass;
import io.tinyfit.schedule.ReorderPass;
import io.tinyfit.spill.SpillPass;
import io.tinyfit.spill.SplitPass;
import io.tinyfit.tiling.TilingPass;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The optimisation passes by name, in the spirit of TVM USMP's algorithm registry: one line per technique, each
 * building its pass from the user's options. {@code tinyfit optimize --methods NAME} runs any registered name.
 */
public final class PassRegistry {
    private static final Map<String, Function<OptimizeOptions, Pass>> PASSES = new LinkedHashMap<>();

    static {
        register(ReorderPass.NAME, o -> new ReorderPass(o.orderBudget()));
        register(LayoutPass.NAME, o -> new LayoutPass());
        register(DmoPass.NAME, o -> new DmoPass(o.dmoSearch()));
        register(PartialPass.NAME, o -> new PartialPass());
        register(SplitPass.NAME, o -> new SplitPass());
        register(SpillPass.NAME, o -> new SpillPass(o.memory()));
        register(TilingPass.NAME, o -> new TilingPass(o.maxMacOverheadPct()));
    }

    private PassRegistry() {}

    /** Adds (or replaces) a pass under {@code name}. */
    public static synchronized void register(String name, Function<OptimizeOptions, Pass> factory) {
        PASSES.put(name, factory);
    }

    /** Removes a pass registered under {@code name} (a test's own pass must not leak into later tests). */
    public static synchronized void unregister(String name) { PASSES.remove(name); }

    /** The registered names, in registration order. */
    public static synchronized Set<String> names() { return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(PASSES.keySet())); }

    public static synchronized boolean has(String name) { return PASSES.containsKey(name); }

    /** A fresh pass for one optimisation (passes keep what they need to explain themselves). */
    static synchronized Pass create(String name, OptimizeOptions options) {
        Function<OptimizeOptions, Pass> f = PASSES.get(name);
        if (f == null) throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", PASSES.keySet()) + ")");
        return f.apply(options);
    }
}
