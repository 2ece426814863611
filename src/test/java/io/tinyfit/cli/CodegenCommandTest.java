package io.tinyfit.cli;

import io.tinyfit.codegen.HostToolchain;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tinyfit codegen}, {@code optimize --emit-c} and {@code bench --c}: the generated folder builds with its own
 * Makefile and its host driver gives the interpreter's outputs; a model the C runtime cannot run is one line, exit
 * code 2, and no output.
 */
class CodegenCommandTest {
    @TempDir
    Path tmp;

    @Test
    void codegenWritesAFolderThatMakeBuildsAndThatRunsLikeTheInterpreter() throws Exception {
        Path out = tmp.resolve("c");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("codegen", "-o", out.toString(), "--methods", "reorder,layout,dmo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("arena").contains("make -C");
        assertThat(out.resolve("model.c")).exists();
        assertThat(out.resolve("Makefile")).exists();

        Assumptions.assumeTrue(HostToolchain.available(), "gcc and make not found; skipping the build of the generated folder");
        Path exe = HostToolchain.buildHostDriver(out, "-O2 -Wall -Wextra -Werror");
        Graph g = DefaultModels.mobileNetV2Style();
        List<byte[]> in = InputGenerator.golden(g);
        Path inputs = Files.createDirectories(tmp.resolve("in"));
        Files.write(inputs.resolve("input_0.bin"), in.get(0));
        Path outputs = Files.createDirectories(tmp.resolve("out"));
        HostToolchain.Result run = HostToolchain.run(out, List.of(exe.toString(), inputs.toString(), outputs.toString()), 120);
        assertThat(run.ok()).as(run.err()).isTrue();
        byte[] want = new Interpreter(TflmBaseline.plan(g)).run(in).get(0);
        assertThat(Files.readAllBytes(outputs.resolve("output_0.bin"))).isEqualTo(want);

        Files.write(inputs.resolve("input_0.bin"), new byte[5]);
        HostToolchain.Result bad = HostToolchain.run(out, List.of(exe.toString(), inputs.toString(), outputs.toString()), 120);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("input_0.bin").contains("5 bytes");
    }

    @Test
    void aModelTheCRuntimeCannotRunIsOneLineExitTwoAndNoOutput() throws Exception {
        GraphBuilder b = new GraphBuilder("float-fc", 1);
        b.output(b.fullyConnected(b.input("x", DType.FLOAT32, 1, 8), 4, GraphBuilder.Activation.NONE));
        Path model = tmp.resolve("float.tflite");
        ModelWriter.write(b.build(), model);
        Path out = tmp.resolve("c");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("codegen", model.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("operator 0 (FULLY_CONNECTED)").contains("float32");
        assertThat(out).doesNotExist();

        Path tflite = tmp.resolve("opt.tflite");
        AnalyzeCommandTest.Result o = AnalyzeCommandTest.cli("optimize", model.toString(), "-o", tflite.toString(), "--emit-c", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(tflite).doesNotExist();
        assertThat(out).doesNotExist();
    }

    @Test
    void optimizeEmitsTheCOfThePlanItWrites() {
        Path out = tmp.resolve("c");
        Path tflite = tmp.resolve("opt.tflite");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", "-o", tflite.toString(), "--emit-c", out.toString(), "--methods", "none");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(tflite).exists();
        assertThat(out.resolve("model.h")).content().contains("#define MODEL_ARENA_BYTES " + TflmBaseline.plan(DefaultModels.mobileNetV2Style()).arenaBytes() + "u");
    }

    @Test
    void benchCReportsBothTimes() throws Exception {
        Assumptions.assumeTrue(HostToolchain.available(), "gcc and make not found; skipping bench --c");
        Path model = tmp.resolve("default.tflite");
        ModelWriter.write(DefaultModels.mobileNetV2Style(), model);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("bench", "--c", "--methods", "none", "--runs", "1", "--warmup", "0", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("c +default\\.tflite +none +arena +[0-9,]+ +C median +[0-9.]+ ms +Java median +[0-9.]+ ms");
    }
}
