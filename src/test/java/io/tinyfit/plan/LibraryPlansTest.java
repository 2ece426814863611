package io.tinyfit.plan;

import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.Cpu;
import io.tinyfit.arena.KernelLibrary;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Graph;
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
