package io.tinyfit.cli;

import io.tinyfit.exec.Npy;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.Shape;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tinyfit run} for people (issue 18, item 6): values instead of byte counts, scale and zero point, a single
 * input file, float64 and float inputs for quantised models. Each test failed before the change.
 */
class RunForPeopleTest {
    private static final String RESNET = "mlperf_ic_resnet8_int8.tflite";
    private static final String HELLO_F32 = "tflm_hello_world_f32.tflite";

    @TempDir
    Path tmp;

    @Test
    void printsScaleZeroPointAndTheTopClassesOfAClassifier() {
        Shared.assume();
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", Shared.models().resolve(RESNET).toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("input 0: input_1_int8 int8 [1, 32, 32, 3], scale 1.0, zero point -128")
                .contains("output 0: Identity_int8 int8 [1, 10], scale 0.00390625, zero point -128")
                .containsPattern("top 5 \\(dequantised\\): class \\d: 0\\.\\d+, class \\d");
    }

    @Test
    void printsDequantisedValuesOfAnOutputThatIsNoClassifier() {
        Shared.assume();
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", Shared.models().resolve("mlperf_ad_autoencoder_int8.tflite").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dequantised: ").contains("(first 16 of 640; min ").doesNotContain("top ");
    }

    @Test
    void aSingleNpyFileFeedsASingleInputModel() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve(RESNET);
        Path dir = Files.createDirectories(tmp.resolve("in"));
        byte[] raw = new byte[32 * 32 * 3];
        for (int i = 0; i < raw.length; i++) raw[i] = (byte) (i * 7);
        Files.write(dir.resolve("input_0.bin"), raw);
        Path npy = Files.write(tmp.resolve("image.npy"), Npy.write(DType.INT8, Shape.of(1, 32, 32, 3), raw));
        Path bin = Files.write(tmp.resolve("image.bin"), raw);
        String fromDir = topLine(AnalyzeCommandTest.cli("run", model.toString(), "--inputs", dir.toString()));
        assertThat(topLine(AnalyzeCommandTest.cli("run", model.toString(), "--inputs", npy.toString()))).isEqualTo(fromDir);
        assertThat(topLine(AnalyzeCommandTest.cli("run", model.toString(), "--inputs", bin.toString()))).isEqualTo(fromDir);
    }

    @Test
    void aSingleFileForAModelWithTwoInputsSaysToGiveAFolder() throws Exception {
        GraphBuilder b = new GraphBuilder("two-inputs", 3);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 4, 4, 2);
        GraphBuilder.Ref y = b.input("y", DType.INT8, 1, 4, 4, 2);
        Graph g = b.output(b.add(x, y, GraphBuilder.Activation.NONE)).build();
        Path model = tmp.resolve("two.tflite");
        ModelWriter.write(g, model);
        Path bin = Files.write(tmp.resolve("x.bin"), new byte[32]);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", bin.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("x.bin").contains("2 inputs").contains("folder with input_0 to input_1");
    }

    @Test
    void float64NpyIsAcceptedForAFloatModel() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve(HELLO_F32);
        Path f64 = Files.write(tmp.resolve("x64.npy"), Npy.write(DType.FLOAT64, Shape.of(1, 1), le(8).putDouble(1.25).array()));
        Path f32 = Files.write(tmp.resolve("x32.npy"), Npy.write(DType.FLOAT32, Shape.of(1, 1), le(4).putFloat(1.25f).array()));
        AnalyzeCommandTest.Result r64 = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", f64.toString());
        AnalyzeCommandTest.Result r32 = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", f32.toString());
        assertThat(r64.code()).as(r64.err()).isZero();
        assertThat(r64.out()).isEqualTo(r32.out()).containsPattern("values: -?\\d");
    }

    @Test
    void quantizeInputsQuantisesFloatsWithTheInputsScaleAndZeroPoint() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve(RESNET);
        // the input's scale is 1.0 and its zero point -128: x quantises to round(x) - 128, halves away from zero
        int n = 32 * 32 * 3;
        ByteBuffer f64 = le(8 * n);
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
            double x = (i % 256) + (i % 3 == 0 ? 0.5 : -0.25);
            f64.putDouble(x);
            expected[i] = (byte) Math.max(-128, Math.min(127, (long) Math.floor(x + 0.5) - 128));
        }
        Path floats = Files.write(tmp.resolve("floats.npy"), Npy.write(DType.FLOAT64, Shape.of(1, 32, 32, 3), f64.array()));
        Path ints = Files.write(tmp.resolve("ints.bin"), expected);
        AnalyzeCommandTest.Result quantised = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", floats.toString(), "--quantize-inputs");
        assertThat(quantised.code()).as(quantised.err()).isZero();
        assertThat(topLine(quantised)).isEqualTo(topLine(AnalyzeCommandTest.cli("run", model.toString(), "--inputs", ints.toString())));

        AnalyzeCommandTest.Result refused = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", floats.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("floats.npy").contains("float64 data").contains("--quantize-inputs");
    }

    /** The line with the output's values. */
    private static String topLine(AnalyzeCommandTest.Result r) {
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.startsWith("  ")).findFirst().orElseThrow();
    }

    private static ByteBuffer le(int bytes) { return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN); }
}
