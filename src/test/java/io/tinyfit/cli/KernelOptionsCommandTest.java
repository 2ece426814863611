package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.arena.Cpu;
import io.tinyfit.arena.KernelLibrary;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.plan.LibraryPlans;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TinyfitMarker;
import io.tinyfit.targets.BoardKernels;
import io.tinyfit.targets.Boards;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --kernels} and {@code --cpu}: every output names the library its figures assume, its scratch buffers are in
 * the head, DMO stays off the operators it replaces, and {@code --target} implies the board's library and core.
 */
class KernelOptionsCommandTest {
    @TempDir
    Path tmp;

    private static Path kws() {
        Shared.assume();
        return Shared.models().resolve("arm_cnn_s_kws_int8.tflite");
    }

    @Test
    void analyzeStatesTheLibraryAndCountsItsScratchBuffers() throws Exception {
        Path json = tmp.resolve("a.json");
        AnalyzeCommandTest.Result r = cli("analyze", kws().toString(), "--kernels", "cmsis-nn", "--cpu", "m4", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the head with CMSIS-NN's im2col buffers on a Cortex-M4 (160 and 4,480 B), versus 9,760 with the reference kernels
        assertThat(r.out()).contains("cmsis-nn kernels, an estimate").contains("planned head 14,240").contains("kernels: cmsis-nn on cortex-m4 (DSP)")
                .contains("DMO is off at the 6 operators cmsis-nn runs");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("tflm_arena").path("kernels").asText()).isEqualTo("cmsis-nn");
        assertThat(doc.path("tflm_arena").path("predicted_min_bytes").asLong()).isEqualTo(16_016);
        assertThat(doc.path("kernel_library").path("cpu").asText()).isEqualTo("cortex-m4");
        assertThat(doc.path("kernel_library").path("scratch").get(1).path("bytes").get(0).asLong()).isEqualTo(4_480);

        AnalyzeCommandTest.Result ref = cli("analyze", kws().toString());
        assertThat(ref.out()).contains("reference kernels): 11,532 bytes (planned head 9,760");
    }

    @Test
    void theTargetImpliesItsBoardsLibraryAndCore() {
        assertThat(BoardKernels.of(Boards.find("nano33-ble-sense", "t"))).isEqualTo(KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4));
        assertThat(BoardKernels.of(Boards.find("rpi-pico", "t"))).isEqualTo(KernelTarget.REFERENCE);
        assertThat(BoardKernels.of(Boards.find("esp32-s3-devkitc-n8", "t"))).isEqualTo(KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32_S3));
        assertThat(BoardKernels.of(Boards.find("esp32-devkitc", "t"))).isEqualTo(KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32));
        assertThat(BoardKernels.of(Boards.find("alif-e7-dk", "t"))).isEqualTo(KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M55));
        assertThat(BoardKernels.of(Boards.find("nucleo-h743zi2", "t"))).isEqualTo(KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M7));

        for (var board : Boards.all()) {
            KernelTarget k = BoardKernels.of(board);
            assertThat(k.id()).as(board.id()).isEqualTo(board.kernels());
            // an Arm core's DSP extension is the catalogue's (ESP32 chips have no Arm DSP: the chip picks ESP-NN's code)
            if (!k.isReference() && k.cpu().family() == Cpu.Family.ARM) assertThat(k.cpu().dsp()).as(board.id()).isEqualTo(board.cpu().dsp());
        }

        AnalyzeCommandTest.Result r = cli("analyze", kws().toString(), "--target", "nano33-ble-sense");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("cmsis-nn kernels").contains("needs 16,016 B").doesNotContain("usually builds TFLM with");
        // an explicit library wins over the board's, and the verdict says the board usually uses another
        AnalyzeCommandTest.Result ref = cli("analyze", kws().toString(), "--target", "nano33-ble-sense", "--kernels", "reference");
        assertThat(ref.out()).contains("needs 11,532 B").contains("usually builds TFLM with cmsis-nn kernels");
    }

    @Test
    void theCoreChangesTheFigures() {
        var g = ModelReader.read(Shared.models().resolve("mlperf_sww_int8.tflite"));
        long m0 = LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M0)).arenaBytes();
        long m4 = LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4)).arenaBytes();
        long m55 = LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M55)).arenaBytes();
        assertThat(m0).isEqualTo(6_656);
        assertThat(m4).isEqualTo(7_936);
        assertThat(m55).isEqualTo(11_280);
    }

    @Test
    void badCombinationsAreUsageErrors() {
        AnalyzeCommandTest.Result cpuAlone = cli("analyze", kws().toString(), "--cpu", "m4");
        assertThat(cpuAlone.code()).isEqualTo(2);
        assertThat(cpuAlone.err()).contains("--cpu sets the processor of an optimised kernel library");
        AnalyzeCommandTest.Result wrongCore = cli("analyze", kws().toString(), "--kernels", "cmsis-nn", "--cpu", "esp32");
        assertThat(wrongCore.code()).isEqualTo(2);
        assertThat(wrongCore.err()).contains("cmsis-nn runs on Arm Cortex-M processors, not esp32");
        AnalyzeCommandTest.Result unknown = cli("analyze", kws().toString(), "--kernels", "xtensa");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown kernel library 'xtensa'");
    }

    @Test
    void optimizeKeepsDmoOffTheReplacedOperatorsAndMarksTheFileWithTheLibrary() throws Exception {
        Path model = Shared.models().resolve("mlperf_kws_dscnn_int8.tflite");
        Shared.assume();
        Path out = tmp.resolve("o.tflite");
        Path json = tmp.resolve("o.json");
        AnalyzeCommandTest.Result r = cli("optimize", model.toString(), "-q", "--kernels", "cmsis-nn", "--cpu", "m55", "--methods", "reorder,layout,dmo",
                "-o", out.toString(), "--plan-json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("cmsis-nn kernels, an estimate").contains("DMO is off at the");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("optimized").path("kernels").asText()).isEqualTo("cmsis-nn");
        assertThat(doc.path("kernel_library").path("cpu").asText()).isEqualTo("cortex-m55");
        // every overlap is at an operator CMSIS-NN leaves to the reference kernels (here: only RESHAPE's alias)
        for (JsonNode o : doc.path("overlaps")) {
            int step = o.path("step").asInt();
            String kind = doc.path("steps").get(step).path("kind").asText();
            assertThat(KernelLibrary.CMSIS_NN.replaces(kind)).as("overlap at step %d (%s)", step, kind).isFalse();
        }
        // the DMO account says why each replaced step got nothing
        assertThat(doc.toString()).contains("cmsis-nn replaces the reference CONV_2D kernel");
        assertThat(TinyfitMarker.read(ModelReader.read(out)).orElseThrow().kernels()).isEqualTo("cmsis-nn");
        assertThat(Files.size(out)).isPositive();
    }

    @Test
    void exportSizesTheArenaForTheLibrary() throws Exception {
        AnalyzeCommandTest.Result r = cli("export", kws().toString(), "-o", tmp.resolve("fw").toString(), "--kernels", "cmsis-nn", "--cpu", "cortex-m4");
        assertThat(r.code()).as(r.err()).isZero();
        String header = Files.readString(tmp.resolve("fw").resolve("model_data.h"));
        assertThat(header).contains("constexpr int kTensorArenaSize = 16016;").contains("cmsis-nn on cortex-m4 (DSP)");
    }
}
