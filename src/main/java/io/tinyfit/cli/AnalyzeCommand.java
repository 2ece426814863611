package io.tinyfit.cli;

import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.report.Analysis;
import io.tinyfit.report.AnalyzeReport;
import io.tinyfit.report.FitReport;
import io.tinyfit.report.HtmlReport;
import io.tinyfit.report.Json;
import io.tinyfit.report.KernelReport;
import io.tinyfit.targets.Budget;
import io.tinyfit.targets.FitVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "The whole TFLM arena (kTensorArenaSize: planned head, persistent tail, allocation-time temporaries), the per-operator memory table, the exact TFLM head and the working-set lower bound; with --budget or --target, whether it fits (exit 1 when not).")
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded MobileNetV2-style model)")
    Path model;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the analysis as JSON (schema tinyfit/1); - for standard output")
    Path json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "also write a self-contained HTML report (charts, arena map, fit table); - for standard output")
    Path report;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();

    @Mixin
    FitOptions fit = new FitOptions();

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Optional<Budget> budget = fit.resolve(pointer);
        int pointerBytes = FitOptions.pointerBytes(budget, pointer);
        Outputs files = outputOptions.against(model).text("--json", json).text("--report", report);
        Graph g = modelOptions.load(model);
        if (budget.isPresent()) FitVerdict.unjudgeable(g).ifPresent(why -> { throw new TinyfitException(why); });
        var kernels = kernelOptions.resolve(budget);
        Analysis a = Analysis.of(g, modelOptions.baseline(g, spec.commandLine().getErr()), modelOptions.lint(model, g)).withKernels(kernels);
        // the model as it would run today: TFLM's plan of it (its own offline plan when that verified)
        Optional<FitVerdict> verdict = budget.map(b -> FitVerdict.judge(b, g, a.arena(), a.baseline().arenaBytes()));
        var console = files.console(spec);
        console.print(AnalyzeReport.table(a, pointerBytes));
        console.print(KernelReport.text(kernels, g));
        verdict.ifPresent(v -> console.print(FitReport.text(v, "tinyfit optimize (--methods reorder,layout,dmo) may bring it down; it verifies every plan it offers", kernels.id())));
        if (json != null) {
            var doc = AnalyzeReport.json(a, pointerBytes, verdict);
            doc.put("kernel_library", KernelReport.json(kernels, g));
            files.put(json, Json.toString(doc) + "\n");
        }
        if (report != null) files.put(report, HtmlReport.of(a, FitOptions.reportTargets(budget)));
        files.commit(spec.commandLine().getOut());
        return verdict.map(FitVerdict::fits).orElse(true) ? 0 : Main.EXIT_BUDGET_NOT_MET;
    }
}
