package io.tinyfit.cli;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;

import java.nio.file.Path;

/** Resolves the MODEL argument: a .tflite path, or the embedded default model when none is given. */
final class ModelArg {
    private ModelArg() {}

    static Graph load(Path model) {
        return model == null ? DefaultModels.mobileNetV2Style() : ModelReader.read(model);
    }
}
