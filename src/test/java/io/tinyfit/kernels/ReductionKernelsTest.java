package io.tinyfit.kernels;

import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reduction family beyond the opsuite: every pooling/reduction/softmax/arg/resize operator of the real
 * models, run alone on the intermediate tensors TFLM dumped (../shared/golden), and the legacy uint8 paths
 * checked against their int8 counterparts.
 */
class ReductionKernelsTest {
    private static final Set<String> KINDS = Set.of("AVERAGE_POOL_2D", "MAX_POOL_2D", "MEAN", "SUM", "SOFTMAX", "LOG_SOFTMAX",
            "ARG_MAX", "ARG_MIN", "RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR");

    /** A graph that runs only {@code op}, fed its non-constant inputs. */
    private static Graph isolate(Graph g, Op op) {
        List<Integer> inputs = new ArrayList<>();
        for (int id : op.inputs()) if (id >= 0 && !g.tensor(id).isConstant()) inputs.add(id);
        Subgraph s = new Subgraph(g.main().name(), g.tensors(), List.of(op), inputs, List.of(op.output(0)));
        return g.withMain(s);
    }

    @TestFactory
    Stream<DynamicTest> everyFamilyOperatorOfTheGoldenModelsMatchesTflmIntermediates() {
        Shared.assume();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : CaseFiles.dirs(Shared.golden())) {
            Path inter = dir.resolve("intermediates");
            Path model = Shared.models().resolve(dir.getFileName() + ".tflite");
            if (!Files.isDirectory(inter) || !Files.exists(model)) continue;
            Graph g = ModelReader.read(model);
            for (int k = 0; k < g.ops().size(); k++) {
                Op op = g.ops().get(k);
                if (!KINDS.contains(op.kind())) continue;
                int index = k;
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " op " + k + " " + op.kind(), () -> {
                    Graph one = isolate(g, op);
                    List<byte[]> feed = new ArrayList<>();
                    for (int id : one.inputs()) feed.add(CaseFiles.read(inter.resolve(id + ".bin")));
                    byte[] want = CaseFiles.read(inter.resolve(op.output(0) + ".bin"));
                    byte[] got = new Interpreter(Plans.noReuse(one)).run(feed).get(0);
                    assertThat(got).as("%s op %d (%s)", dir.getFileName(), index, op.kind()).isEqualTo(want);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void meanAndSumRequestAnInt32AccumulatorForIntegersThenTheDimensionIteratorAndTheResolvedAxes() {
        Shared.assume();
        for (String c : List.of("mean_int8_r4_ax3_keep_002", "sum_int8_r3_ax0m1_keep_002", "mean_int16_r4_ax12_keep_005",
                "mean_f32_r2_ax0_keep_009", "sum_f32_r4_ax3_drop_004")) {
            Graph g = ModelReader.read(Shared.opsuite().resolve(c).resolve("model.tflite"));
            Op op = g.ops().get(0);
            Tensor in = g.tensor(op.input(0));
            Tensor out = g.tensor(op.output(0));
            long iterator = 4L * in.shape().rank();
            long axes = 4L * g.tensor(op.input(1)).shape().numElements();
            List<Long> want = in.dtype() == DType.FLOAT32 ? List.of(iterator, axes) : List.of(out.shape().numElements() * 4L, iterator, axes);
            assertThat(KernelRegistry.find(op.kind()).orElseThrow().scratchBytes(g, op)).as(c).isEqualTo(want);
        }
    }

    /** Reinterprets an int8 single-op case as uint8: every zero point shifts by 128 and every byte flips its top bit. */
    private static Graph asUint8(Graph g) {
        List<Tensor> ts = new ArrayList<>();
        for (Tensor t : g.tensors()) {
            if (t.dtype() == DType.INT8) {
                Quantization q = t.quant();
                t = t.withDType(DType.UINT8).withQuantization(Quantization.perTensor(q.scale(), q.zeroPoint() + 128L));
            }
            ts.add(t);
        }
        return g.withMain(g.main().withTensors(ts));
    }

    private static byte[] flipTopBits(byte[] b) {
        byte[] r = b.clone();
        for (int i = 0; i < r.length; i++) r[i] ^= (byte) 0x80;
        return r;
    }

    /**
     * Max pooling and softmax commute with the int8↔uint8 shift (the softmax template adds the output type's
     * minimum), so the legacy uint8 result must be the TFLM int8 result with top bits flipped.
     */
    @Test
    void uint8MaxPoolAndSoftmaxAreTheInt8ResultsShiftedBy128() {
        Shared.assume();
        for (String c : List.of("maxpool_int8_f3_s1x2_same_none_005", "maxpool_int8_f5_s2_same_relu_000",
                "softmax_int8_to_int8_r2_beta1_000", "softmax_int8_to_int8_r4_beta1_002")) {
            Path dir = Shared.opsuite().resolve(c);
            Graph g = asUint8(ModelReader.read(dir.resolve("model.tflite")));
            List<byte[]> in = new ArrayList<>();
            for (byte[] b : CaseFiles.numbered(dir, "input_")) in.add(flipTopBits(b));
            byte[] want = flipTopBits(CaseFiles.numbered(dir, "output_").get(0));
            byte[] got = new Interpreter(Plans.noReuse(g)).run(in).get(0);
            assertThat(got).as(c).isEqualTo(want);
        }
    }

    /** uint8 average pooling rounds (sum + count/2) / count on unsigned sums: checked against a direct computation. */
    @Test
    void uint8AveragePoolRoundsHalfUp() {
        Shared.assume();
        Path dir = Shared.opsuite().resolve("avgpool_int8_f3_s2_same_none_005"); // 1x5x5x2, 3x3 stride 2 SAME, pad 1
        Graph g = asUint8(ModelReader.read(dir.resolve("model.tflite")));
        byte[] in = flipTopBits(CaseFiles.numbered(dir, "input_").get(0));
        byte[] got = new Interpreter(Plans.noReuse(g)).run(List.of(in)).get(0);
        int h = 5, w = 5, c = 2;
        for (int oy = 0; oy < 3; oy++) {
            for (int ox = 0; ox < 3; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    int sum = 0, n = 0;
                    for (int y = oy * 2 - 1; y < oy * 2 + 2; y++) {
                        for (int x = ox * 2 - 1; x < ox * 2 + 2; x++) {
                            if (y < 0 || y >= h || x < 0 || x >= w) continue;
                            sum += in[(y * w + x) * c + ch] & 0xFF;
                            n++;
                        }
                    }
                    assertThat(got[(oy * 3 + ox) * c + ch] & 0xFF).isEqualTo((sum + n / 2) / n);
                }
            }
        }
    }
}
