package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.model.TestModels;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static io.tinyfit.cli.AnalyzeCommandTest.cliIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 item 8: an SSD tail with TFLite_Detection_PostProcess runs end to end (analyze with its whole arena,
 * optimize verified by execution, run); a model with an operator tinyfit has no kernel for is still analysed,
 * reordered and laid out, verified statically only and labelled so everywhere, and run names the operator.
 */
class DetectionAndUnknownOpsTest {
    @TempDir
    Path tmp;

    @Test
    void anSsdTailIsAnalysedOptimisedAndRun() throws Exception {
        Path model = tmp.resolve("ssd-tail.tflite");
        ModelWriter.write(TestModels.ssdTail(), model);
        AnalyzeCommandTest.Result a = cli("analyze", model.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("kTensorArenaSize").contains("CUSTOM(TFLite_Detection_PostProcess)");

        AnalyzeCommandTest.Result o = cliIn(tmp, "optimize", model.toString());
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode opt = new ObjectMapper().readTree(tmp.resolve("ssd-tail.plan.json").toFile()).path("optimized");
        assertThat(opt.path("verified").asBoolean()).isTrue();
        assertThat(opt.path("executed").asBoolean()).isTrue();
        assertThat(opt.path("deployability").asText()).isEqualTo("stock-tflm");
        assertThat(opt.path("tflm_arena").path("predicted_min_bytes").asLong()).isPositive();

        AnalyzeCommandTest.Result r = cli("run", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("output 3");
    }

    @Test
    void anOperatorWithoutAKernelIsPlannedAndLabelledNeverExecuted() throws Exception {
        Path model = tmp.resolve("unknown.tflite");
        ModelWriter.write(TestModels.unknownOperator(), model);
        String blocker = "operator 1 CUSTOM(NoKernelHere) has no tinyfit kernel";

        AnalyzeCommandTest.Result a = cli("analyze", model.toString());
        assertThat(a.code()).as(a.err()).isZero();

        Path json = tmp.resolve("plan.json");
        AnalyzeCommandTest.Result o = cli("optimize", model.toString(), "--methods", "reorder,layout,dmo", "--plan-json", json.toString(), "-o",
                tmp.resolve("out.tflite").toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("UNVERIFIED BY EXECUTION: " + blocker).doesNotContain("verified: yes");
        JsonNode opt = new ObjectMapper().readTree(json.toFile()).path("optimized");
        assertThat(opt.path("verified").asBoolean()).isFalse();
        assertThat(opt.path("executed").asBoolean()).isFalse();
        assertThat(opt.path("execution_blocked_by").asText()).isEqualTo(blocker);
        assertThat(opt.path("verification").asText()).startsWith("statically only; unverified by execution: " + blocker);
        // no allocation model for the operator: no whole-arena figure rather than a wrong one
        assertThat(opt.path("tflm_arena").path("predicted_min_bytes").isNull()).isTrue();
        assertThat(opt.path("tflm_arena").path("not_predicted").asText()).contains("CUSTOM(NoKernelHere)");
        assertThat(opt.path("head_note").asText()).contains("operator 1 CUSTOM(NoKernelHere)").contains("scratch");
        assertThat(Files.size(tmp.resolve("out.tflite"))).isPositive();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("dmo").path("steps").toString()).contains("CUSTOM(NoKernelHere) has no tinyfit kernel: DMO skipped at this operator");

        // the default search and its outputs work the same way
        AnalyzeCommandTest.Result d = cliIn(tmp, "optimize", model.toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(Files.readString(tmp.resolve("unknown.report.html"))).contains("statically only");

        AnalyzeCommandTest.Result r = cli("run", model.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("operator 1").contains("CUSTOM(NoKernelHere)").contains("no tinyfit kernel");
    }
}
