package io.tinyfit.cli;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tinyfit.cli.AnalyzeCommandTest.cli;
import static io.tinyfit.testing.OfflinePlanEdits.liveTogether;
import static io.tinyfit.testing.OfflinePlanEdits.offsets;
import static io.tinyfit.testing.OfflinePlanEdits.withPlan;
import static io.tinyfit.testing.OfflinePlanEdits.withRawEntry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models that are wrong, as the command line meets them: every command that reads one exits with code 2 and
 * one line naming the file and the tensor or operator. Each of these used to exit 0 (an unsafe offline plan, a
 * cycle, invalid quantisation, a dimension set to 0: garbage outputs) or 1 with an internal error.
 */
class BadInputCommandTest {
    @TempDir
    Path tmp;

    private final Graph model = DefaultModels.mobileNetV2Style();
    private final Plan online = TflmBaseline.online(model, Plans.fileOrder(model));

    /** The bad file as bytes: ModelWriter.write would refuse it (its lint), which is what a user's tool does not do. */
    private Path write(String name, Graph g) {
        Path f = tmp.resolve(name);
        try {
            java.nio.file.Files.write(f, ModelWriter.toBytes(g));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }

    /** Exit code 2 and exactly one line on stderr, naming the file and containing every part. */
    private static void refused(AnalyzeCommandTest.Result r, Path file, String... parts) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("tinyfit: " + file.getFileName() + ": ").contains(parts);
    }

    @Test
    void anUnsafeOfflinePlanIsRefusedByEveryCommandUnlessTrusted() {
        int[] pair = liveTogether(online);
        Map<Integer, Long> o = offsets(online);
        o.put(pair[1], o.get(pair[0]));
        Path f = write("overlap.tflite", withPlan(model, o));
        for (String command : List.of("analyze", "run", "optimize")) {
            refused(cli(command, f.toString()), f, "offline memory plan", "tensor " + pair[0], "tensor " + pair[1], "live at step", "--trust-plan");
        }
        AnalyzeCommandTest.Result analyze = cli("analyze", f.toString(), "--trust-plan");
        assertThat(analyze.code()).as(analyze.err()).isZero();
        assertThat(analyze.err()).startsWith("tinyfit: overlap.tflite: warning: using the file's offline memory plan although it is unsafe");
        assertThat(analyze.out()).contains("TFLM baseline arena (the file's offline plan, UNVERIFIED");
        AnalyzeCommandTest.Result optimize = cli("optimize", f.toString(), "--trust-plan", "--exact-seconds", "0.2");
        assertThat(optimize.code()).as(optimize.err()).isZero();
        assertThat(optimize.out()).contains("TFLM baseline arena (greedy, file order; head section): " + String.format("%,12d", online.arenaBytes()))
                .contains("the file's own offline plan failed verification");
    }

    @Test
    void aVerifiedFilePlanIsLabelledAsTheFilesPlan() {
        Path f = write("planned.tflite", withPlan(model, offsets(online)));
        AnalyzeCommandTest.Result r = cli("analyze", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("TFLM baseline arena (the file's offline plan, verified statically, head section only)");
    }

    @Test
    void unalignedAndNegativeOffsetsAreOneLineErrors() {
        Map<Integer, Long> o = offsets(online);
        int t = online.buffers().get(2).tensor();
        Path unaligned = write("unaligned.tflite", withRawEntry(model, o, t, (int) (o.get(t) + 4)));
        refused(cli("run", unaligned.toString()), unaligned, "OfflineMemoryAllocation gives tensor " + t, "not a multiple of 16 bytes");
        Path negative = write("negative.tflite", withRawEntry(model, o, t, -32));
        refused(cli("analyze", negative.toString()), negative, "tensor " + t, "which is negative");
    }

    @Test
    void aCycleIsRefused() {
        Op first = model.ops().get(1);
        List<Integer> inputs = new ArrayList<>(first.inputs());
        inputs.set(0, model.ops().get(2).output(0));
        Path f = write("cycle.tflite", model.withOp(1, first.withOperands(inputs, first.outputs())));
        refused(cli("run", f.toString()), f, "operator 1 (" + first.kind() + ") reads tensor", "before operator 2");
    }

    @Test
    void invalidQuantisationIsRefused() {
        Tensor t = model.tensor(model.ops().get(0).output(0));
        Path zero = write("scale0.tflite", model.withTensor(t.withQuantization(Quantization.perTensor(0f, 0))));
        refused(cli("analyze", zero.toString()), zero, "tensor " + t.id(), "quantisation scale 0.0");
        Path zp = write("zp1000.tflite", model.withTensor(t.withQuantization(Quantization.perTensor(0.1f, 1000))));
        refused(cli("run", zp.toString()), zp, "tensor " + t.id(), "zero point 1000");
    }

    /** person_detect with one dimension set to 0 ran with exit 0 and printed 83,-83 instead of 98,-98. */
    @Test
    void aZeroDimensionInPersonDetectIsRefused() {
        Shared.assume();
        Graph pd = ModelReader.read(Shared.models().resolve("tflm_person_detect_int8.tflite"));
        Tensor t = pd.tensor(pd.ops().get(3).output(0));
        int[] dims = t.shape().toArray();
        dims[2] = 0;
        Path f = write("person_detect_dim0.tflite", pd.withTensor(t.withShape(Shape.of(dims))));
        Path out = tmp.resolve("out");
        for (String command : List.of("analyze", "optimize")) refused(cli(command, f.toString()), f, "operator 3");
        refused(cli("run", f.toString(), "--outputs", out.toString()), f, "operator 3");
        assertThat(out).doesNotExist();
    }

    @Test
    void modelsAboveTheArenaLimitAreRefusedBeforeAnyAllocation() {
        AnalyzeCommandTest.Result r = cli("run", "--max-arena-bytes", "64K");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("tinyfit: " + DefaultModels.MOBILENET_V2_96 + ": ").contains("the limit of 65,536 bytes (--max-arena-bytes)");
        assertThat(cli("analyze", "--max-arena-bytes", "16M").code()).isZero();
        AnalyzeCommandTest.Result bad = cli("analyze", "--max-arena-bytes", "lots");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("'lots' is not a byte count");
    }

    @Test
    void aStackTraceOnlyWithDebug() {
        Path missing = tmp.resolve("missing.tflite");
        AnalyzeCommandTest.Result plain = cli("analyze", missing.toString());
        assertThat(plain.err().strip().lines()).hasSize(1);
        AnalyzeCommandTest.Result debug = cli("analyze", missing.toString(), "--debug");
        assertThat(debug.code()).isEqualTo(2);
        assertThat(debug.err()).startsWith(plain.err().strip()).contains("\tat io.tinyfit.");
    }
}
