package io.tinyfit.codegen;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.StepKind;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated C for plans over steps and regions (issue 13): the hand-built plans of the foundation issue (row bands
 * with recomputed halos, channel slices with int32 partial sums, a band's tile on input rows the first band
 * consumed, by hand and by first fit) and a spill of an intermediate to a second bank and back. Each compiles
 * warning-free and, built plain, with dead bytes poisoned (in every bank) and under AddressSanitizer and
 * UndefinedBehaviorSanitizer with every view access checked, writes at every step exactly the regions the Java
 * interpreter writes, and the same outputs.
 */
class GeneratedTiledPlansTest {
    private static final long ROW = 32L * 16;

    static final List<CBuild.Profile> PROFILES = List.of(CBuild.Profile.PLAIN, CBuild.Profile.POISON, CBuild.Profile.SANITIZE);

    private static final Map<String, Supplier<Plan>> PLANS = new java.util.LinkedHashMap<>();

    static {
        PLANS.put("bands(chain, 2)", () -> TiledPlans.bands(TiledPlans.chain(), 2));
        PLANS.put("bands(chain, 3)", () -> TiledPlans.bands(TiledPlans.chain(), 3));
        PLANS.put("channelSlices(invertedResidual, 4)", () -> TiledPlans.channelSlices(TiledPlans.invertedResidual(), 4));
        PLANS.put("strided pair by hand", () -> TiledPlans.stridedPairBands(TiledPlans.stridedPair(), 6 * ROW - 1664, true));
        PLANS.put("strided pair first fit", () -> TiledPlans.stridedPairBands(TiledPlans.stridedPair(), -1, true));
        PLANS.put("spill(residual)", () -> TiledPlans.spill(TiledPlans.residual()));
        PLANS.put("sliding line buffer(chain)", () -> TiledPlans.slidingLineBuffer(TiledPlans.chain()));
    }

    @TestFactory
    Stream<DynamicTest> everyHandBuiltPlanRunsInCAsInJava() {
        CBuild.assumeToolchain();
        return PLANS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getValue().get())));
    }

    /** Verified, generated, built in each profile and compared step by step with the Java interpreter. */
    static void check(Plan plan) { check(plan, PROFILES, plan.graph().source()); }

    static void check(Plan plan, List<CBuild.Profile> profiles, String what) {
        assertThat(PlanVerifier.violations(plan)).as("%s, plan %s", what, plan.planner()).isEmpty();
        List<byte[]> inputs = InputGenerator.golden(plan.graph());
        GeneratedRun.Reference want = GeneratedRun.Reference.of(plan, inputs);
        try (GeneratedRun run = GeneratedRun.of(plan)) {
            Path in = run.inputs(inputs);
            for (CBuild.Profile p : profiles) {
                String mismatch = GeneratedRun.firstMismatch(plan, run.run(p, in), want);
                assertThat(mismatch).as("%s, plan %s (arena %d), %s build", what, plan.planner(), plan.arenaBytes(), p).isNull();
            }
        }
    }

    @Test
    void theSpilledPlanDeclaresItsSlowBankAsMemoryTheApplicationProvides() {
        Graph g = TiledPlans.residual();
        Plan plan = TiledPlans.spill(g);
        long psram = plan.bank(TiledPlans.PSRAM).bytes();
        assertThat(plan.steps()).filteredOn(s -> s.kind() == StepKind.COPY).hasSize(3);
        assertThat(plan.buffers()).anyMatch(b -> b.bank().equals(TiledPlans.PSRAM));
        GeneratedCode code = CodeGenerator.generate(plan);
        assertThat(code.text("model.h")).contains("#define MODEL_ARENA_BYTES " + plan.arenaBytes() + "u\n")
                .contains("#define MODEL_BANKS 2\n").contains("#define MODEL_BANK_PSRAM 1\n").contains("#define MODEL_BANK_PSRAM_BYTES " + psram + "u\n");
        String c = code.text("model.c");
        assertThat(c).contains("static uint8_t arena[MODEL_ARENA_BYTES] __attribute__((aligned(16)));")
                .contains("static uint8_t *banks[MODEL_BANKS] = {arena};").contains("static const uint32_t bank_bytes[MODEL_BANKS] = {" + plan.arenaBytes() + "u, " + psram + "u};")
                .doesNotContain("static uint8_t psram");
        assertThat(code.text("model_api.h")).contains("int32_t model_set_bank(int32_t bank, void *memory, uint32_t bytes);");
        // the copies move regions between the banks: views into the provided bank are filled in before their step
        Buffer spilled = plan.buffers().stream().filter(b -> b.bank().equals(TiledPlans.PSRAM)).findFirst().orElseThrow();
        assertThat(c).contains(".data = banks[1] + " + spilled.offset() + ";").contains("tf_copy_region(");
        // a smaller SRAM arena than keeping the skip tensor in SRAM
        assertThat(plan.arenaBytes()).isLessThan(io.tinyfit.plan.TflmBaseline.plan(g).arenaBytes());
        assertThat(plan.banks()).extracting(Bank::name).containsExactly(Bank.SRAM, TiledPlans.PSRAM);
    }

    @Test
    void aSpillThatLeavesRowsBehindChangesTheRun() {
        CBuild.assumeToolchain();
        Plan good = TiledPlans.spill(TiledPlans.residual());
        List<io.tinyfit.plan.Step> steps = new java.util.ArrayList<>(good.steps());
        int second = -1;
        for (int s = steps.size() - 1; s >= 0 && second < 0; s--) if (steps.get(s).kind() == StepKind.COPY && steps.get(s).region() != null) second = s;
        steps.remove(second); // the bottom rows never reach the slower bank, which the fetch then reads
        Plan bad = new Plan(good.graph(), steps, good.buffers(), good.banks(), good.alignment(), good.planner() + "+planted-fault", List.of(), false);
        assertThat(PlanVerifier.violations(bad)).as("the verifier sees the fault").isNotEmpty();
        List<byte[]> inputs = InputGenerator.golden(good.graph());
        List<byte[]> want = GeneratedRun.Reference.of(good, inputs).outputs();
        try (GeneratedRun run = GeneratedRun.of(bad)) {
            List<byte[]> got = run.run(CBuild.Profile.POISON, run.inputs(inputs)).outputs();
            assertThat(got.get(0)).as("the poisoned bank's garbage reaches the output").isNotEqualTo(want.get(0));
        }
    }

    @Test
    void accumulateAndFinishStepsCallThePartialSumKernels() {
        Plan plan = TiledPlans.channelSlices(TiledPlans.invertedResidual(), 4);
        String c = CodeGenerator.generate(plan).text("model.c");
        String invoke = c.substring(c.indexOf("void model_invoke_observed("));
        // the first slice stores into the accumulator, the others add
        assertThat(invoke).containsPattern("tf_conv2d_acc_s8\\([^;]*, 0, 12, 1\\);").containsPattern("tf_conv2d_acc_s8\\([^;]*, 12, 24, 0\\);")
                .contains("tf_conv2d_finish_s8(");
    }
}
