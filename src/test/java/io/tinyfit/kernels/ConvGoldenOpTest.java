package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED of every golden model, run alone: its inputs
 * are the tensors TFLM dumped ({@code intermediates/}, or the stored model input), its output must equal the
 * tensor TFLM computed, byte for byte (float32 included). This checks the family on real models (mobilenets,
 * resnet, kws...) even while other operator kinds have no kernel yet.
 */
class ConvGoldenOpTest {
    static final Set<String> FAMILY = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED");

    @TestFactory
    Stream<DynamicTest> everyConvFamilyOpOfEveryGoldenModelMatchesTflm() {
        Shared.assume();
        return CaseFiles.dirs(Shared.golden()).stream()
                .filter(d -> "ok".equals(CaseFiles.meta(d).path("status").asText()))
                .filter(d -> Files.isDirectory(d.resolve("intermediates")))
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runModel(d)));
    }

    static void runModel(Path dir) {
        String name = dir.getFileName().toString();
        Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
        List<byte[]> modelInputs = CaseFiles.numbered(dir, "input_");
        int checked = 0;
        for (int opIndex = 0; opIndex < g.ops().size(); opIndex++) {
            Op op = g.ops().get(opIndex);
            if (!FAMILY.contains(op.kind())) continue;
            byte[] want = tensorBytes(dir, g, modelInputs, op.output(0));
            assertThat(want).as("%s: no dump of operator %d's output", name, opIndex).isNotNull();
            List<View> inputs = new ArrayList<>();
            boolean complete = true;
            for (int t : op.inputs()) {
                if (t < 0) { inputs.add(null); continue; }
                Tensor x = g.tensor(t);
                if (x.isConstant()) { inputs.add(new ConstView(x)); continue; }
                byte[] b = tensorBytes(dir, g, modelInputs, t);
                if (b == null) { complete = false; break; }
                inputs.add(new ArenaView(b, 0, x));
            }
            assertThat(complete).as("%s: an input of operator %d was not dumped", name, opIndex).isTrue();
            Tensor outT = g.tensor(op.output(0));
            byte[] got = new byte[(int) outT.bytes()];
            new SplittableRandom(opIndex).nextBytes(got); // garbage, as in a reused arena
            SoloContext ctx = new SoloContext(g, op, opIndex, inputs, List.of(new ArenaView(got, 0, outT)));
            KernelRegistry.forOp(op, opIndex).eval(ctx);
            for (int i = 0; i < want.length; i++) {
                if (want[i] != got[i]) {
                    throw new AssertionError(name + ": operator " + opIndex + " (" + op.kind() + ", output " + outT.label() + ", "
                            + outT.dtype().label() + ") differs from TFLM at byte " + i + " of " + want.length + ": expected " + want[i] + ", got " + got[i]);
                }
            }
            checked++;
        }
        System.out.println("golden ops " + name + ": " + checked + " conv-family operators bit-exact");
    }

    static byte[] tensorBytes(Path dir, Graph g, List<byte[]> modelInputs, int t) {
        int k = g.inputs().indexOf(t);
        if (k >= 0 && k < modelInputs.size()) return modelInputs.get(k);
        Path f = dir.resolve("intermediates").resolve(t + ".bin");
        return Files.exists(f) ? CaseFiles.read(f) : null;
    }
}
