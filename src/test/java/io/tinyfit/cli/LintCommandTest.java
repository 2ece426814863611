package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Presence;
import io.tinyfit.model.TestModels;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model that stock TFLM refuses to load (a builtin operator carrying an empty custom_options vector, as
 * tinyfit's writer used to make them): {@code analyze} warns and lists the finding in its JSON; {@code optimize}
 * says the plan is not stock-TFLM deployable and refuses to write a .tflite that TFLM would refuse.
 */
class LintCommandTest {
    @TempDir
    Path tmp;

    private Path refusedModel() throws Exception {
        Graph g = TestModels.everyOp(DType.INT8);
        Op conv = g.ops().get(1);
        List<Op> ops = new ArrayList<>(g.ops());
        ops.set(1, new Op(conv.opcodeIndex(), conv.kind(), conv.inputs(), conv.outputs(), conv.intermediates(), conv.options(),
                new byte[0], 0, null, Presence.of(List.of("inputs", "outputs", "builtin_options", "custom_options"))));
        Path f = tmp.resolve("custom-options.tflite");
        Files.write(f, ModelWriter.toBytes(g.withOps(ops)));
        return f;
    }

    @Test
    void analyzeWarnsAndReportsTheFinding() throws Exception {
        Path model = refusedModel();
        Path json = tmp.resolve("a.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", model.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: subgraph 0 operator 1 (CONV_2D): custom_options present (0 bytes): builtin operator with custom_options (refused by TFLM)")
                .contains("micro_interpreter.cc");
        JsonNode lint = new ObjectMapper().readTree(json.toFile()).path("tflm_lint");
        assertThat(lint.size()).isEqualTo(1);
        assertThat(lint.get(0).path("rule").asText()).isEqualTo("builtin_with_custom_options");
    }

    @Test
    void analyzeOfACleanModelHasNoFindings() throws Exception {
        Path json = tmp.resolve("clean.json");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("warning:");
        assertThat(new ObjectMapper().readTree(json.toFile()).path("tflm_lint").size()).isZero();
    }

    @Test
    void optimizeRefusesToWriteWhatTflmWouldRefuse() throws Exception {
        Path model = refusedModel();
        Path out = tmp.resolve("out.tflite");
        Path json = tmp.resolve("plan.json");
        // the stock-TFLM methods: their plan would be stock-tflm but for the file (the default search may pick a
        // spill plan, tinyfit-runtime for its copies whatever the file)
        AnalyzeCommandTest.Result plan = AnalyzeCommandTest.cli("optimize", model.toString(), "--methods", "reorder,layout,dmo", "--plan-json", json.toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("deployable: tinyfit-runtime (the written file fails TFLM's load-time checks");
        JsonNode opt = new ObjectMapper().readTree(json.toFile()).path("optimized");
        assertThat(opt.path("deployability").asText()).isEqualTo("tinyfit-runtime");
        assertThat(opt.path("deployability_reason").asText()).contains("custom_options");

        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", model.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not written").contains("operator 1 (CONV_2D)").doesNotContain("\n\tat ");
        assertThat(out).doesNotExist();
    }
}
