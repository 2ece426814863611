package io.tinyfit.cli;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TflmLint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves the MODEL argument: a .tflite path, or the embedded default model when none is given. */
final class ModelArg {
    private ModelArg() {}

    static Graph load(Path model) {
        return model == null ? DefaultModels.mobileNetV2Style() : ModelReader.read(model);
    }

    /** TFLM's load-time checks on the model file as it is (the embedded model: as the writer writes it). */
    static TflmLint.Report lint(Path model, Graph g) {
        if (model == null) return TflmLint.check(g);
        try {
            return TflmLint.check(Files.readAllBytes(model), model.toString());
        } catch (IOException e) {
            throw new ModelFormatException(model + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
