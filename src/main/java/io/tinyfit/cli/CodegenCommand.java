package io.tinyfit.cli;

import io.tinyfit.api.Optimizer;
import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.codegen.GeneratedCode;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "codegen", mixinStandardHelpOptions = true,
        description = "Generate C for the best plan tinyfit verifies (same methods as optimize): model.c/model.h with a static arena of exactly the plan's SRAM size running its steps (whole operators, operators over regions, accumulate/finish, copies; a slower bank is memory the application provides with model_set_bank), the weights in model_constants.c, tinyfit's C runtime and a Makefile for the host driver model_host.")
final class CodegenCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "folder for the generated files (created if needed)")
    Path output;

    @Mixin
    OptimizeSettings settings = new OptimizeSettings();

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Outputs files = outputOptions.against(model).directory("-o", output);
        Graph g = modelOptions.load(model);
        // an unsafe file plan stops here unless trusted
        modelOptions.baseline(g, spec.commandLine().getErr());
        CodeGenerator.requireSupported(g);
        Optimizer.Result r = settings.optimize(g);
        Plan p = r.plan();
        GeneratedCode code = CodeGenerator.generate(p);
        code.filesIn(output).forEach(files::put);
        files.commit(spec.commandLine().getOut());
        spec.commandLine().getOut().printf("%s: wrote %d files to %s: plan %s, %d steps, arena %,d bytes (TFLM %,d), %d overlaps; "
                        + "`make -C %s` builds model_host%n", g.source(), code.names().size(), output, p.planner(), p.stepCount(), p.arenaBytes(),
                r.baseline().arenaBytes(), p.overlaps().size(), output);
        return 0;
    }
}
