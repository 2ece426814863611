package io.tinyfit.cli;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.plan.Plan;
import io.tinyfit.schedule.Orderings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Speed benchmarks, kept out of the tests: {@code --speed} times one inference per model (median of several
 * runs after warm-up); {@code --optimize} times {@code optimize} per model with the given methods.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: inference speed per model, optimisation time per model, the whole-pipeline fuzz.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "MODEL", description = ".tflite files or folders of them (default: ../shared/models)")
    List<Path> models = new ArrayList<>();

    @Option(names = "--speed", description = "median milliseconds per inference")
    boolean speed;

    @Option(names = "--optimize", description = "seconds for optimize (methods from --methods)")
    boolean optimize;

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "optimize passes to time (default: reorder,layout)")
    List<String> methods = List.of(Optimizer.REORDER, Optimizer.LAYOUT);

    @Option(names = "--runs", description = "timed runs per model (default: ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--warmup", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Mixin
    FuzzBench fuzz;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        for (String m : methods) if (!OptimizeCommand.KNOWN.contains(m)) throw new TinyfitException("unknown method '" + m + "' (known: " + String.join(", ", OptimizeCommand.KNOWN) + ")");
        PrintWriter out = spec.commandLine().getOut();
        if (fuzz.requested()) return fuzz.run(files(), modelOptions.limits(), Set.copyOf(methods), 2.0, out, spec.commandLine().getErr());
        if (!speed && !optimize) speed = true;
        for (Path f : files()) {
            Graph g = modelOptions.load(f);
            if (speed) {
                Plan plan = modelOptions.baseline(g, spec.commandLine().getErr());
                Interpreter interp = new Interpreter(plan);
                List<byte[]> in = InputGenerator.golden(g);
                double[] ms = time(() -> {
                    interp.resetState();
                    interp.run(in);
                });
                out.printf("speed    %-42s median %10.2f ms  (min %.2f, max %.2f, %d runs)%n", g.source(), median(ms), ms[0], ms[ms.length - 1], ms.length);
            }
            if (optimize) {
                double[] ms = time(() -> Optimizer.optimize(g, new Optimizer.Options(Set.copyOf(methods),
                        PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofSeconds(2)), Orderings::search)));
                out.printf("optimize %-42s %s median %10.2f s   (min %.2f, max %.2f, %d runs)%n", g.source(), String.join(",", methods), median(ms) / 1000, ms[0] / 1000, ms[ms.length - 1] / 1000, ms.length);
            }
            out.flush();
        }
        return 0;
    }

    private double[] time(Runnable r) {
        for (int i = 0; i < warmup; i++) r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private List<Path> files() {
        List<Path> roots = models.isEmpty() ? List.of(Path.of("..", "shared", "models")) : models;
        List<Path> out = new ArrayList<>();
        for (Path p : roots) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(x -> x.toString().endsWith(".tflite")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new TinyfitException(p + ": cannot list (" + e.getMessage() + ")");
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
