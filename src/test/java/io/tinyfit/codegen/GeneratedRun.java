package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.testing.CaseFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One plan's generated C in a folder under target/: built per profile and run on a folder of inputs. */
final class GeneratedRun implements AutoCloseable {
    final Plan plan;
    final Path dir;

    private GeneratedRun(Plan plan, Path dir) {
        this.plan = plan;
        this.dir = dir;
    }

    static GeneratedRun of(Plan plan) {
        try {
            Path root = Path.of("target", "c-runs").toAbsolutePath();
            Files.createDirectories(root);
            Path dir = Files.createTempDirectory(root, "plan");
            CodeGenerator.generate(plan).writeTo(dir);
            return new GeneratedRun(plan, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a run produced: the outputs, and every tensor dumped after the step that wrote it. */
    record Outcome(List<byte[]> outputs, Map<Integer, byte[]> tensors, String trace) {}

    /** Builds with the profile and runs on {@code input_<i>.bin} of {@code inputs}, dumping every tensor. */
    Outcome run(CBuild.Profile profile, Path inputs) {
        Path exe = CBuild.hostDriver(dir, profile);
        String name = profile.name().toLowerCase(java.util.Locale.ROOT);
        Path out = dir.resolve("out-" + name), dump = dir.resolve("dump-" + name), trace = dir.resolve("trace-" + name + ".txt");
        try {
            Files.createDirectories(out);
            Files.createDirectories(dump);
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), inputs.toString(), out.toString(), "--dump", dump.toString()));
            if (profile == CBuild.Profile.TRACE) cmd.addAll(List.of("--trace", trace.toString()));
            HostToolchain.Result r = CBuild.run(dir, cmd);
            assertThat(r.ok()).as("%s %s exited %d:%n%s", plan.graph().source(), name, r.exitCode(), r.err()).isTrue();
            Map<Integer, byte[]> tensors = new HashMap<>();
            try (Stream<Path> s = Files.list(dump)) {
                s.forEach(f -> tensors.put(Integer.parseInt(f.getFileName().toString().replace(".bin", "")), CaseFiles.read(f)));
            }
            return new Outcome(CaseFiles.numbered(out, "output_"), tensors, Files.exists(trace) ? Files.readString(trace) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first difference from the expected outputs and tensors, in step order, naming the tensor and the step
     * that wrote it; null when everything matches. Every expected tensor must have been dumped.
     */
    static String firstMismatch(Plan plan, Outcome got, List<byte[]> outputs, Map<Integer, byte[]> tensors) {
        Graph g = plan.graph();
        List<Integer> order = new ArrayList<>(g.inputs());
        for (int s = 0; s < plan.stepCount(); s++) order.addAll(g.ops().get(plan.order().get(s)).outputs());
        for (int t : order) {
            byte[] want = tensors.get(t);
            if (want == null || want.length == 0) continue;
            String d = diff(want, got.tensors().get(t));
            if (d != null) return "tensor " + t + " (" + g.tensor(t).label() + ", written by " + writer(plan, t) + "): " + d;
        }
        for (int t : tensors.keySet()) if (tensors.get(t).length > 0 && !got.tensors().containsKey(t)) return "tensor " + t + " was not dumped";
        for (int i = 0; i < outputs.size(); i++) {
            String d = diff(outputs.get(i), i < got.outputs().size() ? got.outputs().get(i) : null);
            if (d != null) return "output " + i + ": " + d;
        }
        return null;
    }

    private static String writer(Plan plan, int t) {
        for (int s = 0; s < plan.stepCount(); s++) {
            var op = plan.graph().ops().get(plan.order().get(s));
            if (op.outputs().contains(t)) return "step " + s + " " + op.kind();
        }
        return "the caller";
    }

    private static String diff(byte[] want, byte[] got) {
        if (got == null) return "missing";
        if (got.length != want.length) return got.length + " bytes, expected " + want.length;
        for (int i = 0; i < want.length; i++) if (want[i] != got[i]) return "first differing byte " + i + " of " + want.length + " (expected " + want[i] + ", got " + got[i] + ")";
        return null;
    }

    @Override public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
