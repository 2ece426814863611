package io.tinyfit.cli;

import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.codegen.HostToolchain;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bench --c}: one plan's generated C, built with {@code -O2} in a temporary folder and timed by its host
 * driver (median of repeated inferences after a warm-up), for comparison with the Java interpreter on the same plan.
 */
final class CSpeed {
    static final String CFLAGS = "-O2 -Wall -Wextra -Werror";

    private CSpeed() {}

    /** Median nanoseconds per inference of the plan's C, or the reason it has none. */
    record Timing(double medianMs, String skipped) {}

    static void requireToolchain() {
        if (!HostToolchain.available()) throw new TinyfitException("bench --c needs gcc and make on the PATH");
    }

    static Timing time(Graph g, Plan plan, int runs) {
        try {
            CodeGenerator.requireSupported(g);
        } catch (UnsupportedOperatorException e) {
            return new Timing(Double.NaN, e.getMessage());
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tinyfit-bench-c");
            CodeGenerator.generate(plan).writeTo(dir);
            List<byte[]> inputs = InputGenerator.golden(g);
            for (int i = 0; i < inputs.size(); i++) AtomicFiles.write(dir.resolve("in").resolve("input_" + i + ".bin"), inputs.get(i));
            Files.createDirectories(dir.resolve("out"));
            HostToolchain.buildHostDriver(dir, CFLAGS);
            HostToolchain.Result r = HostToolchain.run(dir, List.of("./model_host", "in", "out", "--repeat", Integer.toString(runs)), 3600);
            if (!r.ok() || !r.out().startsWith("median_ns ")) throw new TinyfitException(g.source() + ": model_host failed: " + HostToolchain.firstLines(r.err()));
            return new Timing(Long.parseLong(r.out().strip().substring("median_ns ".length())) / 1e6, null);
        } catch (IOException e) {
            throw new TinyfitException(g.source() + ": cannot build the C benchmark (" + e.getMessage() + ")");
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
