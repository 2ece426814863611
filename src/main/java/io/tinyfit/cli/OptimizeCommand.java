package io.tinyfit.cli;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.plan.DmoSummary;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
import io.tinyfit.schedule.Orderings;
import io.tinyfit.tflite.ModelWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Reduce the arena: memory-minimising operator order, better offset planning and diagonal memory optimisation (proven-safe input/output overlaps), verified by execution; writes a .tflite with a TFLM offline memory plan.")
final class OptimizeCommand implements Callable<Integer> {
    static final List<String> KNOWN = List.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO);

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "passes to run: reorder, layout, dmo (default: reorder,layout)")
    List<String> methods = List.of(Optimizer.REORDER, Optimizer.LAYOUT);

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the optimised model (operators in the new order, OfflineMemoryAllocation metadata)")
    Path output;

    @Option(names = "--plan-json", paramLabel = "FILE", description = "write the plan as JSON (schema tinyfit/1)")
    Path planJson;

    @Option(names = "--exact-seconds", paramLabel = "S", description = "time limit of the exact layout solver (default: ${DEFAULT-VALUE})")
    double exactSeconds = 2.0;

    @Option(names = "--dmo-search", paramLabel = "WHERE", description = "where the black-box DMO search cross-checks the safe overlap: none, peak or all (default: peak steps)")
    DmoSummary.Search dmoSearch = DmoSummary.Search.PEAK;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Set<String> m = new LinkedHashSet<>(methods);
        for (String x : m) if (!KNOWN.contains(x)) throw new TinyfitException("unknown method '" + x + "' (known: " + String.join(", ", KNOWN) + ")");
        Graph g = modelOptions.load(model);
        // an unsafe file plan stops here unless trusted; trusted, it is still never the baseline of a saving
        modelOptions.baseline(g, spec.commandLine().getErr());
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis((long) (exactSeconds * 1000)));
        Optimizer.Result r = Optimizer.optimize(g, new Optimizer.Options(m, layout, Orderings::search, dmoSearch));
        if (!r.verified()) {
            throw new TinyfitException(g.source() + ": the optimised plan failed verification by execution (" + r.check().firstMismatch() + "); nothing written");
        }
        spec.commandLine().getOut().print(OptimizeReport.summary(r));
        if (output != null) ModelWriter.write(r.graph(), output);
        if (planJson != null) Json.write(OptimizeReport.json(r, List.copyOf(m)), planJson);
        return 0;
    }
}
