package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit optimize}: writes a verified plan JSON (SCHEMA.md) and a model stock TFLM places as planned. */
class OptimizeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void vwwPlanClosesTheGapToTheWorkingSetAndIsVerified() throws Exception {
        Shared.assume();
        Path out = tmp.resolve("vww.tflite");
        Path json = tmp.resolve("plan.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", Shared.models().resolve("mlperf_vww_mobilenet_v1_int8.tflite").toString(),
                "--methods", "reorder,layout", "-o", out.toString(), "--plan-json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("schema").asText()).isEqualTo("tinyfit/1");
        assertThat(doc.path("baseline").path("arena_bytes").asLong()).isEqualTo(73728);
        JsonNode opt = doc.path("optimized");
        assertThat(opt.path("verified").asBoolean()).isTrue();
        assertThat(opt.path("deployability").asText()).isEqualTo("stock-tflm");
        assertThat(opt.path("arena_bytes").asLong()).isLessThan(73728).isGreaterThanOrEqualTo(doc.path("lower_bound_bytes").asLong());
        for (String f : new String[] {"methods", "planner", "mac_overhead_pct", "transfer_bytes", "verification"}) assertThat(opt.has(f)).as(f).isTrue();
        for (JsonNode b : doc.path("buffers")) {
            assertThat(b.path("bank").asText()).isEqualTo("sram");
            assertThat(b.path("region").isNull()).isTrue();
            assertThat(b.path("offset").asLong() + b.path("bytes").asLong()).isLessThanOrEqualTo(opt.path("arena_bytes").asLong());
        }
        assertThat(doc.path("overlaps").isArray()).isTrue();
        AnalyzeCommandTest.Result run = AnalyzeCommandTest.cli("run", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains(String.format("%,d-byte arena", opt.path("arena_bytes").asLong())).contains("offline-plan");
    }

    @Test
    void unknownMethodIsOneLineExitTwo() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "--methods", "magic");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown method 'magic'");
    }
}
