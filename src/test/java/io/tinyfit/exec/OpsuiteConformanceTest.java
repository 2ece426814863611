package io.tinyfit.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of {@code ../shared/opsuite} (one operator each, outputs computed by TFLM) through the reader
 * and the interpreter and compares every output byte for byte. {@code -Dtinyfit.opsuite=REGEX} selects cases.
 */
class OpsuiteConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyOpsuiteCaseMatchesTflmByteForByte() {
        Shared.assume();
        String filter = System.getProperty("tinyfit.opsuite", "");
        return CaseFiles.dirs(Shared.opsuite()).stream()
                .filter(d -> filter.isEmpty() || d.getFileName().toString().matches(filter + ".*"))
                .map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runCase(d)));
    }

    static void runCase(Path dir) {
        JsonNode meta = CaseFiles.meta(dir);
        assertThat(meta.path("status").asText()).isEqualTo("ok");
        Graph g = ModelReader.read(dir.resolve("model.tflite"));
        List<byte[]> inputs = CaseFiles.numbered(dir, "input_");
        List<byte[]> expected = CaseFiles.numbered(dir, "output_");
        for (Plan plan : List.of(Plans.noReuse(g))) {
            List<byte[]> actual = new Interpreter(plan).run(inputs);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                int diff = firstDiff(expected.get(i), actual.get(i));
                assertThat(diff).as("%s output %d (%s plan): first differing byte %d of %d, expected %s got %s", dir.getFileName(), i,
                        plan.planner(), diff, expected.get(i).length, window(expected.get(i), diff), window(actual.get(i), diff)).isEqualTo(-1);
            }
        }
    }

    static int firstDiff(byte[] a, byte[] b) {
        if (a.length != b.length) return Math.min(a.length, b.length);
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return i;
        return -1;
    }

    static String window(byte[] a, int at) {
        if (at < 0) return "";
        int from = Math.max(0, at - 4);
        int to = Math.min(a.length, at + 12);
        return HexFormat.ofDelimiter(" ").formatHex(a, from, to);
    }
}
