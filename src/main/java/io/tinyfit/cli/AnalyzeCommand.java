package io.tinyfit.cli;

import io.tinyfit.model.Graph;
import io.tinyfit.report.Analysis;
import io.tinyfit.report.AnalyzeReport;
import io.tinyfit.report.FitTarget;
import io.tinyfit.report.HtmlReport;
import io.tinyfit.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "The whole TFLM arena (kTensorArenaSize: planned head, persistent tail, allocation-time temporaries), the per-operator memory table, the exact TFLM head and the working-set lower bound.")
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
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        int pointerBytes = pointer.value();
        Outputs files = outputOptions.against(model).text("--json", json).text("--report", report);
        Graph g = modelOptions.load(model);
        Analysis a = Analysis.of(g, modelOptions.baseline(g, spec.commandLine().getErr()), modelOptions.lint(model, g));
        files.console(spec).print(AnalyzeReport.table(a, pointerBytes));
        if (json != null) files.put(json, Json.toString(AnalyzeReport.json(a, pointerBytes)) + "\n");
        if (report != null) files.put(report, HtmlReport.of(a, FitTarget.genericSizes()));
        files.commit(spec.commandLine().getOut());
        return 0;
    }
}
