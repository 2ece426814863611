package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
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
        description = "Reduce the arena (reported as the whole TFLM arena and its head): memory-minimising operator order, better offset planning and diagonal memory optimisation (proven-safe input/output overlaps), verified by execution; writes a .tflite with a TFLM offline memory plan.")
final class OptimizeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "passes to run, any registered: reorder, layout, dmo (default: reorder,layout)")
    List<String> methods = List.of(Optimizer.REORDER, Optimizer.LAYOUT);

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the optimised model (operators in the new order, OfflineMemoryAllocation metadata)")
    Path output;

    @Option(names = "--plan-json", paramLabel = "FILE", description = "write the plan as JSON (schema tinyfit/1)")
    Path planJson;

    @Option(names = "--exact-seconds", paramLabel = "S", description = "time limit of each exact search: the operator-order scheduler and the layout solver; 0 skips them (default: ${DEFAULT-VALUE})")
    double exactSeconds = 2.0;

    @Option(names = "--dmo-search", paramLabel = "WHERE", description = "where the black-box DMO search cross-checks the safe overlap: none, peak or all (default: peak steps)")
    DmoSummary.Search dmoSearch = DmoSummary.Search.PEAK;

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();
    @Option(names = "--keep-inputs", description = "keep the graph inputs intact until the inference ends: nothing reuses or overlaps their bytes (default: off, as in TFLM, whose planner frees an input after its last reader)")
    boolean keepInputs;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Every method must name a registered pass. */
    static void checkMethods(java.util.Collection<String> methods) {
        for (String x : methods) {
            if (!PassRegistry.has(x)) throw new TinyfitException("unknown method '" + x + "' (known: " + String.join(", ", PassRegistry.names()) + ")");
        }
    }

    @Override public Integer call() {
        int pointerBytes = pointer.value();
        Set<String> m = new LinkedHashSet<>(methods);
        checkMethods(m);
        if (!(exactSeconds >= 0) || Double.isInfinite(exactSeconds)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--exact-seconds must be a finite number of seconds >= 0, not " + exactSeconds);
        }
        Graph g = ModelArg.load(model);
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis((long) (exactSeconds * 1000)));
        Optimizer.Result r = Optimizer.optimize(g, new OptimizeOptions(m, layout).withDmoSearch(dmoSearch).withKeepInputs(keepInputs));
        if (!r.verified()) {
            throw new TinyfitException(g.source() + ": the optimised plan failed verification by execution (" + r.check().firstMismatch() + "); nothing written");
        }
        spec.commandLine().getOut().print(OptimizeReport.summary(r, pointerBytes));
        if (output != null) r.write(output);
        if (planJson != null) Json.write(OptimizeReport.json(r, List.copyOf(m), pointerBytes), planJson);
        return 0;
    }
}
