package io.tinyfit.cli;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.plan.DmoSummary;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.schedule.Orderings;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The planning options {@code optimize} and {@code codegen} share, and the verified optimisation they run. */
final class OptimizeSettings {
    static final List<String> KNOWN = List.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO);
    /** No pass at all: TFLM's own plan. */
    static final String NONE = "none";

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "passes to run: reorder, layout, dmo, or none for TFLM's own plan (default: reorder,layout)")
    List<String> methods = List.of(Optimizer.REORDER, Optimizer.LAYOUT);

    @Option(names = "--exact-seconds", paramLabel = "S", description = "time limit of the exact layout solver (default: ${DEFAULT-VALUE})")
    double exactSeconds = 2.0;

    @Option(names = "--dmo-search", paramLabel = "WHERE", description = "where the black-box DMO search cross-checks the safe overlap: none, peak or all (default: peak steps)")
    DmoSummary.Search dmoSearch = DmoSummary.Search.PEAK;

    /** The methods as a set, after checking each name. */
    Set<String> methods() { return checked(methods); }

    static Set<String> checked(List<String> names) {
        if (names.equals(List.of(NONE))) return Set.of();
        Set<String> m = new LinkedHashSet<>(names);
        for (String x : m) if (!KNOWN.contains(x)) throw new TinyfitException("unknown method '" + x + "' (known: " + String.join(", ", KNOWN) + ", or " + NONE + ")");
        return m;
    }

    /** Optimises and verifies by execution; a plan that fails verification is an error, never a result. */
    Optimizer.Result optimize(Graph g) {
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis((long) (exactSeconds * 1000)));
        Optimizer.Result r = Optimizer.optimize(g, new Optimizer.Options(methods(), layout, Orderings::search, dmoSearch));
        if (!r.verified()) {
            throw new TinyfitException(g.source() + ": the optimised plan failed verification by execution (" + r.check().firstMismatch() + "); nothing written");
        }
        return r;
    }
}
