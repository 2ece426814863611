package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.targets.Boards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit targets}: the catalogue as a table, one board with its sources, JSON, and a one-line miss. */
class TargetsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theTableListsEveryBoard() {
        AnalyzeCommandTest.Result r = cli("targets");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().skip(1).limit(Boards.all().size())).hasSize(Boards.all().size());
        assertThat(r.out()).contains("nano33-ble-sense").contains("Cortex-M55 (Helium) @ 400 MHz, DSP+MVE").contains(Boards.all().size() + " boards, all 32-bit");
    }

    @Test
    void oneBoardShowsEverySourceAndWhatIsUnchecked() {
        AnalyzeCommandTest.Result r = cli("targets", "ESP32-DevKitC");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("largest bank  160 KiB").contains("source: ESP-IDF Programming Guide, Memory Types (maximum statically allocated DRAM usage is 160 KB)")
                .contains("[not checked against the source]").contains("--target esp32-devkitc budgets the largest contiguous SRAM bank 160 KiB of 520 KiB");
        assertThat(r.out().lines().filter(l -> l.contains("source: "))).hasSize(6);
    }

    @Test
    void jsonHasEveryBoardWithItsSources() throws Exception {
        Path json = tmp.resolve("boards.json");
        assertThat(cli("targets", "--json", json.toString()).code()).isZero();
        JsonNode boards = new ObjectMapper().readTree(json.toFile()).path("boards");
        assertThat(boards.size()).isEqualTo(Boards.all().size());
        for (JsonNode b : boards) {
            assertThat(b.path("sources").size()).isEqualTo(6);
            assertThat(b.path("largest_bank_bytes").asLong()).isPositive().isLessThanOrEqualTo(b.path("sram_bytes").asLong());
        }
    }

    @Test
    void anUnknownBoardIsOneLineWithCloseMatches() {
        AnalyzeCommandTest.Result r = cli("targets", "pico2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tinyfit: BOARD: no board 'pico2' in the catalogue; did you mean rpi-pico2? ('tinyfit targets' lists all " + Boards.all().size() + ")");
    }
}
