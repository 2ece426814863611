package io.tinyfit.cli;

import io.tinyfit.model.TestModels;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit bench --optimize}: takes the optimize plan options and names them on its line (timings are not checked). */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void optimizeBenchTakesKeepInputs() {
        Path model = tmp.resolve("peak-reads-input.tflite");
        ModelWriter.write(TestModels.peakReadsTheInput(), model);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--optimize", "--methods", "dmo", "--keep-inputs",
                "--runs", "1", "--warmup", "0", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("optimize ").contains("dmo keep-inputs");
    }
}
