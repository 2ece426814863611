package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.model.DType;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tinyfit bench}: the arena table by default (timings are printed, never checked), the older modes still
 * there, and the default models folder found from tinyfit's own location.
 */
class BenchCommandTest {
    @TempDir
    Path tmp;

    private Path modelsFolder() {
        Path dir = tmp.resolve("models");
        ModelWriter.write(TestModels.peakReadsTheInput(), dir.resolve("a-peak.tflite"));
        ModelWriter.write(TestModels.everyOp(DType.INT8), dir.resolve("b-every-op.tflite"));
        return dir;
    }

    @Test
    void optimizeBenchTakesKeepInputs() {
        Path model = tmp.resolve("peak-reads-input.tflite");
        ModelWriter.write(TestModels.peakReadsTheInput(), model);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--optimize", "--methods", "dmo", "--keep-inputs",
                "--runs", "1", "--warmup", "0", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("optimize ").contains("dmo keep-inputs");
    }

    @Test
    void theTableIsTheDefaultWithARowPerModelAndTheGeometricMeans() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path csv = tmp.resolve("bench.csv");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--models", modelsFolder().toString(), "--exact-seconds", "0.2",
                "--json", json.toString(), "--csv", csv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(1)).startsWith("model").contains("TFLM head", "TFLM arena", "lower bound", "reorder", "layout", "dmo", "combined", "MAC+%", "opt s", "verified");
        assertThat(lines.get(2)).startsWith("a-peak").endsWith("yes");
        assertThat(lines.get(3)).startsWith("b-every-op").endsWith("yes");
        assertThat(lines.get(4)).startsWith("geometric mean, ratio to TFLM arena").endsWith("all");

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        // every registered pass (other tests may register more than the three of tinyfit)
        List<String> methods = List.copyOf(PassRegistry.names());
        assertThat(methods).startsWith("reorder", "layout", "dmo");
        assertThat(doc.path("methods")).extracting(JsonNode::asText).containsExactlyElementsOf(methods);
        assertThat(doc.path("rows").size()).isEqualTo(2);
        for (JsonNode row : doc.path("rows")) {
            long arena = row.path("tflm_arena_bytes").asLong();
            assertThat(row.path("basis").asText()).isEqualTo("tflm_arena");
            assertThat(row.path("tflm_head_bytes").asLong()).isPositive().isLessThan(arena);
            assertThat(row.path("lower_bound_bytes").asLong()).isLessThanOrEqualTo(arena);
            assertThat(row.path("combined_bytes").asLong()).isLessThanOrEqualTo(arena);
            for (String m : methods) assertThat(row.path("alone_bytes").path(m).asLong()).as(m).isPositive().isLessThanOrEqualTo(arena);
            assertThat(row.path("mac_overhead_pct").asDouble()).isZero();
            assertThat(row.path("verified").asBoolean()).isTrue();
        }
        JsonNode geomean = doc.path("geomean_ratio_to_tflm_arena");
        assertThat(geomean.path("combined").asDouble()).isPositive().isLessThanOrEqualTo(1.0);
        assertThat(geomean.path("tflm_head").asDouble()).isPositive().isLessThan(1.0);

        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo("model,basis,tflm_head_bytes,tflm_arena_bytes,lower_bound_bytes,"
                + methods.stream().map(m -> m + "_bytes,").collect(java.util.stream.Collectors.joining()) + "combined_bytes,mac_overhead_pct,optimizer_seconds,verified");
        assertThat(rows.get(1)).startsWith("a-peak,tflm_arena,");
        assertThat(rows.get(3)).startsWith("geomean_ratio_to_tflm_arena,,");
    }

    @Test
    void methodsNarrowTheColumns() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--models", modelsFolder().toString(), "--methods", "layout", "--exact-seconds", "0.2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().skip(1).findFirst().orElseThrow()).contains("layout").doesNotContain("reorder").doesNotContain("dmo");
    }

    @Test
    void aMissingModelsFolderIsOneLine() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--models", tmp.resolve("nowhere").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tinyfit: --models " + tmp.resolve("nowhere") + ": not a folder");
    }

    @Test
    void theDefaultFolderIsFoundFromTinyfitsOwnLocationNotTheWorkingDirectory() throws Exception {
        Shared.assume();
        String property = System.getProperty("tinyfit.shared");
        try {
            assertThat(ModelsFolder.find().toRealPath()).isEqualTo(Shared.models().toRealPath());
            System.clearProperty("tinyfit.shared");
            // from target/classes up to the folder that holds shared/models
            assertThat(ModelsFolder.find().toRealPath()).isEqualTo(Shared.models().toRealPath());
        } finally {
            if (property != null) System.setProperty("tinyfit.shared", property);
        }
    }
}
