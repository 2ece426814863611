package io.tinyfit.plan;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.layout.IteratedLocalSearch;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.schedule.ExactScheduler;
import io.tinyfit.schedule.OrderSearch;
import io.tinyfit.testing.ArenaTable;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.FlatbufferDiff;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.OfflineMemoryAllocation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>The planners run with budgets that end by count, never by time (no exact layout solver, an iteration-bound
 * local search, a state-bound order search), so the figures do not depend on the machine's speed.
 */
class SharedModelsRegressionTest {
    static final PlannerSuite.Options LAYOUT = new PlannerSuite.Options(2_000, Duration.ofHours(1), IteratedLocalSearch.DEFAULT_SEED, Duration.ZERO);

    static Optimizer.OrderSearch orderSearch() {
        return (g, layout, overlaps, keepInputs) -> {
            OrderSearch.Result r = OrderSearch.search(g, OrderSearch.Options.defaults()
                    .withExactBudget(new ExactScheduler.Budget(ExactScheduler.DEFAULT_MAX_STATES, Duration.ofHours(1))).withOverlaps(overlaps)
                    .withKeepInputs(keepInputs));
            return new Optimizer.Ordering(r.order(), r.scheduler(), r.exactCompleted());
        };
    }

    private static final Map<String, Map<String, Long>> MEASURED = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> everySharedModelAgainstTheTable() {
        Shared.assume();
        Stream<DynamicTest> models = Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> check(f)));
        return Stream.concat(models, Stream.of(DynamicTest.dynamicTest("regression table", () ->
                ArenaTable.assertMatches(ArenaTable.read(ArenaTable.FILE), MEASURED))));
    }

    private static void check(Path f) throws Exception {
        byte[] original = Files.readAllBytes(f);
        Graph g = ModelReader.read(original, f.getFileName().toString());
        Map<String, Long> row = new java.util.LinkedHashMap<>();
        row.put(ArenaTable.TFLM_HEAD, TflmBaseline.plan(g).arenaBytes());
        for (Map.Entry<String, Set<String>> set : ArenaTable.METHOD_SETS.entrySet()) {
            Optimizer.Result r = Optimizer.optimize(g, new Optimizer.Options(set.getValue(), LAYOUT, orderSearch()));
            String what = Shared.stem(f) + " " + set.getKey();
            assertThat(r.verified()).as("%s: %s", what, r.check().describe()).isTrue();
            row.put(set.getKey(), r.plan().arenaBytes());
            System.out.printf("regression %-40s %-20s TFLM head %,10d  plan %,10d  lower bound %,10d  %s / %s, %d overlaps%n", Shared.stem(f), set.getKey(),
                    r.baseline().arenaBytes(), r.plan().arenaBytes(), r.lowerBoundBytes(), r.ordering().scheduler(), r.plan().planner(), r.plan().overlaps().size());
            writtenFile(original, g, r, what);
            if (r.dmo() != null) dmoExplainsThePeak(r, what);
        }
        MEASURED.put(Shared.stem(f), row);
    }

    /** The file written for the plan: lint-clean, the original but for order and metadata, and the same plan. */
    private static void writtenFile(byte[] original, Graph g, Optimizer.Result r, String what) {
        assertThat(r.lint().findings()).as("%s: TFLM load-time lint of the written file", what).isEmpty();
        byte[] written = ModelWriter.toBytes(r.graph());
        List<Integer> order = r.ordering().order();
        assertThat(FlatbufferDiff.afterOptimize(original, written, order, Set.of(Graph.OFFLINE_MEMORY_ALLOCATION)))
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
        Graph again = Optimizer.optimize(back, new Optimizer.Options(Set.of(), LAYOUT, orderSearch())).graph();
        assertThat(again.buffers()).as("%s: buffers after re-optimising the written file", what).hasSameSizeAs(back.buffers());
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
