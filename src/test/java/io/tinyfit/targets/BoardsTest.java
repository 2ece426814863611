package io.tinyfit.targets;

import io.tinyfit.model.TinyfitException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalogue: every board complete and sourced, the common boards present, ids found whatever their case. */
class BoardsTest {
    @Test
    void everyBoardHasEveryFieldAndASourceForEveryFigure() {
        assertThat(Boards.all()).hasSizeGreaterThanOrEqualTo(20);
        for (Board b : Boards.all()) {
            assertThat(List.of(b.id(), b.name(), b.mcu(), b.cpu().core(), b.bankNote(), b.externalRamKind(), b.kernels())).as(b.id()).allMatch(s -> !s.isBlank());
            assertThat(b.id()).as(b.id()).matches("[a-z0-9-]+");
            assertThat(b.cpu().clockMhz()).as(b.id()).isPositive();
            assertThat(b.sramBytes()).as(b.id()).isPositive();
            assertThat(b.largestBankBytes()).as(b.id()).isPositive().isLessThanOrEqualTo(b.sramBytes());
            assertThat(b.flashBytes()).as(b.id()).isPositive();
            assertThat(b.externalRamBytes()).as(b.id()).isNotNegative();
            assertThat(b.kernels()).as(b.id()).isIn(Boards.KERNEL_LIBRARIES);
            assertThat(b.pointerBytes()).as(b.id()).isEqualTo(4);
            assertThat(b.sources().keySet()).as(b.id()).containsExactlyInAnyOrder(Board.Figure.values());
            assertThat(b.sources().values()).as(b.id()).allMatch(s -> s.length() > 10);
            // an MVE core is an Armv8.1-M core, which also has the DSP extension
            if (b.cpu().mve()) assertThat(b.cpu().dsp()).as(b.id()).isTrue();
        }
        assertThat(Boards.all().stream().map(Board::id).distinct()).hasSameSizeAs(Boards.all());
    }

    @Test
    void theCommonTinyMlBoardsAreThere() {
        List<String> described = Boards.all().stream().map(b -> (b.name() + " " + b.mcu() + " " + b.externalRamKind()).toLowerCase(Locale.ROOT)).toList();
        for (String wanted : List.of("nano 33 ble sense", "rp2040", "rp2350", "stm32f4", "stm32f7", "stm32h7", "nucleo", "discovery", "nrf52840",
                "nrf5340", "teensy 4.0", "teensy 4.1", "sparkfun edge", "samd21", "samd51", "i.mx rt1062", "i.mx rt1176", "esp32-s3", "esp-wrover")) {
            assertThat(described).as(wanted).anyMatch(d -> d.contains(wanted));
        }
        // the ESP32 and the ESP32-S3 with and without PSRAM
        assertThat(Boards.all()).filteredOn(b -> b.mcu().equals("Espressif ESP32")).extracting(Board::externalRamBytes).contains(0L).anyMatch(v -> v > 0);
        assertThat(Boards.all()).filteredOn(b -> b.mcu().equals("Espressif ESP32-S3")).extracting(Board::externalRamBytes).contains(0L).anyMatch(v -> v > 0);
        assertThat(Boards.all()).anyMatch(b -> b.cpu().mve()).anyMatch(b -> b.kernels().equals("esp-nn")).anyMatch(b -> b.kernels().equals("reference"));
    }

    @Test
    void splitBanksBudgetTheLargestBank() {
        Board h7 = Boards.find("NUCLEO-H743ZI2", "--target");
        assertThat(h7.splitBanks()).isTrue();
        assertThat(h7.largestBankBytes()).isEqualTo(512 * 1024);
        assertThat(h7.budgetMemory()).startsWith("largest contiguous SRAM bank 512 KiB of 1 MiB (AXI SRAM");
        Board nano = Boards.find("nano33-ble-sense", "--target");
        assertThat(nano.splitBanks()).isFalse();
        assertThat(nano.budgetMemory()).isEqualTo("SRAM 256 KiB");
    }

    @Test
    void idsAreCaseInsensitiveAndAMissNamesCloseMatches() {
        assertThat(Boards.find("Teensy-41", "--target").name()).isEqualTo("PJRC Teensy 4.1");
        assertThatThrownBy(() -> Boards.find("nano33", "--target")).isInstanceOf(TinyfitException.class)
                .hasMessageStartingWith("--target: no board 'nano33' in the catalogue; did you mean nano33-ble-sense?");
        assertThatThrownBy(() -> Boards.find("teensy", "--target")).hasMessageContaining("did you mean teensy-40, teensy-41?");
        assertThatThrownBy(() -> Boards.find("esp32-s3-devkit-n8", "--target")).hasMessageContaining("esp32-s3-devkitc-n8");
        assertThatThrownBy(() -> Boards.find("zzzz", "--target")).hasMessageNotContaining("did you mean").hasMessageContaining("'tinyfit targets' lists all");
    }
}
