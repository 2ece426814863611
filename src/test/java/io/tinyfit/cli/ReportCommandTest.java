package io.tinyfit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --report}: optimize writes the model, the plan JSON and the report for every shared model; analyze writes its own. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> optimizeWritesModelPlanAndReportForEverySharedModel() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> {
            Path out = tmp.resolve(Shared.stem(f) + ".tflite");
            Path json = tmp.resolve(Shared.stem(f) + ".json");
            Path html = tmp.resolve(Shared.stem(f) + ".html");
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", f.toString(), "--exact-seconds", "0", "-o", out.toString(),
                    "--plan-json", json.toString(), "--report", html.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(out).isNotEmptyFile();
            assertThat(new ObjectMapper().readTree(json.toFile()).path("optimized").path("verified").asBoolean()).isTrue();
            assertThat(Files.readString(html)).contains("<svg id='chart-live'").contains("<svg id='chart-arena-optimised'").contains("<table id=\"table-fit\"")
                    .endsWith("</html>\n");
        }));
    }

    @Test
    void analyzeWritesTheReportOfTflmsPlan() throws Exception {
        Path html = tmp.resolve("default.html");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--report", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(html)).contains("<svg id='chart-arena-baseline'").contains("32 KiB SRAM").doesNotContain("chart-arena-optimised");
    }

    @Test
    void theReportCanGoToStandardOutput() {
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--report", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<!DOCTYPE html>");
        assertThat(r.err()).contains("<- peak");
    }
}
