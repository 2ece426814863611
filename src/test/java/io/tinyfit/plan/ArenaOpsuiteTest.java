package io.tinyfit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class ArenaOpsuiteTest {
    @Test
    void table() {
        Shared.assume();
        for (Path dir : CaseFiles.dirs(Shared.opsuite())) {
            JsonNode meta = CaseFiles.meta(dir);
            Graph g = ModelReader.read(dir.resolve("model.tflite"));
            long head = TflmBaseline.plan(g).arenaBytes();
            ArenaEstimate e = TflmArena.predict(g, head, 8).orElseThrow();
            long used = meta.path("arena_used_bytes").asLong();
            long min = meta.path("min_arena_bytes_accepted").asLong();
            System.out.printf("OPS %-45s used %6d/%6d (%+5d)  min %6d/%6d (%+5d)%n", dir.getFileName(), e.usedBytes(), used, e.usedBytes() - used,
                    e.predictedMinBytes(), min, e.predictedMinBytes() - min);
        }
    }
}
