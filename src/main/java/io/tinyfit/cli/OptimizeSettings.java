package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The planning options {@code optimize}, {@code codegen} and {@code bench} share, and the verified optimisation they run. */
final class OptimizeSettings {
    /** No pass at all: TFLM's own plan. */
    static final String NONE = "none";

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "passes to run, any registered: reorder, layout, dmo, partial, split, spill, tiling; or none for TFLM's own plan (default: every registered pass; optimize tries them cheapest first and keeps the best plan)")
    List<String> methods;

    @Option(names = "--exact-seconds", paramLabel = "S", description = "time limit of each exact search: the operator-order scheduler and the layout solver; 0 skips them (default: ${DEFAULT-VALUE})")
    double exactSeconds = 2.0;

    @Option(names = "--dmo-search", paramLabel = "WHERE", description = "where the black-box DMO search cross-checks the safe overlap: none, peak or all (default: peak steps)")
    DmoSummary.Search dmoSearch = DmoSummary.Search.PEAK;

    @Option(names = "--keep-inputs", description = "keep the graph inputs intact until the inference ends: nothing reuses or overlaps their bytes (default: off, as in TFLM, whose planner frees an input after its last reader)")
    boolean keepInputs;

    /** The kernel library the command resolved ({@link KernelOptions}); the reference kernels unless set. */
    io.tinyfit.arena.KernelTarget kernels = io.tinyfit.arena.KernelTarget.REFERENCE;

    @Option(names = "--memory", paramLabel = "LIST",
            description = "memories for spill, comma-separated, each name:size[:bandwidth[:latency[:mapped|unmapped]]] (e.g. sram:64KiB,psram:8MiB:20MB/s:1us); sram:SIZE is the SRAM arena spill aims at (else the --budget or --target figure less TFLM's tail); default: the --target board's external RAM, else " + io.tinyfit.spill.Memory.DEFAULT + " (bandwidth 20MB/s and latency 1us when left out; unmapped: reached by copies)")
    String memory;

    @Option(names = "--max-transfer-ms", paramLabel = "MS", description = "spill: no plan whose estimated transfer time per inference exceeds MS milliseconds (default: no bound)")
    Double maxTransferMs;

    /** Set from --budget/--target by the command: the SRAM arena spill aims at, and the board's external RAM. */
    Long fitSramBudget;
    io.tinyfit.spill.Memory boardMemory;

    /**
     * What spill aims at from the budget: the budget less what TFLM's arena needs beyond its head (the tail and
     * temporaries, which spilling does not change), and the board's external RAM as the slower memory.
     */
    void fit(java.util.Optional<io.tinyfit.targets.Budget> budget, Graph g, int pointerBytes) {
        if (budget.isEmpty()) return;
        long head = io.tinyfit.plan.TflmBaseline.plan(g).arenaBytes();
        long whole = io.tinyfit.arena.ArenaByWidth.of(g, head).forPointerBytes(pointerBytes).map(io.tinyfit.arena.ArenaEstimate::predictedMinBytes).orElse(head);
        fitSramBudget = Math.max(0, budget.get().bytes() - (whole - head));
        var board = budget.get().board();
        if (board != null && board.externalRamBytes() > 0) boardMemory = new io.tinyfit.spill.Memory("extram", board.externalRamBytes(), io.tinyfit.spill.Memory.DEFAULT_BANDWIDTH, io.tinyfit.spill.Memory.DEFAULT_LATENCY_NS, false);
    }

    /** The memories, SRAM budget and transfer bound of spill; a bad --memory is a usage error quoting it. */
    io.tinyfit.spill.SpillOptions memoryOptions() {
        double bound = maxTransferMs == null ? Double.POSITIVE_INFINITY : maxTransferMs;
        if (!(bound >= 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--max-transfer-ms must be a number of milliseconds >= 0, not " + maxTransferMs);
        io.tinyfit.spill.SpillOptions o;
        try {
            o = memory != null ? io.tinyfit.spill.SpillOptions.parse(memory, bound)
                    : new io.tinyfit.spill.SpillOptions(List.of(boardMemory != null ? boardMemory : io.tinyfit.spill.Memory.parse(io.tinyfit.spill.Memory.DEFAULT)), -1, bound);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--memory " + e.getMessage());
        }
        return !o.hasBudget() && fitSramBudget != null ? o.withSramBudget(fitSramBudget) : o;
    }

    /** The methods as a set, after checking each name: those given, else every registered pass. */
    Set<String> methods() { return methods == null ? new LinkedHashSet<>(PassRegistry.names()) : checked(methods); }

    /** True when {@code --methods} named the passes: {@code optimize} then runs exactly that set, no search. */
    boolean methodsGiven() { return methods != null; }

    /** Every method must name a registered pass, or be {@code none} alone. */
    static Set<String> checked(Collection<String> names) {
        if (List.copyOf(names).equals(List.of(NONE))) return Set.of();
        Set<String> m = new LinkedHashSet<>(names);
        for (String x : m) {
            if (!PassRegistry.has(x)) throw new TinyfitException("unknown method '" + x + "' (known: " + String.join(", ", PassRegistry.names()) + ", or " + NONE + ")");
        }
        return m;
    }

    /** The optimizer's options; a negative or non-finite time limit is a usage error. */
    OptimizeOptions options() {
        if (!(exactSeconds >= 0) || Double.isInfinite(exactSeconds)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--exact-seconds must be a finite number of seconds >= 0, not " + exactSeconds);
        }
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis((long) (exactSeconds * 1000)));
        return new OptimizeOptions(methods(), layout).withDmoSearch(dmoSearch).withKeepInputs(keepInputs).withKernels(kernels).withMemory(memoryOptions());
    }

    /**
     * Optimises and verifies by execution; a plan that fails verification is an error, never a result. A plan of a
     * model with an operator tinyfit has no kernel for is verified statically only, and labelled so.
     */
    Optimizer.Result optimize(Graph g) { return requireVerified(g, Optimizer.optimize(g, options())); }

    static Optimizer.Result requireVerified(Graph g, Optimizer.Result r) {
        if (r.executable() && !r.verified()) {
            throw new TinyfitException(g.source() + ": the optimised plan failed verification by execution ("
                    + (r.check() == null ? "not executed" : r.check().firstMismatch()) + "); nothing written");
        }
        return r;
    }
}
