package io.tinyfit.cli;

import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit run}: every shared model runs on generated inputs; bad inputs are one line and exit code 2. */
class RunCommandTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everySharedModelRunsOnGeneratedInputs() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> {
            Path out = tmp.resolve(Shared.stem(f));
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", f.toString(), "--outputs", out.toString(), "--npy");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(out.resolve("output_0.bin")).exists();
            assertThat(out.resolve("output_0.npy")).exists();
        }));
    }

    @Test
    void goldenInputsGiveGoldenOutputsAndDumpsEveryTensor() throws Exception {
        Shared.assume();
        Path golden = Shared.golden().resolve("mlperf_ic_resnet8_int8");
        Path out = tmp.resolve("out");
        Path dump = tmp.resolve("dump");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", Shared.models().resolve("mlperf_ic_resnet8_int8.tflite").toString(),
                "--inputs", golden.toString(), "--outputs", out.toString(), "--dump", dump.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("output_0.bin"))).isEqualTo(Files.readAllBytes(golden.resolve("output_0.bin")));
        assertThat(Files.readAllBytes(dump.resolve("25.bin"))).isEqualTo(Files.readAllBytes(golden.resolve("intermediates/25.bin")));
    }

    @Test
    void wrongInputSizeIsOneLineExitTwoAndNoOutput() throws Exception {
        Shared.assume();
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("input_0.bin"), new byte[7]);
        Path out = tmp.resolve("out");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", Shared.models().resolve("mlperf_ic_resnet8_int8.tflite").toString(),
                "--inputs", in.toString(), "--outputs", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("input_0.bin").contains("7 bytes").contains("3072");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingInputIsOneLineExitTwo() throws Exception {
        Shared.assume();
        Path in = Files.createDirectories(tmp.resolve("empty"));
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", Shared.models().resolve("mlperf_ic_resnet8_int8.tflite").toString(), "--inputs", in.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing input_0.bin");
    }
}
