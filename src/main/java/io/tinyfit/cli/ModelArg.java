package io.tinyfit.cli;

import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;

import java.nio.file.Path;

final class ModelArg {
    private ModelArg() {}

    static Graph load(Path model) {
        return ModelReader.read(model);
    }
}
