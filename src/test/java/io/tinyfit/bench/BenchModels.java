package io.tinyfit.bench;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;

import java.nio.file.Path;

/** The {@code model} parameter of the benchmarks: {@code default} (the embedded model) or a {@code .tflite} path. */
final class BenchModels {
    private BenchModels() {}

    static Graph load(String model) {
        return model.equals("default") ? DefaultModels.mobileNetV2Style() : ModelReader.read(Path.of(model));
    }
}
