package io.tinyfit.cli;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.verify.FilePlan;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options of every command that reads a model: how much memory it may ask for, and whether to trust its plan. */
final class ModelOptions {
    @Option(names = "--max-arena-bytes", paramLabel = "SIZE", converter = ByteSizeConverter.ArenaLimit.class,
            description = "refuse models whose tensors and scratch buffers together (or any one tensor) need more than SIZE: bytes, or KiB/MiB/GiB, kB/MB/GB, K/M/G (binary) (default: 2GiB)")
    long maxArenaBytes = Limits.DEFAULT_MAX_ARENA_BYTES;

    @Option(names = "--trust-plan", description = "use the model's offline memory plan even when the static verifier finds it unsafe (prints a warning)")
    boolean trustPlan;

    Limits limits() { return new Limits(maxArenaBytes); }

    /** The MODEL argument, read and validated under these limits (the embedded default model when absent). */
    Graph load(Path model) {
        return model == null ? ModelReader.validate(DefaultModels.mobileNetV2Style(), limits()) : ModelReader.read(model, limits());
    }

    /** TFLM's load-time checks on the model file as it is (the embedded model: as the writer writes it). */
    TflmLint.Report lint(Path model, Graph g) {
        if (model == null) return TflmLint.check(g);
        try {
            return TflmLint.check(Files.readAllBytes(model), model.toString());
        } catch (IOException e) {
            throw new ModelFormatException(model + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** TFLM's plan of the model: its file plan only when that verified, or when --trust-plan says so (with a warning). */
    Plan baseline(Graph g, PrintWriter err) {
        return FilePlan.require(g, trustPlan, w -> {
            err.println("tinyfit: " + w);
            err.flush();
        });
    }
}
