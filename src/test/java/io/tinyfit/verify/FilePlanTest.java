package io.tinyfit.verify;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tinyfit.testing.OfflinePlanEdits.liveTogether;
import static io.tinyfit.testing.OfflinePlanEdits.offsets;
import static io.tinyfit.testing.OfflinePlanEdits.withPlan;
import static io.tinyfit.testing.OfflinePlanEdits.withRawEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Offline plans in files: a plan tinyfit wrote verifies; hand-edited unsafe plans (two live tensors overlapping,
 * an output over its input beyond the safe delta, every offset 0), which analyze and run used to accept and
 * compute garbage with, are refused naming the two tensors and the step; unaligned and negative offsets, which
 * used to be internal errors, are refused at load; and optimize never takes a saving against an unverified plan.
 */
class FilePlanTest {
    private final Graph model = DefaultModels.mobileNetV2Style();
    private final Plan online = TflmBaseline.online(model, Plans.fileOrder(model));

    /** As a file: written and read back, so every check a user's file meets applies. */
    private static Graph file(Graph g) { return ModelReader.read(ModelWriter.toBytes(g), "edited.tflite"); }

    private static void unsafe(Graph g, String... parts) {
        FilePlan.Check c = FilePlan.check(g);
        assertThat(c.status()).isEqualTo(FilePlan.Status.UNSAFE);
        assertThat(c.plan().planner()).endsWith(FilePlan.UNVERIFIED);
        assertThatThrownBy(() -> FilePlan.require(g, false, w -> { })).isInstanceOf(UnsafePlanException.class)
                .hasMessageStartingWith("edited.tflite: the file's offline memory plan (OfflineMemoryAllocation) is unsafe: ")
                .hasMessageContaining("--trust-plan")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(parts));
    }

    @Test
    void aPlanTinyfitWroteVerifies() {
        Optimizer.Result r = Optimizer.optimize(model, new OptimizeOptions(Set.of(Optimizer.REORDER, Optimizer.LAYOUT),
                PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(500))));
        Graph written = ModelReader.read(r.modelBytes(), "edited.tflite");
        FilePlan.Check c = FilePlan.check(written);
        assertThat(c.status()).isEqualTo(FilePlan.Status.VERIFIED);
        assertThat(c.plan().arenaBytes()).isEqualTo(r.plan().arenaBytes());
        assertThat(FilePlan.require(written, false, w -> { throw new AssertionError(w); })).isEqualTo(c.plan());
        assertThat(FilePlan.check(model).status()).isEqualTo(FilePlan.Status.NONE);
    }

    @Test
    void twoLiveTensorsOverlapping() {
        int[] pair = liveTogether(online);
        Map<Integer, Long> o = offsets(online);
        o.put(pair[1], o.get(pair[0]));
        Graph g = file(withPlan(model, o));
        unsafe(g, "tensor " + pair[0], "tensor " + pair[1], "share bytes", "while both are live at step");
        List<String> warnings = new ArrayList<>();
        Plan trusted = FilePlan.require(g, true, warnings::add);
        assertThat(trusted.planner()).endsWith(FilePlan.UNVERIFIED);
        assertThat(warnings).singleElement().asString().startsWith("edited.tflite: warning: using the file's offline memory plan although it is unsafe");
    }

    /** An output placed right over the input of a 3x3 convolution: below the safe delta the verifier traces. */
    @Test
    void anOverlapBeyondItsSafeDelta() {
        int conv = -1;
        for (int i = 0; i < model.ops().size() && conv < 0; i++) {
            Op op = model.ops().get(i);
            if (op.kind().equals("DEPTHWISE_CONV_2D")) conv = i;
        }
        Op op = model.ops().get(conv);
        Map<Integer, Long> o = offsets(online);
        o.put(op.output(0), o.get(op.input(0)));
        unsafe(file(withPlan(model, o)), "traced safe delta", "DEPTHWISE_CONV_2D");
    }

    @Test
    void everyOffsetZero() {
        Map<Integer, Long> o = offsets(online);
        o.replaceAll((t, v) -> 0L);
        unsafe(file(withPlan(model, o)), "share bytes");
    }

    /** Used to be an internal error (IllegalArgumentException in layout.LayoutProblem$Builder.addBuffer). */
    @Test
    void unalignedAndNegativeOffsetsAreRefusedAtLoad() {
        Map<Integer, Long> o = offsets(online);
        int t = online.buffers().get(1).tensor();
        Graph unaligned = withRawEntry(model, o, t, (int) (o.get(t) + 8));
        assertThatThrownBy(() -> file(unaligned)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("edited.tflite: OfflineMemoryAllocation gives tensor " + t).hasMessageContaining("not a multiple of 16 bytes");
        Graph negative = withRawEntry(model, o, t, -16);
        assertThatThrownBy(() -> file(negative)).isInstanceOf(ModelFormatException.class).hasMessageContaining("offset -16, which is negative");
    }

    @Test
    void anOffsetBeyondTheArenaLimitIsRefusedAtLoad() {
        Map<Integer, Long> o = offsets(online);
        int t = online.buffers().get(1).tensor();
        o.put(t, 1L << 30);
        byte[] bytes = ModelWriter.toBytes(withPlan(model, o));
        assertThatThrownBy(() -> ModelReader.read(bytes, "far.tflite", new Limits(1 << 24))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("far.tflite: OfflineMemoryAllocation places tensor " + t + " ").hasMessageContaining("--max-arena-bytes");
        assertThat(FilePlan.check(ModelReader.read(bytes, "far.tflite")).status()).isEqualTo(FilePlan.Status.VERIFIED);
    }

    /** optimize printed an unsafe plan's figure as the TFLM baseline and a saving against it. */
    @Test
    void optimizeNeverTakesASavingAgainstAnUnverifiedPlan() {
        Map<Integer, Long> o = offsets(online);
        o.replaceAll((t, v) -> 0L);
        Graph g = file(withPlan(model, o));
        Optimizer.Result r = Optimizer.optimize(g, new OptimizeOptions(Set.of(Optimizer.LAYOUT),
                PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(500))));
        assertThat(r.filePlan()).isEqualTo(FilePlan.Status.UNSAFE);
        assertThat(r.baseline().planner()).isEqualTo(TflmBaseline.NAME);
        assertThat(r.baseline().arenaBytes()).isEqualTo(online.arenaBytes()).isGreaterThan(FilePlan.check(g).plan().arenaBytes());
        assertThat(r.verified()).isTrue();
        assertThat(FilePlan.check(ModelReader.read(r.modelBytes(), "edited.tflite")).status()).isEqualTo(FilePlan.Status.VERIFIED);
    }
}
