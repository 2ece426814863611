package io.tinyfit.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.ArenaTable;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.CountedBudgets;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.FlatbufferDiff;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.OfflineMemoryAllocation;
import io.tinyfit.tflite.TinyfitMarker;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shared model through the optimizer with each method set of the regression table: each plan is verified
 * by execution; the file written for it passes TFLM's load-time lint, differs from the original only in the
 * operator order and tinyfit's own metadata (byte-level, through the vtables), reads back into the same plan and
 * runs bit-identically to the original; DMO explains every peak step. The figures are then compared with the
 * checked-in table {@code regression/arenas.tsv}: a figure that grows fails, and so does one that shrinks without
 * the table being updated in the same commit.
 *
 * <p>The planners run with {@link CountedBudgets}, so the figures do not depend on the machine's speed.
 */
class SharedModelsRegressionTest {
    private static final Map<String, Map<String, Long>> MEASURED = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> everySharedModelAgainstTheTable() {
        Shared.assume();
        Stream<DynamicTest> models = Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> check(f)));
        return Stream.concat(models, Stream.of(DynamicTest.dynamicTest("regression table", () -> {
            ArenaTable.writeMeasured(MEASURED);
            ArenaTable.assertMatches(ArenaTable.read(ArenaTable.FILE), MEASURED);
        })));
    }

    private static void check(Path f) throws Exception {
        byte[] original = Files.readAllBytes(f);
        Graph g = ModelReader.read(original, f.getFileName().toString());
        Map<String, Long> row = new java.util.LinkedHashMap<>();
        row.put(ArenaTable.TFLM_HEAD, TflmBaseline.plan(g).arenaBytes());
        for (Map.Entry<String, Set<String>> set : ArenaTable.METHOD_SETS.entrySet()) {
            Optimizer.Result r = Optimizer.optimize(g, CountedBudgets.options(set.getValue()).withMaxMacOverhead(ArenaTable.macBound(set.getKey())));
            String what = Shared.stem(f) + " " + set.getKey();
            assertThat(r.verified()).as("%s: %s", what, r.check().describe()).isTrue();
            row.put(set.getKey(), r.plan().arenaBytes());
            System.out.printf("regression %-40s %-20s TFLM head %,10d  plan %,10d  lower bound %,10d  %s / %s, %d overlaps%n", Shared.stem(f), set.getKey(),
                    r.baseline().arenaBytes(), r.plan().arenaBytes(), r.lowerBoundBytes(), r.ordering().scheduler(), r.plan().planner(), r.plan().overlaps().size());
            assertThat(PlanCost.macOverheadPct(r.plan())).as(what).isLessThanOrEqualTo(ArenaTable.macBound(set.getKey()));
            // a plan over regions (tiling, partial execution) is tinyfit-runtime: no file of it runs in TFLM, the execution check above is its proof
            if (!r.plan().isWholeOperators()) continue;
            writtenFile(original, g, r, what);
            wholeArenaOfTheWrittenFile(Shared.stem(f), r);
            if (r.dmo() != null) dmoExplainsThePeak(r, what);
        }
        MEASURED.put(Shared.stem(f), row);
    }

    /** The file written for the plan: lint-clean, the original but for order and metadata, and the same plan. */
    private static void writtenFile(byte[] original, Graph g, Optimizer.Result r, String what) {
        assertThat(r.lint().findings()).as("%s: TFLM load-time lint of the written file", what).isEmpty();
        byte[] written = r.modelBytes();
        List<Integer> order = r.ordering().order();
        assertThat(FlatbufferDiff.afterOptimize(original, written, order, Set.of(Graph.OFFLINE_MEMORY_ALLOCATION, TinyfitMarker.NAME)))
                .as("%s: byte-level differences other than operator order and tinyfit's metadata", what).isEmpty();

        Graph back = ModelReader.read(written, "written");
        Map<Integer, Long> offsets = OfflineMemoryAllocation.read(back).orElseThrow();
        for (Buffer b : r.plan().buffers()) {
            if (b.kind() == Buffer.Kind.TENSOR) assertThat(offsets.get(b.tensor())).as("%s: offset of tensor %d", what, b.tensor()).isEqualTo(b.offset());
        }
        // stock TFLM honours the offline plan, and so does the baseline planner: the same arena, overlaps re-proven
        Plan deployed = TflmBaseline.plan(back);
        assertThat(deployed.arenaBytes()).as(what).isEqualTo(r.plan().arenaBytes());
        assertThat(deployed.overlaps()).hasSameSizeAs(r.plan().overlaps());
        PlanVerifier.check(deployed);
        List<byte[]> in = InputGenerator.golden(g);
        List<byte[]> want = new Interpreter(TflmBaseline.plan(g)).run(in);
        List<byte[]> got = new Interpreter(deployed).run(in);
        for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("%s: output %d of the written model", what, i).isEqualTo(want.get(i));

        // optimising the written file again replaces its plan instead of leaving the old one behind
        Graph again = ModelReader.read(Optimizer.optimize(back, CountedBudgets.options(Set.of())).modelBytes(), "again");
        assertThat(again.buffers()).as("%s: buffers after re-optimising the written file", what).hasSameSizeAs(back.buffers());
    }

    /**
     * The written file's whole arena against what the real runtime measured for the original: the tail is unchanged
     * (reordering and the offline plan leave it alone), so the arena is the measured minimum less the head saving,
     * unless the allocation-time temporaries then bind, which keep it above head plus tail.
     */
    private static void wholeArenaOfTheWrittenFile(String model, Optimizer.Result r) {
        Path metaFile = Shared.golden().resolve(model).resolve("meta.json");
        if (!Files.exists(metaFile)) return;
        JsonNode meta = CaseFiles.meta(metaFile.getParent());
        if (!"ok".equals(meta.path("status").asText())) return;
        long saving = r.baseline().arenaBytes() - r.plan().arenaBytes();
        for (int width : new int[] {4, 8}) {
            String sfx = width == 4 ? "_32bit" : "";
            ArenaEstimate w = r.arena().forPointerBytes(width).orElseThrow();
            long min = meta.path("min_arena_bytes_accepted" + sfx).asLong();
            long used = meta.path("arena_used_bytes" + sfx).asLong();
            assertThat(w.tailBytes()).as("%s %d-bit tail", model, width * 8).isEqualTo(meta.path("persistent_tail_bytes" + sfx).asLong());
            assertThat(w.usedBytes()).as("%s %d-bit head + tail", model, width * 8).isEqualTo(used - saving);
            if (w.tempBytes() == 0) {
                assertThat(w.predictedMinBytes()).as("%s %d-bit whole arena", model, width * 8).isEqualTo(min - saving);
            } else {
                assertThat(w.predictedMinBytes()).as("%s %d-bit: temporaries bind", model, width * 8).isGreaterThan(used - saving).isLessThanOrEqualTo(min);
            }
        }
    }

    /** Every peak step says why DMO did or did not apply, and the black-box search never exceeds the trace. */
    private static void dmoExplainsThePeak(Optimizer.Result r, String what) {
        boolean anyPeak = false;
        for (DmoSummary.StepRow row : r.dmo().steps()) {
            if (!row.peakWithoutDmo() && !row.peakWithDmo()) continue;
            anyPeak = true;
            assertThat(row.verdict()).as("%s step %d", what, row.step()).matches("(applied|not applied): .+");
            for (DmoSummary.PairRow p : row.pairs()) {
                assertThat(p.applied() || p.reason() != null).isTrue();
                if (p.traceDelta() != null && p.searchDelta() != null) assertThat(p.searchDelta()).as("search never exceeds trace").isLessThanOrEqualTo(p.traceDelta());
            }
        }
        assertThat(anyPeak).as(what).isTrue();
        for (Overlap o : r.plan().overlaps()) {
            assertThat(r.dmo().steps().get(o.step()).pairs()).anyMatch(p -> p.inputTensor() == o.inputTensor() && p.applied());
        }
    }
}
