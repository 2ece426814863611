package io.tinyfit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TFLM baseline equals what the real TFLM runtime planned ({@code planned_head_bytes} in
 * {@code ../shared/golden/<model>/meta.json}) for every model TFLM ran, and for every opsuite case the head
 * implied by {@code arena_used_bytes} is at least the baseline.
 */
class TflmBaselineGoldenTest {

    @TestFactory
    Stream<DynamicTest> baselineEqualsTflmPlannedHead() {
        Shared.assume();
        return CaseFiles.dirs(Shared.golden()).stream()
                .filter(d -> CaseFiles.meta(d).has("planned_head_bytes") && !CaseFiles.meta(d).path("planned_head_bytes").isNull())
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    static void check(Path dir) {
        JsonNode meta = CaseFiles.meta(dir);
        Graph g = ModelReader.read(Shared.models().resolve(dir.getFileName() + ".tflite"));
        Plan p = TflmBaseline.plan(g);
        long expected = meta.path("planned_head_bytes").asLong();
        System.out.printf("baseline %-40s tinyfit %,10d  TFLM %,10d%n", dir.getFileName(), p.arenaBytes(), expected);
        assertThat(p.arenaBytes()).as("%s planned head", dir.getFileName()).isEqualTo(expected);
        assertThat(meta.path("planned_head_bytes_32bit").asLong(expected)).as("32-bit build plans the same head").isEqualTo(expected);
    }
}
