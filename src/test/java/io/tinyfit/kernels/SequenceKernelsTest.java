package io.tinyfit.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM and SVDF checked operator by operator, independently of the other kernel families
 * and of the interpreter's state-reset policy:
 * <ul>
 *   <li>every {@code lstm_*} / {@code svdf_*} opsuite case, with the variable tensors initialised as TFLM's
 *       {@code ResetVariableTensors} does (int8 to the zero point, everything else to zero bytes);</li>
 *   <li>every LSTM/SVDF operator of the golden models, fed TFLM's own intermediate tensors as inputs, compared on
 *       its output and on the final values of its state tensors (the golden intermediates of variable tensors are
 *       their values after the run).</li>
 * </ul>
 * Scratch buffers start as random bytes, as in the poisoned interpreter arena.
 */
class SequenceKernelsTest {

    @TestFactory
    Stream<DynamicTest> opsuiteCasesMatchWithTflmStateReset() {
        Shared.assume();
        return CaseFiles.dirs(Shared.opsuite()).stream()
                .filter(d -> d.getFileName().toString().matches("(lstm|svdf)_.*"))
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runOpsuiteCase(d)));
    }

    @TestFactory
    Stream<DynamicTest> goldenModelSequenceOpsMatchTflmIntermediates() {
        Shared.assume();
        return Stream.of("tflm_keyword_scrambled_int8", "tflm_mnist_lstm_int8", "tflm_dtln_noise_suppression_int8")
                .map(m -> Shared.golden().resolve(m))
                .filter(Files::isDirectory)
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runGoldenOps(d)));
    }

    /** Scratch sizes as TFLM's Prepare requests them, checked on the opsuite models. */
    @Test
    void scratchSizesFollowPrepare() {
        Shared.assume();
        Map<String, List<Long>> want = Map.of(
                "lstm_int8_b1_t3_i4_u5_000", List.of(10L, 10L, 10L, 10L),     // 1 x 5 x int16
                "lstm_f32_b2_t4_i3_u3_timemajor_005", List.of(24L, 24L, 24L, 24L), // 2 x 3 x float
                "svdf_int8_b1_i8_u4_r1_m5_none_000", List.of(16L, 16L),         // 1 x 4 filters x 4, 1 x 4 units x 4
                "svdf_f32_b2_i6_u3_r2_m4_relu_005", List.of(48L));              // 2 x 6 filters x 4
        for (var e : want.entrySet()) {
            Graph g = ModelReader.read(Shared.opsuite().resolve(e.getKey()).resolve("model.tflite"));
            Op op = g.ops().get(0);
            assertThat(KernelRegistry.forOp(op, 0).scratchBytes(g, op)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void unsupportedVariantsAreNamed() {
        Shared.assume();
        Graph g = ModelReader.read(Shared.opsuite().resolve("lstm_int8_b1_t3_i4_u5_000").resolve("model.tflite"));
        Op op = g.ops().get(0);
        List<Integer> inputs = new ArrayList<>(op.inputs());
        inputs.set(9, inputs.get(12)); // any tensor in the peephole slot
        Op peephole = new Op(op.opcodeIndex(), op.kind(), inputs, op.outputs(), op.options());
        Memory mem = new Memory(g, peephole, new SplittableRandom(1));
        try {
            KernelRegistry.forOp(peephole, 0).eval(mem.context(g, peephole));
            fail("peephole LSTM was accepted");
        } catch (UnsupportedOpVariantException e) {
            assertThat(e.getMessage()).contains("peephole");
        }
    }

    private static void runOpsuiteCase(Path dir) {
        Graph g = ModelReader.read(dir.resolve("model.tflite"));
        assertThat(g.ops()).hasSize(1);
        Op op = g.ops().get(0);
        Memory mem = new Memory(g, op, new SplittableRandom(42));
        List<byte[]> inputs = CaseFiles.numbered(dir, "input_");
        for (int i = 0; i < inputs.size(); i++) mem.put(g.inputs().get(i), inputs.get(i));
        KernelRegistry.forOp(op, 0).eval(mem.context(g, op));
        List<byte[]> outputs = CaseFiles.numbered(dir, "output_");
        for (int i = 0; i < outputs.size(); i++) assertSame(dir.getFileName() + " output " + i, outputs.get(i), mem.bytes(g.outputs().get(i)));
    }

    private static void runGoldenOps(Path dir) {
        String name = dir.getFileName().toString();
        Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
        JsonNode meta = CaseFiles.meta(dir);
        Map<Integer, byte[]> golden = new HashMap<>();
        for (JsonNode t : meta.path("intermediates")) {
            int idx = t.path("tensor_index").asInt();
            Path f = dir.resolve("intermediates").resolve(idx + ".bin");
            if (Files.exists(f)) golden.put(idx, CaseFiles.read(f));
        }
        List<byte[]> inputs = CaseFiles.numbered(dir, "input_");
        for (int i = 0; i < inputs.size(); i++) golden.putIfAbsent(g.inputs().get(i), inputs.get(i));
        int checked = 0;
        for (int k = 0; k < g.ops().size(); k++) {
            Op op = g.ops().get(k);
            if (!op.kind().equals("SVDF") && !op.kind().equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) continue;
            Memory mem = new Memory(g, op, new SplittableRandom(k));
            for (int t : op.inputs()) {
                if (t < 0 || g.tensor(t).isConstant() || g.tensor(t).variable()) continue;
                byte[] b = golden.get(t);
                if (b == null) fail(name + ": no golden bytes for input tensor " + t + " of operator " + k);
                mem.put(t, b);
            }
            KernelRegistry.forOp(op, k).eval(mem.context(g, op));
            for (int t : op.outputs()) {
                assertSame(name + " operator " + k + " (" + op.kind() + ") output tensor " + t, golden.get(t), mem.bytes(t));
                checked++;
            }
            for (int t : op.inputs()) {
                if (t >= 0 && g.tensor(t).variable() && golden.containsKey(t)) {
                    assertSame(name + " operator " + k + " (" + op.kind() + ") state tensor " + t, golden.get(t), mem.bytes(t));
                    checked++;
                }
            }
        }
        assertThat(checked).as(name + ": tensors checked").isGreaterThan(0);
        System.out.println("sequence kernels on " + name + ": " + checked + " output/state tensors bit-exact");
    }

    private static void assertSame(String what, byte[] want, byte[] got) {
        assertThat(want).as(what + ": golden bytes").isNotNull();
        assertThat(got).as(what + ": size").hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                int from = Math.max(0, i - 4), to = Math.min(want.length, i + 12);
                fail(what + ": first differing byte " + i + " of " + want.length + ", expected "
                        + HexFormat.ofDelimiter(" ").formatHex(want, from, to) + " got " + HexFormat.ofDelimiter(" ").formatHex(got, from, to));
            }
        }
    }

    /** One operator's tensors and scratch buffers in private byte arrays. */
    private static final class Memory {
        final Map<Integer, byte[]> tensors = new HashMap<>();
        final List<byte[]> scratch = new ArrayList<>();

        Memory(Graph g, Op op, SplittableRandom random) {
            List<Integer> ids = new ArrayList<>(op.inputs());
            ids.addAll(op.outputs());
            for (int t : ids) {
                if (t < 0 || tensors.containsKey(t)) continue;
                Tensor x = g.tensor(t);
                if (x.isConstant()) continue;
                byte[] b = new byte[(int) x.bytes()];
                if (x.variable()) {
                    // TFLM's MicroInterpreterGraph::ResetVariableTensors: int8 state to its zero point, others to 0.
                    if (x.dtype() == DType.INT8) java.util.Arrays.fill(b, (byte) x.quant().zeroPoint());
                } else {
                    random.nextBytes(b);
                }
                tensors.put(t, b);
            }
            for (long n : KernelRegistry.forOp(op, 0).scratchBytes(g, op)) {
                byte[] b = new byte[(int) n];
                random.nextBytes(b);
                scratch.add(b);
            }
        }

        void put(int t, byte[] b) { System.arraycopy(b, 0, tensors.get(t), 0, b.length); }

        byte[] bytes(int t) { return tensors.get(t).clone(); }

        View view(Graph g, int t) {
            if (t < 0) return null;
            Tensor x = g.tensor(t);
            return x.isConstant() ? new ConstView(x) : new ArenaView(tensors.get(t), 0, x);
        }

        OpContext context(Graph g, Op op) {
            return new OpContext() {
                @Override public Graph graph() { return g; }
                @Override public Op op() { return op; }
                @Override public int opIndex() { return 0; }
                @Override public View input(int i) { return i < op.inputs().size() ? view(g, op.input(i)) : null; }
                @Override public View output(int i) { return view(g, op.output(i)); }
                @Override public View scratch(int i) {
                    byte[] b = scratch.get(i);
                    Tensor fake = new Tensor(-1, "scratch" + i, DType.INT8, Shape.of(b.length), null, null, 0, null, false, false);
                    return new ArenaView(b, 0, fake);
                }
            };
        }
    }
}
