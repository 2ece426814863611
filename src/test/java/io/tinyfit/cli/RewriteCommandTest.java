package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.model.Graph;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tiling.TflmRewrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit tflm-rewrite} and {@code optimize --tflm-rewrite}: the rewrite's whole arena beside the others, and a file stock TFLM runs. */
class RewriteCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theRewriteCommandWritesABitExactModelThatRunsInItsOfflinePlan() {
        Shared.assume();
        Path model = Shared.models().resolve("mlperf_vww_mobilenet_v1_int8.tflite");
        Path out = tmp.resolve("vww.rewrite.tflite");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("tflm-rewrite", model.toString(), "--methods", "reorder,layout", "--rounds", "1", "--replan", "2",
                "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("model as read (TFLM's plan):       100,668 B").contains("tflm-rewrite rewrite:").contains("row bands");
        Graph written = ModelReader.read(out);
        assertThat(written.ops()).extracting(op -> op.kind()).contains("SLICE", "CONCATENATION");
        assertThat(new TflmRewrite.Reference(ModelReader.read(model)).matches(written)).isTrue();
        AnalyzeCommandTest.Result run = AnalyzeCommandTest.cli("run", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("offline-plan");
    }

    @Test
    void optimizeNamesTheRewriteBesideItsPlanInTheConsoleAndThePlanJson() throws Exception {
        Shared.assume();
        Path json = tmp.resolve("plan.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", Shared.models().resolve("mlperf_vww_mobilenet_v1_int8.tflite").toString(),
                "--methods", "reorder,layout", "--tflm-rewrite", "--plan-json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tflm-rewrite (stock TFLM runs the file").contains("this plan (stock-tflm)");
        JsonNode doc = new ObjectMapper().readTree(json.toFile()).path("tflm_rewrite");
        assertThat(doc.path("deployability").asText()).isEqualTo("tflm-rewrite");
        assertThat(doc.path("whole_arena_bytes_32").asLong()).isLessThan(doc.path("stock_whole_arena_bytes_32").asLong());
        assertThat(doc.path("verified_by_execution").asBoolean()).isTrue();
        assertThat(doc.path("tflm_lint_passed").asBoolean()).isTrue();
    }
}
