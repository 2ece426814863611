package io.tinyfit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.codegen.TflmExport;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TinyfitMarker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit export}: the arena analyze predicts, the file's own plan honoured, nothing written on a refusal. */
class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theHeaderHoldsTheWholeArenaAnalyzePredictsForEachPointerWidth() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve("mlperf_kws_dscnn_int8.tflite");
        for (int width : new int[] {4, 8}) {
            Path json = tmp.resolve("a" + width + ".json");
            assertThat(cli("analyze", model.toString(), "--pointer-bytes", String.valueOf(width), "--json", json.toString()).code()).isZero();
            long predicted = new ObjectMapper().readTree(json.toFile()).path("tflm_arena").path("predicted_min_bytes").asLong();
            Path out = tmp.resolve("fw" + width);
            AnalyzeCommandTest.Result r = cli("export", model.toString(), "-o", out.toString(), "--pointer-bytes", String.valueOf(width));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readString(out.resolve(TflmExport.MODEL_DATA_H))).contains("constexpr int kTensorArenaSize = " + predicted + ";");
            assertThat(r.out()).contains(String.format("kTensorArenaSize = %,d (%d-bit build, reference kernels)", predicted, width * 8))
                    .contains("MicroMutableOpResolver<6> with AddAveragePool2D(), AddConv2D(), AddDepthwiseConv2D(), AddFullyConnected(), AddReshape(), AddSoftmax()");
        }
    }

    @Test
    void aFileTinyfitOptimisedKeepsItsOwnPlanSoTheArenaIsTheWrittenFilesFigure() throws Exception {
        Path opt = tmp.resolve("opt.tflite");
        assertThat(cli("optimize", "--methods", "layout,dmo", "--dmo-search", "none", "--exact-seconds", "0.2", "-o", opt.toString()).code()).isZero();
        TinyfitMarker marker = TinyfitMarker.read(ModelReader.read(opt)).orElseThrow();
        Path out = tmp.resolve("fw");
        assertThat(cli("export", opt.toString(), "-o", out.toString()).code()).isZero();
        assertThat(Files.readString(out.resolve(TflmExport.MODEL_DATA_H))).contains("constexpr int kTensorArenaSize = " + marker.arenaBytes32() + ";");
        // the model as given: its bytes, offline plan and marker included
        String cc = Files.readString(out.resolve(TflmExport.MODEL_DATA_CC));
        assertThat(cc).contains("const unsigned int g_model_data_len = " + Files.size(opt) + ";");
    }

    @Test
    void onlyTheThreeFilesAreWrittenAndOtherFilesInTheFolderStay() throws Exception {
        Path out = tmp.resolve("fw");
        Files.createDirectories(out);
        Files.writeString(out.resolve("main.cc"), "// the user's own\n");
        assertThat(cli("export", "-o", out.toString()).code()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("main.cc", TflmExport.MODEL_DATA_CC, TflmExport.MODEL_DATA_H, TflmExport.RESOLVER_H);
        }
        assertThat(Files.readString(out.resolve("main.cc"))).isEqualTo("// the user's own\n");
    }

    @Test
    void aWriteThatFailsPartWayLeavesNoneOfTheThreeFiles() throws Exception {
        Path out = tmp.resolve("fw");
        // the resolver, written last, cannot replace a folder
        Files.createDirectories(out.resolve(TflmExport.RESOLVER_H));
        Files.writeString(out.resolve(TflmExport.RESOLVER_H).resolve("blocker"), "in the way");
        Files.writeString(out.resolve("main.cc"), "// the user's own\n");
        AnalyzeCommandTest.Result r = cli("export", "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(TflmExport.RESOLVER_H).contains("cannot write");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("main.cc", TflmExport.RESOLVER_H);
        }
    }

    @Test
    void aModelTflmRefusesIsAnErrorAndNothingIsWritten() {
        Shared.assume();
        Path out = tmp.resolve("coral");
        AnalyzeCommandTest.Result r = cli("export", Shared.models().resolve("coral_mobilenet_v1_0_25_128_uint8.tflite").toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("tinyfit: coral_mobilenet_v1_0_25_128_uint8.tflite: stock TFLM refuses this model (operator 0 (CONV_2D)")
                .contains("so there is no TFLM firmware to export");
        assertThat(out).doesNotExist();
    }

    @Test
    void theResolverOfALstmModelUsesTflmsSpelling() throws Exception {
        Shared.assume();
        Path out = tmp.resolve("lstm");
        AnalyzeCommandTest.Result r = cli("export", Shared.models().resolve("tflm_dtln_noise_suppression_int8.tflite").toString(), "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String resolver = Files.readString(out.resolve(TflmExport.RESOLVER_H));
        assertThat(resolver).contains("resolver.AddUnidirectionalSequenceLSTM()").contains("resolver.AddLogistic()");
    }
}
