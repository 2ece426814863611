package io.tinyfit.plan;

import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.Cpu;
import io.tinyfit.arena.KernelLibrary;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The head and whole arena per kernel library: the reference target reproduces TFLM's own plan exactly, and on the
 * shared models the table of every library and processor is written to {@code target/kernel-arenas.tsv} (the
 * figures the closing note quotes).
 */
class LibraryPlansTest {
    static final List<KernelTarget> TARGETS = List.of(KernelTarget.REFERENCE,
            KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M0), KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4),
            KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M55), KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32),
            KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32_S3));

    @Test
    void referenceTargetIsTflmsOwnPlanAndHeadOfAPlanIsTheGreedyHeadAroundItsTensors() {
        Shared.assume();
        for (Path f : Shared.modelFiles()) {
            Graph g = ModelReader.read(f);
            Plan tflm = TflmBaseline.plan(g);
            assertThat(LibraryPlans.baseline(g, KernelTarget.REFERENCE).arenaBytes()).as(f.toString()).isEqualTo(tflm.arenaBytes());
            // TFLM's greedy plan, its tensors fixed where it put them: the scratch buffers land where they were
            assertThat(LibraryPlans.head(tflm, KernelTarget.REFERENCE)).as(f.toString()).isEqualTo(tflm.arenaBytes());
        }
    }

    /**
     * An 8x8x4 int8 input, a 3x3 SAME convolution to 8 channels (512 B), a 2x2 average pool (128 B). TFLM's greedy
     * plan puts the output at 0 and the input at 512: 768 B. The library's scratch is live with both at the
     * convolution: CMSIS-NN on a Cortex-M4 (and M0) asks 2 * 36 * 2 = 144 B, on a Cortex-M55 4 * ceil(36 / 8) * 8 =
     * 160 B; ESP-NN on the ESP32-S3 (padding 1, channels rounded to 16) a padded input 10 * 10 * 4 = 400, the filter
     * 9 * 16 * 8 = 1,152, 32 and 8 * 4: 1,616 B; on the ESP32 none. The pool's 4 * 8 = 32 B (CMSIS-NN, DSP) fits beside
     * the 640 B live at its step.
     */
    @Test
    void handBuiltConvolutionHeadPerLibrary() {
        GraphBuilder b = new GraphBuilder("conv-pool", 3);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 8, 8, 4);
        GraphBuilder.Ref c = b.conv2d(x, 8, 3, 1, GraphBuilder.Padding.SAME, GraphBuilder.Activation.NONE);
        Graph g = b.output(b.averagePool(c, 2, 2, GraphBuilder.Padding.VALID)).build();
        assertThat(TflmBaseline.plan(g).arenaBytes()).isEqualTo(768);
        assertThat(LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M0)).arenaBytes()).isEqualTo(768 + 144);
        assertThat(LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4)).arenaBytes()).isEqualTo(768 + 144);
        assertThat(LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M55)).arenaBytes()).isEqualTo(768 + 160);
        assertThat(LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32_S3)).arenaBytes()).isEqualTo(768 + 1616);
        assertThat(LibraryPlans.baseline(g, KernelTarget.of(KernelLibrary.ESP_NN, Cpu.ESP32)).arenaBytes()).isEqualTo(768);
        // the file of TFLM's reference plan, loaded by a CMSIS-NN build: the scratch goes above the fixed tensors
        assertThat(LibraryPlans.head(TflmBaseline.plan(g), KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4))).isEqualTo(912);
        // the tail holds the scratch handles of the library's two requests (conv and pool); the reference build has none
        var ref = TflmArena.predict(g, 768, 4).orElseThrow();
        var cmsis = TflmArena.predict(g, 912, 4, KernelTarget.of(KernelLibrary.CMSIS_NN, Cpu.CORTEX_M4)).orElseThrow();
        assertThat(ref.tailParts().get("scratch_handles")).isZero();
        assertThat(cmsis.tailParts().get("scratch_handles")).isPositive();
        assertThat(cmsis.tailBytes()).isGreaterThanOrEqualTo(ref.tailBytes());
        assertThat(cmsis.kernels()).isEqualTo("cmsis-nn");
    }

    @Test
    void tableOfHeadAndWholeArenaPerLibraryOnTheSharedModels() throws IOException {
        Shared.assume();
        StringBuilder sb = new StringBuilder("model");
        for (KernelTarget t : TARGETS) sb.append('\t').append(t.id()).append(t.cpu() == null ? "" : "/" + t.cpu().id()).append(" head/whole");
        sb.append('\n');
        for (Path f : Shared.modelFiles()) {
            Graph g = ModelReader.read(f);
            sb.append(Shared.stem(f));
            long refHead = 0;
            for (KernelTarget t : TARGETS) {
                long head = LibraryPlans.baseline(g, t).arenaBytes();
                if (t.isReference()) refHead = head;
                Optional<ArenaEstimate> whole = TflmSupport.refusal(g).isPresent() ? Optional.empty() : TflmArena.predict(g, head, 4, t);
                sb.append('\t').append(head).append('/').append(whole.map(e -> Long.toString(e.predictedMinBytes())).orElse("-"));
                // a library only adds scratch buffers where the reference kernels had none
                if (!t.isReference()) assertThat(head).as(f + " " + t).isGreaterThanOrEqualTo(0);
                whole.ifPresent(e -> assertThat(e.kernels()).isEqualTo(t.id()));
            }
            assertThat(refHead).isPositive();
            sb.append('\n');
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "kernel-arenas.tsv"), sb.toString());
        System.out.print(sb);
    }
}
