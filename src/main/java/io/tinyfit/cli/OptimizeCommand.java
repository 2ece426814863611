package io.tinyfit.cli;

import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.report.FitReport;
import io.tinyfit.report.HtmlReport;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
import io.tinyfit.targets.Budget;
import io.tinyfit.targets.FitVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Reduce the arena (reported as the whole TFLM arena and its head): memory-minimising operator order, better offset planning and diagonal memory optimisation (proven-safe input/output overlaps), verified by execution; writes a .tflite with a TFLM offline memory plan.")
final class OptimizeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Mixin
    OptimizeSettings settings = new OptimizeSettings();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the optimised model (operators in the new order, OfflineMemoryAllocation metadata)")
    Path output;

    @Option(names = "--plan-json", paramLabel = "FILE", description = "write the plan as JSON (schema tinyfit/1); - for standard output")
    Path planJson;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write a self-contained HTML report (charts, arena maps, per-step table, fit table); - for standard output")
    Path report;

    @Option(names = "--emit-c", paramLabel = "DIR", description = "also write C for the plan (as tinyfit codegen does)")
    Path emitC;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();

    @Mixin
    FitOptions fit = new FitOptions();

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Optional<Budget> budget = fit.resolve(pointer);
        int pointerBytes = FitOptions.pointerBytes(budget, pointer);
        // every output path is checked before the long work; nothing is written unless everything succeeds
        Outputs files = outputOptions.against(model).file("-o", output).text("--plan-json", planJson).text("--report", report).directory("--emit-c", emitC);
        Graph g = modelOptions.load(model);
        // refused before the long work starts
        if (budget.isPresent()) FitVerdict.unjudgeable(g).ifPresent(why -> { throw new TinyfitException(why); });
        // an unsafe file plan stops here unless trusted; trusted, it is still never the baseline of a saving
        modelOptions.baseline(g, spec.commandLine().getErr());
        if (emitC != null) CodeGenerator.requireSupported(g);
        Optimizer.Result r = settings.optimize(g);
        // the written file's arena: its offline plan fixes the head
        Optional<FitVerdict> verdict = budget.map(b -> FitVerdict.judge(b, r.graph(), r.arena(), r.plan().arenaBytes()));
        var console = files.console(spec);
        console.print(OptimizeReport.summary(r, pointerBytes));
        verdict.ifPresent(v -> console.print(FitReport.text(v, missAdvice())));
        // the best plan is written whether or not it fits: it is the closest the user can get today
        if (output != null) files.put(output, r.writableBytes(output));
        if (planJson != null) files.put(planJson, Json.toString(OptimizeReport.json(r, List.copyOf(settings.methods()), pointerBytes, verdict)) + "\n");
        if (report != null) files.put(report, HtmlReport.of(r, List.copyOf(settings.methods()), FitOptions.reportTargets(budget)));
        if (emitC != null) CodeGenerator.generate(r.plan()).filesIn(emitC).forEach(files::put);
        files.commit(spec.commandLine().getOut());
        return verdict.map(FitVerdict::fits).orElse(true) ? 0 : Main.EXIT_BUDGET_NOT_MET;
    }

    /** What to try after a miss: every method, unless they all ran. */
    private String missAdvice() {
        String written = output != null ? "the best plan found is still written; " : "";
        if (settings.methods().containsAll(PassRegistry.names())) return written + "every method ran: the arena needs a larger budget, or a model with fewer activation bytes";
        return written + "try every method: --methods " + String.join(",", PassRegistry.names());
    }
}
