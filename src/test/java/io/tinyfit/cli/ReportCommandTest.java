package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * Issue 18's first acceptance line: {@code tinyfit optimize MODEL} with no option writes the {@code .tflite}, the
     * plan JSON and the report, named after the model, in the working directory, and says so; the plan was chosen
     * by the search over every method and verified by execution.
     */
    @TestFactory
    Stream<DynamicTest> optimizeWithNoOptionWritesModelPlanAndReportForEverySharedModel() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> {
            Path dir = Files.createDirectories(tmp.resolve(Shared.stem(f)));
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cliIn(dir, "optimize", f.toString());
            assertThat(r.code()).as(r.err()).isZero();
            String stem = Shared.stem(f);
            Path out = dir.resolve(stem + ".tinyfit.tflite");
            Path json = dir.resolve(stem + ".plan.json");
            Path html = dir.resolve(stem + ".report.html");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(out.getFileName().toString(),
                        json.getFileName().toString(), html.getFileName().toString());
            }
            assertThat(out).isNotEmptyFile();
            JsonNode doc = new ObjectMapper().readTree(json.toFile());
            assertThat(doc.path("optimized").path("verified").asBoolean()).isTrue();
            assertThat(doc.path("search").path("tried").size()).isPositive();
            assertThat(doc.path("search").path("chosen").toString()).isEqualTo(doc.path("optimized").path("methods").toString());
            assertThat(Files.readString(html)).contains("<svg id='chart-live'").contains("<svg id='chart-arena-optimised'").contains("<table id=\"table-fit\"")
                    .contains("<table id=\"table-search\"").contains("<b>chosen</b>").endsWith("</html>\n");
            assertThat(r.out()).contains("plan search").contains("<- chosen").contains("wrote " + out);
            // progress went to standard error as plain lines (not a terminal), one per method set
            assertThat(r.err()).contains("tinyfit: method set 1/");
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
