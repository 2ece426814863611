package io.tinyfit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tinyfit analyze} on every shared model: the table prints and the JSON follows SCHEMA.md. */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    /** Where optimize's default outputs go in the tests that do not choose (never the project's folder). */
    private static final Path SCRATCH = scratch();

    static Result cli(String... args) { return cliIn(SCRATCH, args); }

    /** The command line with {@code dir} as the working directory of optimize's default outputs. */
    static Result cliIn(Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine.IFactory factory = new picocli.CommandLine.IFactory() {
            @Override public <K> K create(Class<K> cls) throws Exception {
                return cls == OptimizeCommand.class ? cls.cast(new OptimizeCommand(dir)) : picocli.CommandLine.defaultFactory().create(cls);
            }
        };
        int code = Main.execute(new Main(), factory, args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path scratch() {
        try {
            Path d = Files.createTempDirectory("tinyfit-cli-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> files = Files.walk(d)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (java.io.IOException e) {
                    // a temporary folder left behind is harmless
                }
            }));
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> analyzeEverySharedModel() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> {
            Path json = tmp.resolve(Shared.stem(f) + ".json");
            Result r = cli("analyze", f.toString(), "--json", json.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("<- peak").contains("TFLM baseline arena");
            validateAnalyzeJson(new ObjectMapper().readTree(json.toFile()));
        }));
    }

    @Test
    void defaultModelNeedsNoArguments() throws Exception {
        Path json = tmp.resolve("default.json");
        Result r = cli("analyze", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("<- peak");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        validateAnalyzeJson(doc);
        assertThat(doc.path("ops").asInt()).isGreaterThan(20);
    }

    @Test
    void missingModelIsOneLineAndExitCodeTwo() {
        Path json = tmp.resolve("out.json");
        Result r = cli("analyze", tmp.resolve("nope.tflite").toString(), "--json", json.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("nope.tflite").contains("no such file");
        assertThat(json).doesNotExist();
    }

    @Test
    void notAFlatbufferIsOneLineAndExitCodeTwo() throws Exception {
        Path bad = tmp.resolve("bad.tflite");
        Files.writeString(bad, "this is not a model at all, just some text");
        Path json = tmp.resolve("out.json");
        Result r = cli("analyze", bad.toString(), "--json", json.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("bad.tflite");
        assertThat(json).doesNotExist();
    }

    /** Structural check of the analyze document against SCHEMA.md: required fields, types, consistency. */
    static void validateAnalyzeJson(JsonNode doc) {
        assertThat(fieldNames(doc)).containsAll(Set.of("schema", "model", "ops", "tensors", "tflm_arena", "baseline", "lower_bound_bytes", "peak_step", "steps", "buffers"));
        JsonNode whole = doc.path("tflm_arena");
        assertThat(fieldNames(whole)).containsAll(Set.of("predicted_min_bytes", "head_bytes", "tail_bytes", "temp_bytes", "pointer_bytes", "kernels"));
        assertThat(whole.path("pointer_bytes").asInt()).isEqualTo(4);
        if (whole.path("tflm_refuses").isNull()) {
            assertThat(whole.path("head_bytes").asLong()).isEqualTo(doc.path("baseline").path("arena_bytes").asLong());
            assertThat(whole.path("predicted_min_bytes").asLong()).isGreaterThanOrEqualTo(whole.path("head_bytes").asLong() + whole.path("tail_bytes").asLong() - 15);
        }
        assertThat(doc.path("schema").asText()).isEqualTo("tinyfit/1");
        assertThat(doc.path("model").isTextual()).isTrue();
        assertThat(doc.path("ops").isInt()).isTrue();
        assertThat(doc.path("tensors").isInt()).isTrue();
        assertThat(doc.path("baseline").path("planner").asText()).isEqualTo("tflm-greedy");
        long arena = doc.path("baseline").path("arena_bytes").asLong(-1);
        assertThat(arena).isGreaterThanOrEqualTo(0);
        long lower = doc.path("lower_bound_bytes").asLong(-1);
        assertThat(lower).isBetween(0L, arena);
        int ops = doc.path("ops").asInt();
        JsonNode steps = doc.path("steps");
        assertThat(steps.size()).isEqualTo(ops);
        long maxLive = 0;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            assertThat(fieldNames(s)).containsExactlyInAnyOrder("index", "op", "kind", "live_bytes");
            assertThat(s.path("index").asInt()).isEqualTo(i);
            assertThat(s.path("kind").isTextual()).isTrue();
            maxLive = Math.max(maxLive, s.path("live_bytes").asLong());
        }
        assertThat(maxLive).isEqualTo(lower);
        if (ops > 0) assertThat(steps.get(doc.path("peak_step").asInt()).path("live_bytes").asLong()).isEqualTo(lower);
        for (JsonNode b : doc.path("buffers")) {
            assertThat(fieldNames(b)).containsExactlyInAnyOrder("id", "tensor", "name", "kind", "bytes", "offset", "first_step", "last_step");
            assertThat(b.path("kind").asText()).isIn("tensor", "scratch");
            assertThat(b.path("tensor").isInt() || b.path("tensor").isNull()).isTrue();
            assertThat(b.path("bytes").asLong() % 16).isZero();
            assertThat(b.path("offset").asLong() % 16).isZero();
            assertThat(b.path("offset").asLong() + b.path("bytes").asLong()).isLessThanOrEqualTo(arena);
            assertThat(b.path("first_step").asInt()).isBetween(0, b.path("last_step").asInt());
            assertThat(b.path("last_step").asInt()).isLessThan(Math.max(ops, 1));
        }
    }

    static List<String> fieldNames(JsonNode n) {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }
}
