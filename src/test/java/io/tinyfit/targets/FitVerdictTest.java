package io.tinyfit.targets;

import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budgets from --budget and --target, and the verdict on the whole TFLM arena (or tinyfit's, when TFLM refuses). */
class FitVerdictTest {
    private final Graph model = DefaultModels.mobileNetV2Style();
    private final long head = TflmBaseline.plan(model).arenaBytes();
    private final ArenaByWidth arena = ArenaByWidth.of(model, head);

    @Test
    void theWholeTflmArenaIsJudgedForTheBudgetsPointerWidth() {
        long whole32 = arena.forPointerBytes(4).orElseThrow().predictedMinBytes();
        long whole64 = arena.forPointerBytes(8).orElseThrow().predictedMinBytes();
        FitVerdict exact = FitVerdict.judge(new Budget(whole32, null, 4), model, arena, head);
        assertThat(exact.fits()).isTrue();
        assertThat(exact.gapBytes()).isZero();
        assertThat(exact.basis()).isEqualTo(FitVerdict.Basis.TFLM_ARENA);
        FitVerdict short32 = FitVerdict.judge(new Budget(whole32 - 1, null, 4), model, arena, head);
        assertThat(short32.fits()).isFalse();
        assertThat(short32.gapBytes()).isEqualTo(1);
        FitVerdict wide = FitVerdict.judge(new Budget(whole32, null, 8), model, arena, head);
        assertThat(wide.neededBytes()).isEqualTo(whole64).isGreaterThan(whole32);
        assertThat(wide.fits()).isFalse();
        assertThat(wide.gapPct()).isEqualTo(Math.round(1000.0 * (whole64 - whole32) / whole32) / 10.0);
    }

    @Test
    void aModelTflmRefusesIsJudgedOnItsPlanArena() {
        Shared.assume();
        Graph coral = ModelReader.read(Shared.models().resolve("coral_mobilenet_v1_0_25_128_uint8.tflite"));
        long planHead = TflmBaseline.plan(coral).arenaBytes();
        FitVerdict v = FitVerdict.judge(new Budget(1 << 20, null, 4), coral, ArenaByWidth.of(coral, planHead), planHead);
        assertThat(v.basis()).isEqualTo(FitVerdict.Basis.TINYFIT_RUNTIME);
        assertThat(v.neededBytes()).isEqualTo(planHead);
        assertThat(v.basis().description).contains("TFLM refuses this model");
    }

    @Test
    void budgetsFromTheCommandLine() {
        assertThat(Budget.of(null, null, Optional.empty(), 4)).isEmpty();
        assertThat(Budget.of(65_536L, null, Optional.of(8), 4)).contains(new Budget(65_536, null, 8));
        Budget h7 = Budget.of(null, "nucleo-h743zi2", Optional.empty(), 8).orElseThrow();
        assertThat(h7.bytes()).isEqualTo(512 * 1024);
        assertThat(h7.pointerBytes()).isEqualTo(4);
        assertThat(h7.describe()).isEqualTo("524,288 B (ST NUCLEO-H743ZI2: largest contiguous SRAM bank 512 KiB of 1 MiB (" + h7.board().bankNote() + "))");
        Budget share = Budget.of(100_000L, "nucleo-h743zi2", Optional.of(4), 4).orElseThrow();
        assertThat(share.bytes()).isEqualTo(100_000);
        assertThat(share.describe()).startsWith("100,000 B (ST NUCLEO-H743ZI2: --budget, of its largest contiguous SRAM bank 512 KiB");
    }

    @Test
    void contradictionsAreErrors() {
        assertThatThrownBy(() -> Budget.of(null, "teensy-40", Optional.of(8), 8)).isInstanceOf(TinyfitException.class)
                .hasMessage("--pointer-bytes 8 contradicts --target teensy-40, a 32-bit board");
        assertThatThrownBy(() -> Budget.of(1L << 20, "nano33-ble-sense", Optional.empty(), 4)).isInstanceOf(TinyfitException.class)
                .hasMessage("--budget 1 MiB is more than Arduino Nano 33 BLE Sense has for one arena: its SRAM 256 KiB");
    }
}
