package io.tinyfit.cli;

import io.tinyfit.codegen.TflmExport;
import io.tinyfit.codegen.TflmOpResolver;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.tflite.ModelWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Firmware glue for a stock TFLM build: the model as given as a 16-byte aligned C array (model_data.cc/.h), kTensorArenaSize for the pointer width, "
                + "and a MicroMutableOpResolver registration of exactly the model's operators (model_resolver.h). Run optimize -o first to export an optimised model.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true, description = "folder for model_data.cc, model_data.h and model_resolver.h")
    Path output;

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        int pointerBytes = pointer.value();
        Graph g = modelOptions.load(model);
        // TFLM honours the file's offline plan, so its head is the file's plan when that verified
        var baseline = modelOptions.baseline(g, spec.commandLine().getErr());
        var kernels = kernelOptions.resolve(java.util.Optional.empty());
        // with another library TFLM fits that library's scratch buffers around the file's planned tensors
        long head = kernels.isReference() ? baseline.arenaBytes() : io.tinyfit.plan.LibraryPlans.baseline(g, kernels).arenaBytes();
        TflmExport.Export e = TflmExport.generate(g, bytes(g), modelOptions.lint(model, g), head, pointerBytes, kernels);
        e.files().writeTo(output);
        spec.commandLine().getOut().printf("%s: wrote %s%n  %s: the model, %,d bytes, alignas(16)%n  %s: kTensorArenaSize = %,d (%d-bit build, %s kernels)%n"
                        + "  %s: MicroMutableOpResolver<%d> with %s%n", g.source(), output, TflmExport.MODEL_DATA_CC, e.modelBytes(),
                TflmExport.MODEL_DATA_H, e.arena().predictedMinBytes(), pointerBytes * 8, e.arena().kernels(), TflmExport.RESOLVER_H, e.operators().size(),
                e.operators().stream().map(TflmOpResolver.Registration::method).map(m -> m + "()").collect(Collectors.joining(", ")));
        return 0;
    }

    /** The model as given: the file's own bytes (the embedded model as the writer writes it). */
    private byte[] bytes(Graph g) {
        if (model == null) return ModelWriter.toBytes(g);
        try {
            return Files.readAllBytes(model);
        } catch (IOException ex) {
            throw new ModelFormatException(model + ": cannot read (" + ex.getMessage() + ")");
        }
    }
}
