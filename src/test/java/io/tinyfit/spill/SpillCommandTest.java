package io.tinyfit.spill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.cli.Main;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit optimize --methods spill --memory ...}: the plan JSON's banks and transfers, and bad memories refused in one line. */
class SpillCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theUNetSpillsItsSkipAndThePlanJsonSaysWhere() throws Exception {
        Path model = dir.resolve("unet.tflite");
        ModelWriter.write(UNet.build(), model);
        Path json = dir.resolve("plan.json");
        Run r = run("optimize", model.toString(), "--methods", "spill", "--memory", "sram:40000,psram:8MiB:20MB/s:1us", "--plan-json", json.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("spill: 1 tensor(s) to psram (8,192 B used), SRAM 49,152 -> 32,768 bytes; 16,384 bytes moved per inference")
                .contains("SRAM budget 40,000 bytes: met").contains("deployable: tinyfit-runtime");
        JsonNode opt = new ObjectMapper().readTree(json.toFile()).path("optimized");
        assertThat(opt.path("arena_bytes").asLong()).isEqualTo(32768);
        assertThat(opt.path("transfer_bytes").asLong()).isEqualTo(16384);
        // 1 µs + 8192 B at 20 MB/s out, 4 × (1 µs + 2048 B at 20 MB/s) back
        assertThat(opt.path("transfer_ms").asDouble()).isCloseTo(0.4106 + 0.4136, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(opt.path("banks").get(1).path("name").asText()).isEqualTo("psram");
        assertThat(opt.path("banks").get(1).path("bytes").asLong()).isEqualTo(8192);
        assertThat(opt.path("spills").get(0).path("bytes").asLong()).isEqualTo(8192);
        assertThat(opt.path("verified").asBoolean()).isTrue();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("buffers").findValuesAsText("bank")).contains("sram", "psram");
        assertThat(doc.path("steps").findValuesAsText("step_kind")).contains("copy");
    }

    /** With --target the board's external RAM is the slower memory, and --budget less TFLM's tail the SRAM aim. */
    @Test
    void aBoardsExternalRamTakesTheSpill() throws Exception {
        Path model = dir.resolve("unet.tflite");
        ModelWriter.write(UNet.build(), model);
        // the reference kernels: the spill figure alone, without the ESP-NN scratch the board implies (spill plans run on tinyfit's C kernels)
        Run r = run("optimize", model.toString(), "--methods", "spill", "--target", "esp32-s3-devkitc-n8r8", "--budget", "44KiB", "--kernels", "reference", "--dry-run", "-q");
        assertThat(r.out()).as(r.err()).contains("spill: 1 tensor(s) to extram (8,192 B used), SRAM 49,152 -> 32,768 bytes").contains("SRAM budget");
    }

    @Test
    void aBadMemoryIsOneLine() throws Exception {
        Path model = dir.resolve("unet.tflite");
        ModelWriter.write(UNet.build(), model);
        Run r = run("optimize", model.toString(), "--methods", "spill", "--memory", "psram:8MiB:fast", "--dry-run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'fast' is not a bandwidth");
        Run t = run("optimize", model.toString(), "--methods", "spill", "--max-transfer-ms", "-1", "--dry-run");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("--max-transfer-ms");
    }
}
