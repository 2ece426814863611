package io.tinyfit.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Plan;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof of the generated C: for every shared model with golden data whose operators the C runtime covers, and
 * every plan {@code optimize} verifies for it (TFLM's own plan, reorder+layout, reorder+layout+DMO), the generated
 * code compiles warning-free, declares an arena of exactly the plan's size and, run on the golden inputs, gives
 * outputs and every intermediate tensor byte-identical to the real TFLM runtime's; also with dead buffers poisoned,
 * and for the small models under AddressSanitizer and UndefinedBehaviorSanitizer with view bounds checked.
 * {@code -Dtinyfit.golden=REGEX} selects models.
 */
class GeneratedModelsGoldenTest {
    static final PlannerSuite.Options QUICK = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(500));
    static final List<Set<String>> METHOD_SETS = List.of(Set.of(), Set.of(Optimizer.REORDER, Optimizer.LAYOUT),
            Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO));
    /** The models the issue names: the C runtime must cover them. */
    static final Set<String> REQUIRED = Set.of("mlperf_ic_resnet8_int8", "mlperf_vww_mobilenet_v1_int8", "tflm_person_detect_int8",
            "mlperf_kws_dscnn_int8", "mcunet_vww_int8", "tflm_mobilenet_v2_224_int8", "efinix_yolo_person_int8");
    /** Below this TFLM arena a model also runs under the sanitizers. */
    static final long SMALL_ARENA = 100_000;

    @Test
    void theNamedModelsAreCovered() {
        Shared.assume();
        assertThat(covered().stream().map(d -> d.getFileName().toString()).toList()).containsAll(REQUIRED);
    }

    @TestFactory
    Stream<DynamicTest> everyVerifiedPlanRunsBitExactInC() {
        Shared.assume();
        CBuild.assumeToolchain();
        String filter = System.getProperty("tinyfit.golden", "");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : covered()) {
            String name = dir.getFileName().toString();
            if (!filter.isEmpty() && !name.matches(filter + ".*")) continue;
            for (Set<String> methods : METHOD_SETS) {
                tests.add(DynamicTest.dynamicTest(name + " " + (methods.isEmpty() ? "tflm" : String.join(",", new java.util.TreeSet<>(methods))),
                        () -> check(dir, methods)));
            }
        }
        return tests.stream();
    }

    /** Golden folders with outputs and intermediates whose model the generator accepts. */
    static List<Path> covered() {
        List<Path> out = new ArrayList<>();
        for (Path dir : CaseFiles.dirs(Shared.golden())) {
            Path model = Shared.models().resolve(dir.getFileName() + ".tflite");
            if (!Files.exists(dir.resolve("output_0.bin")) || !Files.isDirectory(dir.resolve("intermediates")) || !Files.exists(model)) continue;
            try {
                CodeGenerator.requireSupported(ModelReader.read(model));
                out.add(dir);
            } catch (UnsupportedOperatorException refused) {
                System.out.println("codegen refuses " + dir.getFileName() + ": " + refused.getMessage());
            }
        }
        return out;
    }

    static Plan verifiedPlan(Graph g, Set<String> methods) {
        // the black-box DMO search only cross-checks the report; the plan is the same without it
        Optimizer.Result r = Optimizer.optimize(g, new OptimizeOptions(methods, QUICK).withDmoSearch(DmoSummary.Search.NONE));
        assertThat(r.verified()).as(r.check().describe()).isTrue();
        return r.plan();
    }

    /** The golden intermediates, by tensor index. */
    static Map<Integer, byte[]> goldenTensors(Path dir) {
        Map<Integer, byte[]> m = new HashMap<>();
        JsonNode meta = CaseFiles.meta(dir);
        for (JsonNode t : meta.path("intermediates")) {
            int idx = t.path("tensor_index").asInt();
            Path f = dir.resolve("intermediates").resolve(idx + ".bin");
            if (Files.exists(f)) m.put(idx, CaseFiles.read(f));
        }
        return m;
    }

    private static void check(Path goldenDir, Set<String> methods) {
        Graph g = ModelReader.read(Shared.models().resolve(goldenDir.getFileName() + ".tflite"));
        Plan plan = verifiedPlan(g, methods);
        Map<Integer, byte[]> tensors = goldenTensors(goldenDir);
        List<byte[]> outputs = CaseFiles.numbered(goldenDir, "output_");
        try (GeneratedRun run = GeneratedRun.of(plan)) {
            GeneratedCode code = CodeGenerator.generate(plan);
            assertThat(code.text("model.h")).contains("#define MODEL_ARENA_BYTES " + plan.arenaBytes() + "u\n");
            assertThat(code.text("model.c")).contains("static uint8_t arena[MODEL_ARENA_BYTES] __attribute__((aligned(16)));");
            List<CBuild.Profile> profiles = new ArrayList<>(List.of(CBuild.Profile.PLAIN, CBuild.Profile.POISON));
            if (TflmBaselineArena.of(g) < SMALL_ARENA) profiles.add(CBuild.Profile.SANITIZE);
            for (CBuild.Profile p : profiles) {
                GeneratedRun.Outcome got = run.run(p, goldenDir);
                String mismatch = GeneratedRun.firstMismatch(plan, got, outputs, tensors);
                assertThat(mismatch).as("%s, plan %s (arena %d), %s build", goldenDir.getFileName(), plan.planner(), plan.arenaBytes(), p).isNull();
            }
            System.out.printf("codegen %-40s %-18s arena %,10d  %2d overlaps  %d tensors matched in %s%n", goldenDir.getFileName(),
                    methods.isEmpty() ? "tflm" : String.join(",", new java.util.TreeSet<>(methods)), plan.arenaBytes(), plan.overlaps().size(),
                    tensors.size(), profiles);
        }
    }

    /** TFLM's arena of the model, which decides whether it counts as small. */
    private static final class TflmBaselineArena {
        static long of(Graph g) { return io.tinyfit.plan.TflmBaseline.plan(g).arenaBytes(); }
    }
}
