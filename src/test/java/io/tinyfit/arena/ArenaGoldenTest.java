package io.tinyfit.arena;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.model.Graph;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The predicted whole arena against the real runtime's figures in {@code ../shared/golden/<model>/meta.json}, for
 * every model TFLM ran and both pointer widths: the minimum arena within 2 % (and, as it stands, exact), and
 * the tail and {@code arena_used_bytes} beside it so that a miss shows which part is off. The planned head is
 * TFLM's measured one ({@code plan.TflmBaselineGoldenTest} proves tinyfit reproduces it).
 */
class ArenaGoldenTest {
    record Row(String model, int width, long predicted, long measured, long tail, long measuredTail, long used, long measuredUsed) {
        double errorPct() { return 100.0 * (predicted - measured) / measured; }
    }

    @Test
    void predictsTheMinimumArenaOfEveryGoldenModelForBothWidths() {
        Shared.assume();
        List<Row> rows = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path dir : CaseFiles.dirs(Shared.golden())) {
            JsonNode meta = CaseFiles.meta(dir);
            String name = dir.getFileName().toString();
            if (!"ok".equals(meta.path("status").asText())) {
                refused.add(name + ": " + meta.path("status").asText().replace('\n', ' '));
                continue;
            }
            Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
            for (int width : new int[] {4, 8}) {
                String sfx = width == 4 ? "_32bit" : "";
                long head = meta.path("planned_head_bytes" + sfx).asLong();
                ArenaEstimate e = TflmArena.predict(g, head, width).orElseThrow();
                rows.add(new Row(name, width, e.predictedMinBytes(), meta.path("min_arena_bytes_accepted" + sfx).asLong(),
                        e.tailBytes(), meta.path("persistent_tail_bytes" + sfx).asLong(), e.usedBytes(), meta.path("arena_used_bytes" + sfx).asLong()));
            }
        }
        System.out.printf("%-38s %5s %12s %12s %8s %10s %10s %10s %10s%n", "model", "width", "predicted", "measured", "error", "tail", "tail meas", "used", "used meas");
        for (Row r : rows) {
            System.out.printf("%-38s %5d %,12d %,12d %7.3f%% %,10d %,10d %,10d %,10d%n", r.model(), r.width() * 8, r.predicted(), r.measured(), r.errorPct(),
                    r.tail(), r.measuredTail(), r.used(), r.measuredUsed());
        }
        refused.forEach(s -> System.out.println("refused by TFLM: " + s));
        assertThat(rows).hasSizeGreaterThanOrEqualTo(42);
        for (Row r : rows) {
            String what = r.model() + " " + r.width() * 8 + "-bit";
            assertThat(Math.abs(r.errorPct())).as("%s: predicted %d, measured %d", what, r.predicted(), r.measured()).isLessThanOrEqualTo(2.0);
            // The issue asks for 2 %; the model is exact on every golden model, so any drift is a regression.
            assertThat(r.predicted()).as("%s minimum arena", what).isEqualTo(r.measured());
            assertThat(r.tail()).as("%s persistent tail", what).isEqualTo(r.measuredTail());
            assertThat(r.used()).as("%s arena_used_bytes", what).isEqualTo(r.measuredUsed());
        }
    }
}
