package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands lead with the whole TFLM arena (kTensorArenaSize) for the chosen pointer width, say plainly when TFLM
 * refuses a model, and warn about the reference-kernel assumption of a file tinyfit wrote.
 */
class WholeArenaCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void analyzeLeadsWithTheMeasuredWholeArenaForEachPointerWidth() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve("tflm_person_detect_int8.tflite");
        JsonNode meta = CaseFiles.meta(Shared.golden().resolve("tflm_person_detect_int8"));
        for (int width : new int[] {4, 8}) {
            Path json = tmp.resolve("pd" + width + ".json");
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", model.toString(), "--pointer-bytes", String.valueOf(width), "--json", json.toString());
            assertThat(r.code()).as(r.err()).isZero();
            long measured = meta.path(width == 4 ? "min_arena_bytes_accepted_32bit" : "min_arena_bytes_accepted").asLong();
            assertThat(r.out().lines().skip(1).findFirst().orElseThrow())
                    .startsWith("TFLM whole arena (kTensorArenaSize, " + width * 8 + "-bit build, reference kernels): " + String.format("%,d bytes", measured));
            JsonNode arena = new ObjectMapper().readTree(json.toFile()).path("tflm_arena");
            assertThat(arena.path("predicted_min_bytes").asLong()).isEqualTo(measured);
            assertThat(arena.path("pointer_bytes").asInt()).isEqualTo(width);
            assertThat(arena.path("kernels").asText()).isEqualTo("reference");
            assertThat(arena.path("head_bytes").asLong() + arena.path("tail_bytes").asLong()).isEqualTo(arena.path("used_bytes").asLong());
            assertThat(arena.path("tflm_refuses").isNull()).isTrue();
        }
    }

    @Test
    void aModelTflmRefusesSaysSoOnTheConsoleAndInTheJsonAndNamesTheRuntimeThatRunsIt() throws Exception {
        Shared.assume();
        Path model = Shared.models().resolve("coral_mobilenet_v1_0_25_128_uint8.tflite");
        Path json = tmp.resolve("coral.json");
        AnalyzeCommandTest.Result a = AnalyzeCommandTest.cli("analyze", model.toString(), "--json", json.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("TFLM refuses this model: operator 0 (CONV_2D)").contains("tinyfit's own runtime")
                .contains("TFLM baseline arena (greedy planner, head section only): 131,072 bytes [TFLM refuses this model");
        JsonNode arena = new ObjectMapper().readTree(json.toFile()).path("tflm_arena");
        assertThat(arena.path("tflm_refuses").asText()).contains("Hybrid models are not supported on TFLite Micro.");
        assertThat(arena.path("runs_on").asText()).isEqualTo("tinyfit-runtime");
        assertThat(arena.path("predicted_min_bytes").isNull()).isTrue();

        Path plan = tmp.resolve("coral-plan.json");
        AnalyzeCommandTest.Result o = AnalyzeCommandTest.cli("optimize", model.toString(), "--methods", "layout", "--plan-json", plan.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("TFLM refuses this model").contains("by tinyfit's own runtime, which is what runs this plan: TFLM refuses the model");
        JsonNode opt = new ObjectMapper().readTree(plan.toFile()).path("optimized");
        assertThat(opt.path("deployability").asText()).isEqualTo("tinyfit-runtime");
        assertThat(opt.path("tflm_arena").path("tflm_refuses").asText()).startsWith("operator 0 (CONV_2D)");
        assertThat(opt.path("whole_arena_saving_pct").isNull()).isTrue();
    }

    @Test
    void aWrittenModelCarriesTheMarkerAndAnalyzeWarnsAboutItsReferenceKernels() throws Exception {
        Path out = tmp.resolve("default.tflite");
        Path plan = tmp.resolve("plan.json");
        AnalyzeCommandTest.Result o = AnalyzeCommandTest.cli("optimize", "--methods", "layout,dmo", "--dmo-search", "none", "-o", out.toString(), "--plan-json", plan.toString());
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode opt = new ObjectMapper().readTree(plan.toFile()).path("optimized");
        long whole = opt.path("tflm_arena").path("predicted_min_bytes").asLong();
        assertThat(o.out()).contains(String.format("the written file needs %,d bytes", whole));
        assertThat(opt.path("whole_arena_saving_pct").asDouble()).isPositive().isLessThan(opt.path("head_saving_pct").asDouble());

        Path json = tmp.resolve("written.json");
        AnalyzeCommandTest.Result a = AnalyzeCommandTest.cli("analyze", out.toString(), "--json", json.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("warning: written by tinyfit").contains("assumes TFLM's reference kernels").contains(String.format("whole arena %,d B on 32-bit", whole));
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("tinyfit_marker").path("kernels").asText()).isEqualTo("reference");
        assertThat(doc.path("tinyfit_marker").path("arena_bytes_32bit").asLong()).isEqualTo(whole);
        assertThat(doc.path("tflm_arena").path("predicted_min_bytes").asLong()).isEqualTo(whole);
    }

    @Test
    void aPointerWidthOtherThanFourOrEightIsOneLineAndExitCodeTwo() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--pointer-bytes", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--pointer-bytes must be 4");
    }
}
