package io.tinyfit.plan;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DMO on every shared model, in file order: the overlapped arena is never above the best arena without overlaps,
 * it is verified by execution, every peak step says why DMO did or did not apply, the five CNNs named by the issue
 * shrink, and the written model (overlaps carried only as offsets in OfflineMemoryAllocation) is re-verified from
 * its metadata and runs bit-identically to the original in the smaller arena.
 */
class DmoSharedModelsTest {
    static final Set<String> MUST_SHRINK = Set.of("mlperf_vww_mobilenet_v1_int8", "tflm_person_detect_int8", "mlperf_ic_resnet8_int8",
            "tflm_mobilenet_v2_224_int8", "mcunet_vww_int8");

    @TestFactory
    Stream<DynamicTest> overlapsNeverHurtAndAreVerified() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> check(f)));
    }

    private static void check(Path f) {
        Graph g = ModelReader.read(f);
        Optimizer.Result r = Optimizer.optimize(g, new Optimizer.Options(Set.of(Optimizer.LAYOUT, Optimizer.DMO), OptimizerSharedModelsTest.QUICK,
                OptimizerSharedModelsTest.orderSearch()));
        assertThat(r.verified()).as(r.check().describe()).isTrue();
        long base = r.baseline().arenaBytes();
        long without = r.dmo().withoutDmoBytes();
        long with = r.plan().arenaBytes();
        assertThat(with).isLessThanOrEqualTo(without).isLessThanOrEqualTo(base);
        if (MUST_SHRINK.contains(Shared.stem(f))) assertThat(with).as("DMO must shrink %s", Shared.stem(f)).isLessThan(without);
        OptimizerSharedModelsTest.assertWholeArenaOfTheWrittenFile(Shared.stem(f), r);
        System.out.printf("dmo %-40s TFLM %,10d  without DMO %,10d  with DMO %,10d  (-%.1f%% vs TFLM, -%.1f%% vs without)  %d overlaps%n",
                Shared.stem(f), base, without, with, 100.0 * (base - with) / base, 100.0 * (without - with) / without, r.plan().overlaps().size());

        // the report explains every peak step, and its live bytes agree with the plan
        boolean anyPeak = false;
        for (DmoSummary.StepRow row : r.dmo().steps()) {
            if (!row.peakWithoutDmo() && !row.peakWithDmo()) continue;
            anyPeak = true;
            assertThat(row.verdict()).as("step %d", row.step()).matches("(applied|not applied): .+");
            for (DmoSummary.PairRow p : row.pairs()) {
                assertThat(p.applied() || p.reason() != null).isTrue();
                if (p.traceDelta() != null && p.searchDelta() != null) assertThat(p.searchDelta()).as("search never exceeds trace").isLessThanOrEqualTo(p.traceDelta());
            }
        }
        assertThat(anyPeak).isTrue();
        for (Overlap o : r.plan().overlaps()) {
            assertThat(r.dmo().steps().get(o.step()).pairs()).anyMatch(p -> p.inputTensor() == o.inputTensor() && p.applied());
        }

        // the written model: overlaps only as offsets; TFLM's offline planning reproduces the arena, the verifier
        // re-derives and re-proves the overlaps, and the outputs are those of the original model
        Graph back = ModelReader.read(ModelWriter.toBytes(r.graph()), "written");
        Plan deployed = TflmBaseline.plan(back);
        assertThat(deployed.arenaBytes()).isEqualTo(with);
        assertThat(deployed.overlaps()).hasSameSizeAs(r.plan().overlaps());
        PlanVerifier.check(deployed);
        List<byte[]> in = InputGenerator.golden(g);
        List<byte[]> want = new Interpreter(TflmBaseline.plan(g)).run(in);
        List<byte[]> got = new Interpreter(deployed).run(in);
        for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("output %d of the written model", i).isEqualTo(want.get(i));
    }
}
