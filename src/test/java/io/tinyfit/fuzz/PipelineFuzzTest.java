package io.tinyfit.fuzz;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole-pipeline fuzz as a test: a few thousand mutants of built models and of the small shared models, each
 * through read, analyze, run and optimize. Every stage must succeed or refuse the input with a documented
 * exception whose one-line message names the file, within the time bound (a guard against hangs and thrashing,
 * not a speed target: the bound is 10 s of processor time per stage, and these models need milliseconds).
 * Mutants that are wrong by construction must never get through all four stages. {@code tinyfit bench --fuzz}
 * runs the same fuzz over every shared model.
 */
class PipelineFuzzTest {
    private static final int CASES = 3_000;
    private static final List<String> SMALL_SHARED = List.of("tflm_hello_world_int8", "tflm_micro_speech_int8", "mlperf_kws_dscnn_int8",
            "tflm_keyword_scrambled_int8", "tflm_mnist_lstm_int8", "tflm_magic_wand_f32", "mlperf_ad_autoencoder_int8");
    /** Kinds no mutant of which is a valid model with a safe plan. */
    private static final Set<MutationKind> ALWAYS_WRONG = EnumSet.of(MutationKind.CYCLE, MutationKind.TWO_WRITERS, MutationKind.INPUT_OUT_OF_RANGE,
            MutationKind.DIM_OVERFLOW, MutationKind.QUANT_SCALE, MutationKind.QUANT_LENGTHS, MutationKind.PLAN_OVERLAP, MutationKind.PLAN_ZERO,
            MutationKind.PLAN_UNALIGNED, MutationKind.PLAN_NEGATIVE);

    @Test
    void everyMutantSucceedsOrIsRefusedWithADocumentedExceptionInTime() throws Exception {
        List<Fuzz.Model> models = new ArrayList<>();
        for (Graph g : List.of(TestModels.everyOp(DType.INT8), TestModels.everyOp(DType.FLOAT32), DefaultModels.mobileNetV2Style())) {
            models.add(new Fuzz.Model(g.source(), ModelWriter.toBytes(g)));
        }
        if (Shared.present()) {
            for (String m : SMALL_SHARED) models.add(new Fuzz.Model(m + ".tflite", Files.readAllBytes(Shared.models().resolve(m + ".tflite"))));
        }
        OptimizeOptions optimize = new OptimizeOptions(Set.of(Optimizer.REORDER, Optimizer.LAYOUT),
                PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(200)));
        Duration bound = Duration.ofSeconds(10);
        // a 64 MiB limit refuses the gigabyte offsets at load, which keeps the test short; bench --fuzz runs them
        Fuzz.Options options = new Fuzz.Options(CASES, 2024, bound, bound.multipliedBy(6), new Limits(64L << 20), optimize, 2);
        ConcurrentLinkedQueue<CaseResult> results = new ConcurrentLinkedQueue<>();
        FuzzReport report = Fuzz.run(models, options, results::add);
        System.out.print(report.table());
        System.out.println(report.summary());

        String problems = report.problems().stream().map(CaseResult::describeProblems).collect(Collectors.joining("\n"));
        assertThat(report.cases()).isEqualTo(CASES);
        assertThat(report.undocumented()).as(problems).isZero();
        assertThat(report.pastBound()).as(problems).isZero();
        for (CaseResult r : results) {
            for (Outcome o : r.outcomes()) {
                if (o.status() != Outcome.Status.REFUSED) continue;
                String message = o.detail().substring(o.detail().indexOf(": ") + 2);
                assertThat(message).as(r.mutation().label()).startsWith(r.mutation().model() + ": ").doesNotContain("\n");
            }
            if (ALWAYS_WRONG.contains(r.mutation().kind())) {
                assertThat(r.outcomes()).as(r.mutation().label()).anyMatch(o -> o.status() == Outcome.Status.REFUSED);
            }
        }
        assertThat(results).extracting(r -> r.mutation().kind()).containsAll(EnumSet.allOf(MutationKind.class));
    }
}
