package io.tinyfit.arena;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelTargetTest {
    @Test
    void parsingAndDefaults() {
        assertThat(KernelLibrary.parse("CMSIS_NN")).isEqualTo(KernelLibrary.CMSIS_NN);
        assertThat(Cpu.parse("M4F")).isEqualTo(Cpu.CORTEX_M4);
        assertThat(Cpu.parse("cortex-m0plus")).isEqualTo(Cpu.CORTEX_M0_PLUS);
        assertThat(Cpu.parse("ESP32-S3")).isEqualTo(Cpu.ESP32_S3);
        assertThat(KernelTarget.of(KernelLibrary.CMSIS_NN, null).cpu()).isEqualTo(Cpu.CORTEX_M4);
        assertThat(KernelTarget.of(KernelLibrary.ESP_NN, null).cpu()).isEqualTo(Cpu.ESP32_S3);
        assertThat(KernelTarget.of(KernelLibrary.REFERENCE, Cpu.CORTEX_M7)).isEqualTo(KernelTarget.REFERENCE);
        assertThatThrownBy(() -> KernelTarget.of(KernelLibrary.ESP_NN, Cpu.CORTEX_M4)).hasMessageContaining("esp-nn runs on Espressif chips");
        assertThatThrownBy(() -> Cpu.parse("z80")).hasMessageContaining("unknown processor 'z80'");
    }

    @Test
    void dmoStaysOnWhereTheLibraryHandsTheOperatorToTheReferenceCode() {
        Shared.assume();
        KernelTarget cmsis = KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M7);
        Graph f32 = ModelReader.read(Shared.models().resolve("mlperf_ic_resnet8_f32.tflite"));
        Graph i8 = ModelReader.read(Shared.models().resolve("mlperf_ic_resnet8_int8.tflite"));
        for (Op op : f32.ops()) {
            // float convolutions run reference_ops::Conv inside cmsis_nn/conv.cc; float ADD, pooling, FC stay CMSIS-NN's files
            if (op.kind().equals("CONV_2D")) assertThat(cmsis.dmoOff(f32, op)).isFalse();
        }
        for (Op op : i8.ops()) {
            assertThat(cmsis.dmoOff(i8, op)).as(op.kind()).isEqualTo(KernelLibrary.CMSIS_NN.replaces(op.kind()));
        }
        assertThat(KernelTarget.REFERENCE.replacedOps(i8)).isEmpty();
    }
}
