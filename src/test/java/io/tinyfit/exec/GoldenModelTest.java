package io.tinyfit.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plans;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every golden model TFLM ran: tinyfit's interpreter on the stored inputs must reproduce every stored
 * intermediate tensor and every output. Integer tensors bit for bit; float32 bit for bit where possible, else
 * within 4 ULP (the largest ULP error seen is printed per model). A mismatch names the first diverging tensor
 * in execution order and the operator that produced it. {@code -Dtinyfit.golden=REGEX} selects models.
 */
class GoldenModelTest {
    static final int MAX_ULP = 4;

    @TestFactory
    Stream<DynamicTest> everyGoldenModelMatchesTflm() {
        Shared.assume();
        String filter = System.getProperty("tinyfit.golden", "");
        return CaseFiles.dirs(Shared.golden()).stream()
                .filter(d -> filter.isEmpty() || d.getFileName().toString().matches(filter + ".*"))
                .filter(d -> "ok".equals(CaseFiles.meta(d).path("status").asText()))
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runModel(d)));
    }

    static void runModel(Path dir) {
        String name = dir.getFileName().toString();
        Graph g = ModelReader.read(Shared.models().resolve(name + ".tflite"));
        JsonNode meta = CaseFiles.meta(dir);
        Map<Integer, byte[]> expected = new HashMap<>();
        for (JsonNode t : meta.path("intermediates")) {
            int idx = t.path("tensor_index").asInt();
            Path f = dir.resolve("intermediates").resolve(idx + ".bin");
            if (Files.exists(f)) expected.put(idx, CaseFiles.read(f));
        }
        Map<Integer, byte[]> seen = new HashMap<>();
        Map<Integer, Integer> producer = new HashMap<>();
        Interpreter interp = new Interpreter(Plans.noReuse(g));
        List<byte[]> inputs = CaseFiles.numbered(dir, "input_");
        List<byte[]> outputs = interp.run(inputs, (step, opIndex, op, outs) -> {
            for (int i = 0; i < outs.size(); i++) {
                seen.put(op.output(i), outs.get(i).toByteArray());
                producer.put(op.output(i), opIndex);
            }
        });
        for (int i = 0; i < inputs.size(); i++) seen.putIfAbsent(g.inputs().get(i), inputs.get(i));
        int maxUlp = 0;
        // Walk tensors in production order so the first divergence reported is the earliest one.
        List<Integer> order = expected.keySet().stream().sorted((a, b) -> Integer.compare(
                producer.getOrDefault(a, -1), producer.getOrDefault(b, -1))).toList();
        for (int t : order) {
            Tensor x = g.tensor(t);
            if (x.variable()) continue; // state after the run; compared through the outputs that depend on it
            byte[] want = expected.get(t);
            byte[] got = seen.get(t);
            if (got == null) continue;
            int ulp = compare(x, want, got, name, producer.getOrDefault(t, -1), g);
            maxUlp = Math.max(maxUlp, ulp);
        }
        List<byte[]> goldenOut = CaseFiles.numbered(dir, "output_");
        for (int i = 0; i < goldenOut.size(); i++) {
            int ulp = compare(g.tensor(g.outputs().get(i)), goldenOut.get(i), outputs.get(i), name, producer.getOrDefault(g.outputs().get(i), -1), g);
            maxUlp = Math.max(maxUlp, ulp);
        }
        System.out.println("golden " + name + ": " + (maxUlp == 0 ? "bit-exact" : "max " + maxUlp + " ULP") + " over " + expected.size() + " tensors");
    }

    /** Returns the largest float ULP difference (0 for integer tensors, which must match exactly). */
    static int compare(Tensor x, byte[] want, byte[] got, String model, int op, Graph g) {
        String where = model + ": tensor " + x.id() + " (" + x.label() + ") produced by operator " + op
                + (op >= 0 ? " (" + g.ops().get(op).kind() + ")" : "");
        if (want.length != got.length) fail(where + ": " + got.length + " bytes, expected " + want.length);
        if (x.dtype() != DType.FLOAT32) {
            for (int i = 0; i < want.length; i++) {
                if (want[i] != got[i]) fail(where + ": first differing byte " + i + " of " + want.length + " (expected " + want[i] + ", got " + got[i] + ")");
            }
            return 0;
        }
        ByteBuffer a = ByteBuffer.wrap(want).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
        int worst = 0;
        for (int i = 0; i < want.length / 4; i++) {
            int ia = a.getInt(4 * i);
            int ib = b.getInt(4 * i);
            if (ia == ib) continue;
            // Map the sign-magnitude bit patterns onto one ordered integer line (wrapping int arithmetic on purpose).
            long ua = ia < 0 ? 0x80000000 - ia : ia;
            long ub = ib < 0 ? 0x80000000 - ib : ib;
            int ulp = (int) Math.min(Integer.MAX_VALUE, Math.abs(ua - ub));
            if (ulp > MAX_ULP) {
                fail(where + ": element " + i + " differs by " + ulp + " ULP (expected " + Float.intBitsToFloat(ia) + ", got " + Float.intBitsToFloat(ib) + ")");
            }
            worst = Math.max(worst, ulp);
        }
        assertThat(worst).isLessThanOrEqualTo(MAX_ULP);
        return worst;
    }
}
