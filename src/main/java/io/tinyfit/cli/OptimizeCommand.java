package io.tinyfit.cli;

import io.tinyfit.api.Optimizer;
import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.model.Graph;
import io.tinyfit.report.FitTarget;
import io.tinyfit.report.HtmlReport;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
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
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        int pointerBytes = pointer.value();
        // every output path is checked before the long work; nothing is written unless everything succeeds
        Outputs files = outputOptions.against(model).file("-o", output).text("--plan-json", planJson).text("--report", report).directory("--emit-c", emitC);
        Graph g = modelOptions.load(model);
        // an unsafe file plan stops here unless trusted; trusted, it is still never the baseline of a saving
        modelOptions.baseline(g, spec.commandLine().getErr());
        if (emitC != null) CodeGenerator.requireSupported(g);
        Optimizer.Result r = settings.optimize(g);
        files.console(spec).print(OptimizeReport.summary(r, pointerBytes));
        if (output != null) files.put(output, r.writableBytes(output));
        if (planJson != null) files.put(planJson, Json.toString(OptimizeReport.json(r, List.copyOf(settings.methods()), pointerBytes)) + "\n");
        if (report != null) files.put(report, HtmlReport.of(r, List.copyOf(settings.methods()), FitTarget.genericSizes()));
        if (emitC != null) CodeGenerator.generate(r.plan()).filesIn(emitC).forEach(files::put);
        files.commit(spec.commandLine().getOut());
        return 0;
    }
}
