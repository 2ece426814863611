package io.tinyfit.api;

import io.tinyfit.arena.KernelTarget;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.schedule.ExactScheduler;
import io.tinyfit.spill.SpillOptions;

import java.time.Duration;
import java.util.Set;

/**
 * What an optimisation runs and with which budgets.
 *
 * @param methods     names of the passes to run ({@link PassRegistry}); they run in their own rank order
 * @param layout      budgets of the placement strategies
 * @param orderBudget budget of the exact operator-order scheduler
 * @param dmoSearch   where DMO's black-box search cross-checks the traced bounds in the report
 * @param keepInputs  the graph inputs must hold the caller's data until the inference ends: their buffers live to
 *                    the last step and nothing overlaps them. Off by default, as in TFLM, whose planner frees a
 *                    graph input after its last reader (so DMO may overlap it there)
 * @param kernels     the kernel library (and processor) the plan is for: its scratch buffers are in every arena
 *                    figure, and DMO is off at the operators it replaces
 * @param memory      the slower memories {@code spill} may use, its SRAM budget and transfer bound ({@code --memory},
 *                    {@code --max-transfer-ms})
 * @param maxMacOverheadPct MACs a pass may repeat (tiles recomputing their halos), in percent of the model's; 0 by
 *                    default (the plan search passes its {@code --max-mac-overhead})
 */
public record OptimizeOptions(Set<String> methods, PlannerSuite.Options layout, ExactScheduler.Budget orderBudget, DmoSummary.Search dmoSearch,
                              boolean keepInputs, KernelTarget kernels, SpillOptions memory, double maxMacOverheadPct) {
    /** Time limit of each exact search when the user sets none. */
    public static final Duration DEFAULT_EXACT_TIME = Duration.ofSeconds(2);

    public OptimizeOptions {
        methods = Set.copyOf(methods);
        if (kernels == null) kernels = KernelTarget.REFERENCE;
        memory = memory == null ? SpillOptions.defaults() : memory;
    }

    /** For TFLM's reference kernels, the default memory ({@link SpillOptions#defaults}), no MAC overhead allowed. */
    public OptimizeOptions(Set<String> methods, PlannerSuite.Options layout, ExactScheduler.Budget orderBudget, DmoSummary.Search dmoSearch,
                           boolean keepInputs) {
        this(methods, layout, orderBudget, dmoSearch, keepInputs, KernelTarget.REFERENCE, SpillOptions.defaults(), 0);
    }

    /** The exact scheduler gets the layout solver's time limit; DMO's search runs on the peak steps. */
    public OptimizeOptions(Set<String> methods, PlannerSuite.Options layout) {
        this(methods, layout, new ExactScheduler.Budget(ExactScheduler.DEFAULT_MAX_STATES, layout.exactTimeLimit()), DmoSummary.Search.PEAK, false);
    }

    /** These passes with the command line's default budgets. */
    public static OptimizeOptions of(String... methods) {
        return new OptimizeOptions(Set.of(methods), PlannerSuite.Options.quick().withExactTimeLimit(DEFAULT_EXACT_TIME));
    }

    /** The same budgets for other passes (the bench runs each method alone, then all together). */
    public OptimizeOptions withMethods(Set<String> passes) { return new OptimizeOptions(passes, layout, orderBudget, dmoSearch, keepInputs, kernels, memory, maxMacOverheadPct); }

    public OptimizeOptions withDmoSearch(DmoSummary.Search search) { return new OptimizeOptions(methods, layout, orderBudget, search, keepInputs, kernels, memory, maxMacOverheadPct); }

    public OptimizeOptions withKeepInputs(boolean keep) { return new OptimizeOptions(methods, layout, orderBudget, dmoSearch, keep, kernels, memory, maxMacOverheadPct); }

    public OptimizeOptions withKernels(KernelTarget k) { return new OptimizeOptions(methods, layout, orderBudget, dmoSearch, keepInputs, k, memory, maxMacOverheadPct); }

    public OptimizeOptions withMemory(SpillOptions m) { return new OptimizeOptions(methods, layout, orderBudget, dmoSearch, keepInputs, kernels, m, maxMacOverheadPct); }

    public OptimizeOptions withMaxMacOverhead(double pct) { return new OptimizeOptions(methods, layout, orderBudget, dmoSearch, keepInputs, kernels, memory, pct); }
}
