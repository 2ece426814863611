package io.tinyfit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.model.Graph;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole-arena model per kernel: every single-operator case of {@code ../shared/opsuite} (64-bit TFLM, all 46
 * kinds) against its measured {@code arena_used_bytes} and {@code min_arena_bytes_accepted}, with TFLM's head as
 * tinyfit plans it. Used bytes (head plus tail) are exact on every case; the minimum is exact except where a kernel's
 * Prepare order of temporaries and persistent buffers differs from the source read (listed, within 5 %).
 */
class ArenaOpsuiteTest {
    /** Prepare-phase minima off by 16-48 bytes: per-channel FULLY_CONNECTED and int8 LOG_SOFTMAX (see the report). */
    static final Set<String> MINIMUM_NOT_EXACT = Set.of("fc_int16_b2_k10_n6_flat_relu6_perch_015", "fc_int8_b2x2x2_k9_n4_keep_relu_perch_007",
            "logsoftmax_int8_r2_000", "logsoftmax_int8_r3_002");

    @Test
    void usedBytesAreExactOnEveryCaseAndTheMinimumOnAllButFour() {
        Shared.assume();
        List<String> inexact = new ArrayList<>();
        int cases = 0;
        for (Path dir : CaseFiles.dirs(Shared.opsuite())) {
            JsonNode meta = CaseFiles.meta(dir);
            String name = dir.getFileName().toString();
            Graph g = ModelReader.read(dir.resolve("model.tflite"));
            ArenaEstimate e = TflmArena.predict(g, TflmBaseline.plan(g).arenaBytes(), 8).orElseThrow();
            long min = meta.path("min_arena_bytes_accepted").asLong();
            assertThat(e.usedBytes()).as("%s arena_used_bytes", name).isEqualTo(meta.path("arena_used_bytes").asLong());
            if (e.predictedMinBytes() != min) {
                inexact.add(name);
                System.out.printf("opsuite %-45s min predicted %,d measured %,d (%+.1f%%)%n", name, e.predictedMinBytes(), min, 100.0 * (e.predictedMinBytes() - min) / min);
                assertThat(Math.abs(e.predictedMinBytes() - min)).as(name).isLessThanOrEqualTo(min / 20);
            }
            cases++;
        }
        assertThat(cases).isGreaterThan(200);
        assertThat(inexact).containsExactlyInAnyOrderElementsOf(MINIMUM_NOT_EXACT);
    }
}
