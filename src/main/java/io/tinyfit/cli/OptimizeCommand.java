package io.tinyfit.cli;

import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.codegen.GeneratedCode;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
import io.tinyfit.tflite.ModelWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Reduce the arena: memory-minimising operator order, better offset planning and diagonal memory optimisation (proven-safe input/output overlaps), verified by execution; writes a .tflite with a TFLM offline memory plan.")
final class OptimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Mixin
    OptimizeSettings settings = new OptimizeSettings();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the optimised model (operators in the new order, OfflineMemoryAllocation metadata)")
    Path output;

    @Option(names = "--plan-json", paramLabel = "FILE", description = "write the plan as JSON (schema tinyfit/1)")
    Path planJson;

    @Option(names = "--emit-c", paramLabel = "DIR", description = "also write C for the plan (as tinyfit codegen does)")
    Path emitC;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Graph g = ModelArg.load(model);
        if (emitC != null) CodeGenerator.requireSupported(g);
        Optimizer.Result r = settings.optimize(g);
        // generated in memory first: a refusal leaves no partial output behind
        GeneratedCode code = emitC == null ? null : CodeGenerator.generate(r.plan());
        spec.commandLine().getOut().print(OptimizeReport.summary(r));
        if (output != null) ModelWriter.write(r.graph(), output);
        if (planJson != null) Json.write(OptimizeReport.json(r, List.copyOf(settings.methods())), planJson);
        if (code != null) code.writeTo(emitC);
        return 0;
    }
}
