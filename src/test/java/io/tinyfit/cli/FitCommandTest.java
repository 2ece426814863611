package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * --budget and --target as a CI job meets them: exit 0 when the whole TFLM arena fits, 1 when it does not (the best
 * plan still written, the gap stated), 2 for bad input and usage, 70 for tinyfit's own bugs.
 */
class FitCommandTest {
    @TempDir
    Path tmp;

    private final Graph model = DefaultModels.mobileNetV2Style();
    /** The embedded model's whole TFLM arena on a 32-bit build, as TFLM plans it. */
    private final long whole = ArenaByWidth.of(model, TflmBaseline.plan(model).arenaBytes()).forPointerBytes(4).orElseThrow().predictedMinBytes();

    @Test
    void analyzeExitsZeroWhenTheWholeArenaFitsAndOneWhenItDoesNot() throws Exception {
        AnalyzeCommandTest.Result fits = cli("analyze", "--budget", String.valueOf(whole));
        assertThat(fits.code()).as(fits.err()).isZero();
        assertThat(fits.out()).contains(String.format("fits the budget %,d B (--budget): needs %,d B, the whole arena TFLM needs (kTensorArenaSize), 32-bit build; 0 B (0.0%%) to spare", whole, whole));

        Path json = tmp.resolve("a.json");
        AnalyzeCommandTest.Result misses = cli("analyze", "--budget", String.valueOf(whole - 1), "--json", json.toString());
        assertThat(misses.code()).as(misses.err()).isEqualTo(Main.EXIT_BUDGET_NOT_MET);
        assertThat(misses.err()).isEmpty();
        assertThat(misses.out()).contains(String.format("DOES NOT FIT the budget %,d B (--budget): needs %,d B", whole - 1, whole)).contains("1 B (0.0% of the budget) over");
        JsonNode fit = new ObjectMapper().readTree(json.toFile()).path("fit");
        assertThat(fit.path("budget_bytes").asLong()).isEqualTo(whole - 1);
        assertThat(fit.path("fits").asBoolean()).isFalse();
        assertThat(fit.path("gap_bytes").asLong()).isEqualTo(1);
        assertThat(fit.path("needed_bytes").asLong()).isEqualTo(whole);
        assertThat(fit.path("judged_on").asText()).isEqualTo("tflm_arena");
        assertThat(fit.path("target").isNull()).isTrue();
    }

    @Test
    void withoutABudgetTheDocumentsSayFitNull() throws Exception {
        Path json = tmp.resolve("none.json");
        assertThat(cli("analyze", "--json", json.toString()).code()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.has("fit")).isTrue();
        assertThat(doc.path("fit").isNull()).isTrue();
    }

    @Test
    void sizesAcceptIecAndSiUnits() {
        // 256 KiB holds the embedded model's arena, 64 kB (64,000 B) does not
        assertThat(whole).isBetween(64_000L, 256L * 1024);
        assertThat(cli("analyze", "--budget", "256KiB").code()).isZero();
        AnalyzeCommandTest.Result si = cli("analyze", "--budget", "64kB");
        assertThat(si.code()).isEqualTo(1);
        assertThat(si.out()).contains("the budget 64,000 B (--budget)");
    }

    @Test
    void aTargetBudgetsItsLargestBankForItsPointerWidth() throws Exception {
        Path json = tmp.resolve("t.json");
        AnalyzeCommandTest.Result r = cli("analyze", "--target", "NUCLEO-H743ZI2", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fits the budget 524,288 B (ST NUCLEO-H743ZI2: largest contiguous SRAM bank 512 KiB of 1 MiB")
                // --target implies the board's kernel library and core (issue 18 item 1): the figure is CMSIS-NN's on a Cortex-M7
                .contains("cmsis-nn kernels, an estimate").contains("kernels: cmsis-nn on cortex-m7 (DSP)").doesNotContain("usually builds TFLM with");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("fit").path("target").asText()).isEqualTo("nucleo-h743zi2");
        assertThat(doc.path("fit").path("pointer_bytes").asInt()).isEqualTo(4);
        assertThat(doc.path("tflm_arena").path("pointer_bytes").asInt()).isEqualTo(4);

        AnalyzeCommandTest.Result zero = cli("analyze", "--target", "arduino-zero");
        assertThat(zero.code()).isEqualTo(1);
        assertThat(zero.out()).contains("DOES NOT FIT the budget 32,768 B (Arduino Zero: SRAM 32 KiB)").doesNotContain("usually builds TFLM");
    }

    @Test
    void optimizeWritesTheBestPlanEvenWhenItDoesNotFitAndStatesTheGap() throws Exception {
        Path out = tmp.resolve("best.tflite");
        Path plan = tmp.resolve("plan.json");
        AnalyzeCommandTest.Result r = cli("optimize", "--methods", "layout", "--exact-seconds", "0.2", "--budget", "1KiB", "-o", out.toString(),
                "--plan-json", plan.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_BUDGET_NOT_MET);
        assertThat(out).exists();
        JsonNode doc = new ObjectMapper().readTree(plan.toFile());
        long written = doc.path("optimized").path("tflm_arena").path("predicted_min_bytes").asLong();
        JsonNode fit = doc.path("fit");
        assertThat(fit.path("needed_bytes").asLong()).isEqualTo(written);
        assertThat(fit.path("gap_bytes").asLong()).isEqualTo(written - 1024);
        assertThat(fit.path("fits").asBoolean()).isFalse();
        assertThat(r.out()).contains(String.format("DOES NOT FIT the budget 1,024 B (--budget): needs %,d B", written))
                .contains("the best plan found is still written; try every method: --methods " + String.join(",", PassRegistry.names()));

        AnalyzeCommandTest.Result fits = cli("optimize", "--methods", "layout", "--exact-seconds", "0.2", "--budget", String.valueOf(whole));
        assertThat(fits.code()).as(fits.err()).isZero();
        assertThat(fits.out()).contains("fits the budget");
    }

    @Test
    void aModelTflmRefusesIsJudgedOnTinyfitsRuntimeArenaAndSaysSo() throws Exception {
        Shared.assume();
        Path coral = Shared.models().resolve("coral_mobilenet_v1_0_25_128_uint8.tflite");
        Path json = tmp.resolve("coral.json");
        AnalyzeCommandTest.Result r = cli("analyze", coral.toString(), "--budget", "128KiB", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fits the budget 131,072 B (--budget): needs 131,072 B, the plan's arena on tinyfit's runtime: TFLM refuses this model");
        assertThat(new ObjectMapper().readTree(json.toFile()).path("fit").path("judged_on").asText()).isEqualTo("tinyfit_runtime");
    }

    @Test
    void badBudgetsAndTargetsAreOneLineUsageErrors() {
        oneLine(cli("analyze", "--budget", "lots"), "Invalid value for option '--budget': 'lots' is not a byte count");
        oneLine(cli("analyze", "--budget", "0"), "'0' is outside 1 byte to");
        oneLine(cli("analyze", "--target", "nano33"), "tinyfit: --target: no board 'nano33' in the catalogue; did you mean nano33-ble-sense?");
        oneLine(cli("optimize", "--target", "teensy-40", "--pointer-bytes", "8"), "tinyfit: --pointer-bytes 8 contradicts --target teensy-40, a 32-bit board");
        oneLine(cli("analyze", "--target", "arduino-zero", "--budget", "1MiB"), "--budget 1 MiB is more than Arduino Zero has for one arena: its SRAM 32 KiB");
        // the same parser reads --max-arena-bytes: 1.5KB is 1,500 bytes
        oneLine(cli("analyze", "--max-arena-bytes", "1.5KB"), "above the limit of 1,500 bytes (--max-arena-bytes)");
        oneLine(cli("analyze", "--max-arena-bytes", "4PiB"), "Invalid value for option '--max-arena-bytes': '4PiB' has an unknown unit 'PiB'");
    }

    @Test
    void picocliUsageErrorsExitTwoAndHelpZero() {
        AnalyzeCommandTest.Result unknown = cli("analyze", "--no-such-option");
        assertThat(unknown.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        AnalyzeCommandTest.Result extra = cli("targets", "teensy-40", "teensy-41");
        assertThat(extra.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(extra.err()).contains("Unmatched argument");
        assertThat(cli("--help").code()).isZero();
        assertThat(cli("--help").out()).contains("Exit codes:").contains("70   internal error");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override public Integer call() { throw new IllegalStateException("planted"); }
    }

    @Test
    void internalErrorsExitSeventyAndAskForAReport() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new Boom(), new String[0], new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(Main.EXIT_INTERNAL_ERROR).isEqualTo(70);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("tinyfit: internal error (a bug in tinyfit; please report it").contains("IllegalStateException: planted");
    }

    private static void oneLine(AnalyzeCommandTest.Result r, String part) {
        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().filter(l -> !l.startsWith("Try 'tinyfit"))).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(part);
    }

    @Test
    void noPartialOutputWhenTheBudgetIsRefused() {
        Path json = tmp.resolve("refused.json");
        assertThat(cli("analyze", "--target", "nope", "--json", json.toString()).code()).isEqualTo(2);
        assertThat(Files.exists(json)).isFalse();
    }
}
