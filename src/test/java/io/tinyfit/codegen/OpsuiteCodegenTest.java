package io.tinyfit.codegen;

import io.tinyfit.dmo.AccessOrders;
import io.tinyfit.exec.AccessListener;
import io.tinyfit.kernels.ReferenceOrders;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of {@code ../shared/opsuite} through the same generator, in TFLM's plan: the C runtime's output must
 * equal TFLM's byte for byte, and every int8 case of the kinds the C runtime covers (with QUANTIZE from float32 and
 * DEQUANTIZE to float32) must be accepted. Each case also runs in a tracing build: for the kinds whose TFLM loop
 * nest {@link AccessOrders} models, the access stream on the data input and the output (addresses, widths, reads
 * and writes, in order) must equal that loop nest's, the order the DMO proofs rely on. Cases of other variants are
 * refused by name and reported as skipped. {@code -Dtinyfit.opsuite=REGEX} selects cases.
 */
class OpsuiteCodegenTest {
    /** The kinds and the cheap extras: every int8 case of theirs must run. */
    static final Set<String> COVERED = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "MUL",
            "PAD", "PADV2", "RESHAPE", "SQUEEZE", "EXPAND_DIMS", "SOFTMAX", "MEAN", "QUANTIZE", "DEQUANTIZE", "TRANSPOSE", "LEAKY_RELU",
            "CONCATENATION", "RESIZE_NEAREST_NEIGHBOR", "SUB", "SUM", "RELU", "RELU6", "MAXIMUM", "MINIMUM", "PACK", "UNPACK", "SPLIT",
            "SPLIT_V", "SLICE", "STRIDED_SLICE");
    /** Per kind: {cases run, cases whose access stream was compared}. */
    private static final Map<String, int[]> PASSED = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> everyAcceptedCaseMatchesTflmInC() {
        Shared.assume();
        CBuild.assumeToolchain();
        String filter = System.getProperty("tinyfit.opsuite", "");
        return CaseFiles.dirs(Shared.opsuite()).stream()
                .filter(d -> filter.isEmpty() || d.getFileName().toString().matches(filter + ".*"))
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runCase(d)));
    }

    @AfterAll
    static void report() {
        Map<String, int[]> sorted = new TreeMap<>(PASSED);
        sorted.forEach((k, v) -> System.out.printf("opsuite C %-24s %3d cases byte-exact, %3d access streams equal to TFLM's loop nest%n", k, v[0], v[1]));
    }

    private static void runCase(Path dir) {
        Graph g = ModelReader.read(dir.resolve("model.tflite"));
        String kind = g.ops().get(0).kind();
        Plan plan = TflmBaseline.plan(g);
        try {
            CodeGenerator.requireSupported(g);
        } catch (UnsupportedOperatorException refused) {
            assertThat(COVERED.contains(kind) && int8Case(g, kind)).as("%s is an int8 case of a covered kind: %s", dir.getFileName(), refused.getMessage()).isFalse();
            assertThat(refused.getMessage()).contains(kind);
            Assumptions.abort("refused: " + refused.getMessage());
        }
        List<byte[]> expected = CaseFiles.numbered(dir, "output_");
        try (GeneratedRun run = GeneratedRun.of(plan)) {
            for (CBuild.Profile p : List.of(CBuild.Profile.PLAIN, CBuild.Profile.TRACE)) {
                GeneratedRun.Outcome got = run.run(p, dir);
                assertThat(GeneratedRun.firstMismatch(plan, got, expected, Map.of())).as("%s, %s build", dir.getFileName(), p).isNull();
                if (p == CBuild.Profile.TRACE && compareStream(dir, plan, got.trace())) PASSED.computeIfAbsent(kind, k -> new int[2])[1]++;
            }
        }
        PASSED.computeIfAbsent(kind, k -> new int[2])[0]++;
    }

    /** An int8 case: int8 activations in and out (QUANTIZE may read float32, DEQUANTIZE write float32). */
    static boolean int8Case(Graph g, String kind) {
        for (int t : g.inputs()) {
            DType d = g.tensor(t).dtype();
            if (d != DType.INT8 && !(kind.equals("QUANTIZE") && d == DType.FLOAT32)) return false;
        }
        for (int t : g.outputs()) {
            DType d = g.tensor(t).dtype();
            if (d != DType.INT8 && !(kind.equals("DEQUANTIZE") && d == DType.FLOAT32)) return false;
        }
        return true;
    }

    /** Compares the traced stream with TFLM's loop nest when one is modelled; returns whether it compared. */
    private static boolean compareStream(Path dir, Plan plan, String trace) {
        Graph g = plan.graph();
        var op = g.ops().get(0);
        Tensor in = g.tensor(op.input(0));
        if (!ReferenceOrders.has(op.kind()) || in.isConstant()) return false;
        List<String> want = new ArrayList<>();
        AccessListener reads = listener("I", want), writes = listener("O", want);
        try {
            AccessOrders.enumerate(g, 0, 0, 0, reads, writes);
        } catch (IllegalArgumentException notModelled) {
            return false;
        }
        Buffer bi = plan.bufferOfTensor(op.input(0)).orElseThrow(), bo = plan.bufferOfTensor(op.output(0)).orElseThrow();
        long inBytes = in.bytes(), outBytes = g.tensor(op.output(0)).bytes();
        List<String> got = new ArrayList<>();
        for (String line : trace.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            long at = Long.parseLong(f[1]);
            String access = f[0].equals("w") ? "w" : "r";
            if (at >= bi.offset() && at < bi.offset() + inBytes) got.add("I." + access + " " + (at - bi.offset()) + "/" + f[2]);
            else if (at >= bo.offset() && at < bo.offset() + outBytes) got.add("O." + access + " " + (at - bo.offset()) + "/" + f[2]);
        }
        assertThat(want).as("%s: TFLM's loop nest touches its operands", dir.getFileName()).isNotEmpty();
        int d = firstDifference(want, got);
        assertThat(d).as("%s: access streams differ at event %d of %d/%d: TFLM %s, C %s", dir.getFileName(), d, want.size(), got.size(),
                at(want, d), at(got, d)).isEqualTo(-1);
        return true;
    }

    private static AccessListener listener(String operand, List<String> into) {
        return new AccessListener() {
            @Override public void read(int byteOffset, int width) { into.add(operand + ".r " + byteOffset + "/" + width); }
            @Override public void write(int byteOffset, int width) { into.add(operand + ".w " + byteOffset + "/" + width); }
        };
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) if (!a.get(i).equals(b.get(i))) return i;
        return a.size() == b.size() ? -1 : n;
    }

    private static String at(List<String> events, int i) { return i >= 0 && i < events.size() ? events.get(i) : "(end)"; }
}
