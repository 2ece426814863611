package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    void negativeOrNonFiniteExactSecondsAreRefused() {
        for (String bad : new String[] {"-1", "NaN", "Infinity"}) {
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "--exact-seconds", bad);
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--exact-seconds must be a finite number of seconds >= 0");
        }
    }

    @Test
    void dmoAloneListsVerifiedOverlapsAndExplainsThePeak() throws Exception {
        Path out = tmp.resolve("default-dmo.tflite");
        Path json = tmp.resolve("dmo.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "--methods", "dmo", "-o", out.toString(), "--plan-json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("same order without DMO").contains("peak");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode opt = doc.path("optimized");
        assertThat(opt.path("verified").asBoolean()).isTrue();
        assertThat(opt.path("arena_bytes").asLong()).isLessThan(opt.path("without_dmo_bytes").asLong());
        JsonNode overlaps = doc.path("overlaps");
        assertThat(overlaps.size()).isPositive();
        java.util.Map<Long, JsonNode> buffers = new java.util.HashMap<>();
        for (JsonNode b : doc.path("buffers")) buffers.put(b.path("id").asLong(), b);
        for (JsonNode o : overlaps) {
            for (String f : new String[] {"step", "input_buffer", "output_buffer", "min_delta_bytes", "method"}) assertThat(o.has(f)).as(f).isTrue();
            JsonNode in = buffers.get(o.path("input_buffer").asLong());
            JsonNode ob = buffers.get(o.path("output_buffer").asLong());
            // the schema's rule: shared bytes only when offset(input) - offset(output) >= min_delta_bytes
            assertThat(in.path("offset").asLong() - ob.path("offset").asLong()).isGreaterThanOrEqualTo(o.path("min_delta_bytes").asLong());
            assertThat(in.path("last_step").asLong()).isEqualTo(o.path("step").asLong());
            assertThat(ob.path("first_step").asLong()).isEqualTo(o.path("step").asLong());
        }
        int peakSteps = 0;
        for (JsonNode s : doc.path("dmo").path("steps")) {
            if (!s.path("peak_without_dmo").asBoolean() && !s.path("peak_with_dmo").asBoolean()) continue;
            peakSteps++;
            assertThat(s.path("verdict").asText()).matches("(applied|not applied): .+");
            for (JsonNode p : s.path("pairs")) {
                for (String f : new String[] {"input_bytes", "output_bytes", "analytical_min_delta_bytes", "trace_min_delta_bytes", "search_min_delta_bytes", "shared_bytes"}) {
                    assertThat(p.has(f)).as(f).isTrue();
                }
            }
        }
        assertThat(peakSteps).isPositive();
        AnalyzeCommandTest.Result run = AnalyzeCommandTest.cli("run", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains(String.format("%,d-byte arena", opt.path("arena_bytes").asLong()));
    }

    @Test
    void searchEverywhereNeverExceedsTheTrace() throws Exception {
        Path json = tmp.resolve("search-all.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "--methods", "dmo", "--dmo-search", "all", "--plan-json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        int pairs = 0;
        for (JsonNode s : new ObjectMapper().readTree(json.toFile()).path("dmo").path("steps")) {
            for (JsonNode p : s.path("pairs")) {
                if (p.path("trace_min_delta_bytes").isNull()) continue;
                pairs++;
                assertThat(p.path("search_min_delta_bytes").isNull()).isFalse();
                assertThat(p.path("search_min_delta_bytes").asLong()).isLessThanOrEqualTo(p.path("trace_min_delta_bytes").asLong())
                        .isLessThanOrEqualTo(p.path("analytical_min_delta_bytes").asLong());
            }
        }
        assertThat(pairs).isGreaterThan(40);
    }

    @Test
    void modelsStockTflmRefusesAreMarkedForTinyfitsRuntime() throws Exception {
        Shared.assume();
        for (String m : new String[] {"coral_mobilenet_v1_0_25_128_uint8", "mlperf_kws_dscnn_f32"}) {
            Path json = tmp.resolve(m + ".json");
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", Shared.models().resolve(m + ".tflite").toString(),
                    "--methods", "dmo", "--plan-json", json.toString());
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode opt = new ObjectMapper().readTree(json.toFile()).path("optimized");
            assertThat(opt.path("deployability").asText()).as(m).isEqualTo("tinyfit-runtime");
            assertThat(opt.path("verified").asBoolean()).isTrue();
        }
    }

    @Test
    void unknownMethodIsOneLineExitTwo() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "--methods", "magic");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown method 'magic'");
    }

    /** The default frees a graph input after its last reader, as TFLM does; --keep-inputs keeps it whole, and both say so. */
    @Test
    void keepInputsIsAPlanOptionTheOutputNames() throws Exception {
        Path model = tmp.resolve("peak-reads-input.tflite");
        ModelWriter.write(TestModels.peakReadsTheInput(), model);
        JsonNode freed = optimizeDmo(model, "freed.json");
        JsonNode kept = optimizeDmo(model, "kept.json", "--keep-inputs");
        assertThat(freed.path("keep_inputs").asBoolean()).isFalse();
        assertThat(freed.path("keep_inputs_note").asText()).contains("free after their last reader").contains("does not survive");
        assertThat(kept.path("keep_inputs").asBoolean()).isTrue();
        assertThat(kept.path("keep_inputs_note").asText()).contains("kept intact");
        assertThat(kept.path("arena_bytes").asLong()).isEqualTo(4096).isGreaterThan(freed.path("arena_bytes").asLong());

        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", model.toString(), "--methods", "dmo", "--keep-inputs");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("graph inputs: kept intact until the inference ends");
    }

    private JsonNode optimizeDmo(Path model, String json, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("optimize", model.toString(), "--methods", "reorder,layout,dmo", "--plan-json", tmp.resolve(json).toString()));
        args.addAll(List.of(extra));
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode opt = new ObjectMapper().readTree(tmp.resolve(json).toFile()).path("optimized");
        assertThat(opt.path("verified").asBoolean()).isTrue();
        return opt;
    }

    /**
     * The search's options: progress lines on standard error (not a terminal here) and none with -q, JSON on
     * standard output kept clean, the time limit said in the JSON, bad figures and contradictory options refused,
     * and --dry-run writing nothing.
     */
    @Test
    void theSearchReportsProgressStopsAtTheTimeLimitAndDryRunWritesNothing() throws Exception {
        AnalyzeCommandTest.Result quiet = AnalyzeCommandTest.cli("optimize", "-q", "--exact-seconds", "0", "--time-limit", "0", "--plan-json", "-");
        assertThat(quiet.code()).as(quiet.err()).isZero();
        JsonNode search = new ObjectMapper().readTree(quiet.out()).path("search");
        assertThat(search.path("tried").size()).isEqualTo(1);
        if (io.tinyfit.api.PassRegistry.names().size() > 2) {
            assertThat(search.path("stopped").asText()).startsWith("time limit of 0.0 s reached after 1 of ");
            assertThat(search.path("not_tried").size()).isPositive();
        }
        assertThat(quiet.err()).doesNotContain("tinyfit: method set").contains("plan search");

        AnalyzeCommandTest.Result lines = AnalyzeCommandTest.cli("optimize", "--exact-seconds", "0", "--plan-json", "-");
        assertThat(lines.code()).as(lines.err()).isZero();
        assertThat(lines.err()).contains("tinyfit: method set 1/").contains("<- chosen");
        new ObjectMapper().readTree(lines.out());

        assertThat(AnalyzeCommandTest.cli("optimize", "--max-mac-overhead", "-1").code()).isEqualTo(2);
        assertThat(AnalyzeCommandTest.cli("optimize", "--time-limit", "NaN").code()).isEqualTo(2);
        AnalyzeCommandTest.Result both = AnalyzeCommandTest.cli("optimize", "-n", "-o", tmp.resolve("x.tflite").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--dry-run writes nothing");

        Path dir = Files.createDirectories(tmp.resolve("dry"));
        AnalyzeCommandTest.Result dry = AnalyzeCommandTest.cliIn(dir, "optimize", "-n", "--exact-seconds", "0");
        assertThat(dry.code()).as(dry.err()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
