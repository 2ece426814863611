package io.tinyfit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.OfflineMemoryAllocation;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every shared model: the optimised arena is at most TFLM's, verified by execution; the written model
 * carries the offline plan, reads back with the same operator order and offsets, and runs bit-identically to
 * the original; its whole TFLM arena is the original's measured one less the head saving.
 */
class OptimizerSharedModelsTest {
    static final PlannerSuite.Options QUICK = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(500));

    /** The order pass under test; the schedule package supplies the real one. */
    static Optimizer.OrderSearch orderSearch() {
        return io.tinyfit.schedule.Orderings::search;
    }

    @TestFactory
    Stream<DynamicTest> optimisedArenaIsVerifiedAndNeverAboveTflm() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> check(f)));
    }

    static void check(Path f) {
        Graph g = ModelReader.read(f);
        Optimizer.Result r = Optimizer.optimize(g, new Optimizer.Options(Set.of(Optimizer.REORDER, Optimizer.LAYOUT), QUICK, orderSearch()));
        assertThat(r.verified()).as(r.check().describe()).isTrue();
        assertThat(r.plan().arenaBytes()).isLessThanOrEqualTo(r.baseline().arenaBytes());
        System.out.printf("optimize %-40s TFLM %,10d  optimised %,10d  lower bound %,10d  %s / %s%n", Shared.stem(f),
                r.baseline().arenaBytes(), r.plan().arenaBytes(), r.lowerBoundBytes(), r.ordering().scheduler(), r.plan().planner());

        Graph back = ModelReader.read(ModelWriter.toBytes(r.graph()), "written");
        Map<Integer, Long> offsets = OfflineMemoryAllocation.read(back).orElseThrow();
        for (Buffer b : r.plan().buffers()) {
            if (b.kind() == Buffer.Kind.TENSOR) assertThat(offsets.get(b.tensor())).as("offset of tensor %d", b.tensor()).isEqualTo(b.offset());
        }
        assertThat(back.ops()).isEqualTo(r.graph().ops());
        List<byte[]> in = InputGenerator.golden(g);
        List<byte[]> want = new Interpreter(TflmBaseline.plan(g)).run(in);
        // Stock TFLM honours the offline plan: so does the baseline planner, which must give the optimised arena.
        Plan deployed = TflmBaseline.plan(back);
        assertThat(deployed.arenaBytes()).isEqualTo(r.plan().arenaBytes());
        List<byte[]> got = new Interpreter(deployed).run(in);
        for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("output %d of the written model", i).isEqualTo(want.get(i));
        assertWholeArenaOfTheWrittenFile(Shared.stem(f), r);
    }

    /**
     * The written file's whole arena against what the real runtime measured for the original: the tail is unchanged
     * (reordering and the offline plan leave it alone), so the arena is the measured minimum less the head saving,
     * unless the allocation-time temporaries then bind, which keep it above head plus tail.
     */
    static void assertWholeArenaOfTheWrittenFile(String model, Optimizer.Result r) {
        Path metaFile = Shared.golden().resolve(model).resolve("meta.json");
        if (!java.nio.file.Files.exists(metaFile)) return;
        JsonNode meta = CaseFiles.meta(metaFile.getParent());
        if (!"ok".equals(meta.path("status").asText())) return;
        long saving = r.baseline().arenaBytes() - r.plan().arenaBytes();
        for (int width : new int[] {4, 8}) {
            String sfx = width == 4 ? "_32bit" : "";
            ArenaEstimate w = r.arena().forPointerBytes(width).orElseThrow();
            long min = meta.path("min_arena_bytes_accepted" + sfx).asLong();
            long used = meta.path("arena_used_bytes" + sfx).asLong();
            System.out.printf("written %-38s %d-bit: head saving %,9d  measured min %,10d  predicted written %,10d  (measured less saving %,10d; temporaries %,d)%n",
                    model, width * 8, saving, min, w.predictedMinBytes(), min - saving, w.tempBytes());
            assertThat(w.tailBytes()).as("%s %d-bit tail", model, width * 8).isEqualTo(meta.path("persistent_tail_bytes" + sfx).asLong());
            assertThat(w.usedBytes()).as("%s %d-bit head + tail", model, width * 8).isEqualTo(used - saving);
            if (w.tempBytes() == 0) {
                assertThat(w.predictedMinBytes()).as("%s %d-bit whole arena", model, width * 8).isEqualTo(min - saving);
            } else {
                assertThat(w.predictedMinBytes()).as("%s %d-bit: temporaries bind", model, width * 8).isGreaterThan(used - saving).isLessThanOrEqualTo(min);
            }
        }
    }
}
