package io.tinyfit.codegen;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.Op;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the generator writes, checked without a C compiler. */
class CodeGeneratorTest {
    private static final Graph MODEL = DefaultModels.mobileNetV2Style();

    @Test
    void anOperatorWithoutCKernelIsRefusedByNameAndIndex() {
        List<Op> ops = new ArrayList<>(MODEL.ops());
        Op third = ops.get(2);
        ops.set(2, new Op(third.opcodeIndex(), "TANH", third.inputs(), third.outputs(), third.options()));
        Graph g = MODEL.withOps(ops);
        assertThatThrownBy(() -> CodeGenerator.requireSupported(g)).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessage("operator 2 (TANH) has no kernel in the C runtime");
        assertThatThrownBy(() -> CodeGenerator.generate(TflmBaseline.plan(MODEL).withGraph(g))).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("operator 2 (TANH)");
    }

    @Test
    void aVariantWithoutCKernelIsRefusedByNameAndIndex() {
        GraphBuilder b = new GraphBuilder("float-fc", 1);
        GraphBuilder.Ref x = b.input("x", DType.FLOAT32, 1, 8);
        b.output(b.fullyConnected(x, 4, GraphBuilder.Activation.NONE));
        assertThatThrownBy(() -> CodeGenerator.requireSupported(b.build())).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageStartingWith("operator 0 (FULLY_CONNECTED): input x of type float32");
    }

    @Test
    void theArenaIsExactlyThePlansAndEveryStepRunsInPlanOrder() {
        Plan plan = TflmBaseline.plan(MODEL);
        GeneratedCode code = CodeGenerator.generate(plan);
        assertThat(code.text("model.h")).contains("#define MODEL_ARENA_BYTES " + plan.arenaBytes() + "u\n").contains("#define MODEL_STEPS " + plan.stepCount() + "\n");
        String c = code.text("model.c");
        assertThat(c).contains("static uint8_t arena[MODEL_ARENA_BYTES] __attribute__((aligned(16)));");
        String invoke = c.substring(c.indexOf("void model_invoke_observed("));
        Matcher m = Pattern.compile("AFTER_STEP\\((\\d+)\\)").matcher(invoke);
        int expected = 0;
        while (m.find()) assertThat(Integer.parseInt(m.group(1))).isEqualTo(expected++);
        assertThat(expected).isEqualTo(plan.stepCount());
        // the MEAN's int32 sums sit in its planned scratch buffer
        long scratch = plan.buffers().stream().filter(x -> x.kind() == io.tinyfit.plan.Buffer.Kind.SCRATCH).findFirst().orElseThrow().offset();
        assertThat(c).contains("{arena + " + scratch + ", ");
    }

    @Test
    void theConstantsAreTheSameForEveryPlanOfAModel() {
        Plan baseline = TflmBaseline.plan(MODEL);
        Optimizer.Result r = Optimizer.optimize(MODEL, new OptimizeOptions(Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO),
                GeneratedModelsGoldenTest.QUICK));
        assertThat(r.plan().arenaBytes()).isLessThan(baseline.arenaBytes());
        GeneratedCode a = CodeGenerator.generate(baseline), b = CodeGenerator.generate(r.plan());
        assertThat(b.text("model_constants.c")).isEqualTo(a.text("model_constants.c"));
        assertThat(b.text("model_constants.h")).isEqualTo(a.text("model_constants.h"));
        assertThat(b.text("model_api.h")).isEqualTo(a.text("model_api.h"));
        assertThat(b.text("model.c")).isNotEqualTo(a.text("model.c"));
        // weights are string literals, wider constants rows of integers, not one number per line
        assertThat(a.text("model_constants.c")).contains("const int8_t model_c").contains("\"\\x");
    }

    @Test
    void aWriteThatFailsPartWayRemovesWhatItWroteAndNothingElse(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir.resolve("model_constants.c"));
        Files.writeString(dir.resolve("model_constants.c").resolve("blocker"), "a folder where a generated file goes");
        Files.writeString(dir.resolve("main.c"), "the user's own file");
        GeneratedCode code = CodeGenerator.generate(TflmBaseline.plan(MODEL));
        assertThatThrownBy(() -> code.writeTo(dir)).isInstanceOf(io.tinyfit.model.TinyfitException.class).hasMessageContaining("model_constants.c");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("main.c", "model_constants.c");
        }
        assertThat(dir.resolve("main.c")).hasContent("the user's own file");
    }

    @Test
    void theRuntimeIsEveryFileOfItsSourceFolderAndUsesOnlyStringAndStdint() throws IOException {
        Path folder = Path.of("src", "main", "c", "runtime");
        try (Stream<Path> s = Files.list(folder)) {
            List<String> onDisk = s.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> listed = new ArrayList<>(RuntimeSources.files().keySet());
            listed.sort(null);
            assertThat(listed).isEqualTo(onDisk);
        }
        Pattern systemInclude = Pattern.compile("#include <([^>]+)>");
        for (String name : RuntimeSources.LIBRARY) {
            String text = new String(RuntimeSources.files().get(name), java.nio.charset.StandardCharsets.UTF_8);
            Matcher m = systemInclude.matcher(text);
            while (m.find()) assertThat(m.group(1)).as(name).isIn("stdint.h", "string.h");
            assertThat(text).as(name).doesNotContain("malloc").doesNotContain("restrict");
        }
        GeneratedCode code = CodeGenerator.generate(TflmBaseline.plan(MODEL));
        assertThat(code.names()).contains("model.c", "model.h", "model_api.h", "model_constants.c", "model_constants.h", "Makefile", "model_host.c")
                .containsAll(RuntimeSources.LIBRARY);
        assertThat(code.text("Makefile")).contains("model_host:").contains("-ffp-contract=off").contains("-std=c99");
    }
}
