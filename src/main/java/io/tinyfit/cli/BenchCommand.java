package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.plan.Plan;
import io.tinyfit.report.BenchTable;
import io.tinyfit.report.Json;
import io.tinyfit.tflite.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Benchmarks, kept out of the tests. By default the arena table ({@link BenchTable}): per model TFLM's head and whole
 * arena, the lower bound, each method alone and all together, MAC overhead, optimiser time, verification, and the
 * geometric mean of each column's ratio to the TFLM arena. The modes: {@code --speed} times one inference per model
 * (median of several runs after warm-up); {@code --optimize} times {@code optimize} per model with the given methods;
 * {@code --c} times the generated C of the plan of the given methods (built with -O2) next to the Java interpreter on
 * that plan; {@code --tiling} times the tiling search alone and the whole optimize with it ({@link TilingBench}); {@code --fuzz}
 * runs the whole-pipeline fuzz.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: by default the arena table (TFLM head and whole arena, lower bound, each method alone and combined, geometric means); "
                + "--speed, --optimize, --c and --fuzz for inference speed, optimisation time, generated C and the pipeline fuzz.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "MODEL", description = ".tflite files or folders of them (default: --models, else the shared models beside tinyfit)")
    List<Path> models = new ArrayList<>();

    @Option(names = "--models", paramLabel = "DIR", description = "folder of .tflite models (default: shared/models beside tinyfit's installation, whatever the working directory)")
    Path modelsDir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the arena table as JSON")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the arena table as CSV")
    Path csv;

    @Option(names = "--speed", description = "median milliseconds per inference")
    boolean speed;

    @Option(names = "--optimize", description = "seconds for optimize (methods from --methods)")
    boolean optimize;

    @Option(names = "--c", description = "median milliseconds per inference of the generated C (-O2) and of the Java interpreter, on the plan of --methods")
    boolean c;

    @Option(names = "--tiling", description = "seconds for the tiling search alone and for the whole optimize with it, plans placed, layout planners (methods: --methods plus tiling; default reorder,layout,dmo,tiling)")
    boolean tiling;

    /** The passes {@code --optimize} times and whose plan {@code --c} runs. */
    @Mixin
    OptimizeSettings settings = new OptimizeSettings();

    @Option(names = "--runs", description = "timed runs per model (default: ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--warmup", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();

    @Mixin
    FuzzBench fuzz;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        settings.kernels = kernelOptions.resolve(java.util.Optional.empty());
        OptimizeOptions options = settings.options();
        if (fuzz.requested()) return fuzz.run(files(), modelOptions.limits(), options, out, spec.commandLine().getErr());
        if (!speed && !optimize && !c && !tiling) return table(out);
        if (c) CSpeed.requireToolchain();
        String label = options.methods().isEmpty() ? OptimizeSettings.NONE : String.join(",", settings.methods()) + (options.keepInputs() ? " keep-inputs" : "");
        int pointerBytes = pointer.value();
        for (Path f : files()) {
            Graph g = modelOptions.load(f);
            Plan baseline = modelOptions.baseline(g, spec.commandLine().getErr());
            out.printf("arena    %-42s %s%n", g.source(), wholeArena(g, baseline.arenaBytes(), pointerBytes));
            if (speed) {
                Interpreter interp = new Interpreter(baseline);
                List<byte[]> in = InputGenerator.golden(g);
                double[] ms = time(() -> {
                    interp.resetState();
                    interp.run(in);
                });
                out.printf("speed    %-42s median %10.2f ms  (min %.2f, max %.2f, %d runs)%n", g.source(), median(ms), ms[0], ms[ms.length - 1], ms.length);
            }
            if (optimize) {
                Optimizer.Result[] last = new Optimizer.Result[1];
                double[] ms = time(() -> last[0] = Optimizer.optimize(g, options));
                out.printf("optimize %-42s %s median %10.2f s   (min %.2f, max %.2f, %d runs); optimised: %s%n", g.source(), label,
                        median(ms) / 1000, ms[0] / 1000, ms[ms.length - 1] / 1000, ms.length,
                        wholeArena(last[0].plan().graph(), last[0].plan().arenaBytes(), pointerBytes));
            }
            if (tiling) TilingBench.run(g, TilingBench.options(options, spec.commandLine().getParseResult().hasMatchedOption("--methods")), warmup, runs, out);
            if (c) {
                Plan plan = Optimizer.optimize(g, options).plan();
                CSpeed.Timing t = CSpeed.time(g, plan, runs);
                if (t.skipped() != null) {
                    out.printf("c        %-42s skipped: %s%n", g.source(), t.skipped());
                } else {
                    Interpreter interp = new Interpreter(plan);
                    List<byte[]> in = InputGenerator.golden(g);
                    double[] ms = time(() -> interp.run(in));
                    out.printf("c        %-42s %-18s arena %,10d  C median %11.4f ms  Java median %11.4f ms  (Java/C %.1f)%n", g.source(),
                            label, plan.arenaBytes(), t.medianMs(), median(ms), median(ms) / t.medianMs());
                }
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The arena table, one row printed as soon as it is measured. The methods are --methods, else every registered
     * pass; each runs alone, then all together.
     */
    private int table(PrintWriter out) {
        List<String> methods = spec.commandLine().getParseResult().hasMatchedOption("--methods") ? List.copyOf(settings.methods()) : List.copyOf(PassRegistry.names());
        if (methods.isEmpty()) throw new TinyfitException("bench: the table needs at least one method (--methods none leaves nothing to compare)");
        int pointerBytes = pointer.value();
        List<Path> files = files();
        if (files.isEmpty()) throw new TinyfitException("bench: no .tflite models in " + (models.isEmpty() ? modelsFolder() : models));
        OptimizeOptions options = settings.options();
        out.print(BenchTable.header(methods, pointerBytes, options.kernels()));
        out.flush();
        List<BenchTable.Row> rows = new ArrayList<>();
        for (Path f : files) {
            Graph g = modelOptions.load(f);
            BenchTable.Row row = BenchTable.measure(g, modelOptions.baseline(g, spec.commandLine().getErr()), methods, options, pointerBytes);
            rows.add(row);
            out.print(BenchTable.row(row));
            out.flush();
        }
        out.print(BenchTable.footer(rows, methods));
        if (json != null) Json.write(BenchTable.json(rows, methods, pointerBytes, options.kernels()), json);
        if (csv != null) AtomicFiles.writeString(csv, BenchTable.csv(rows, methods));
        return 0;
    }

    /** The whole TFLM arena first, the head beside it; or why TFLM has none. */
    private static String wholeArena(Graph g, long headBytes, int pointerBytes) {
        if (TflmSupport.refusal(g).isPresent()) return String.format("TFLM refuses the model (head as TFLM would plan it: %,d bytes; runs on tinyfit's runtime)", headBytes);
        return TflmArena.predict(g, headBytes, pointerBytes)
                .map(e -> String.format("whole TFLM arena %,d bytes (%d-bit), head %,d bytes", e.predictedMinBytes(), pointerBytes * 8, headBytes))
                .orElse(String.format("whole TFLM arena not predicted, head %,d bytes", headBytes));
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

    private Path modelsFolder() {
        if (modelsDir != null && !Files.isDirectory(modelsDir)) throw new TinyfitException("--models " + modelsDir + ": not a folder");
        return modelsDir != null ? modelsDir : ModelsFolder.find();
    }

    private List<Path> files() {
        List<Path> roots = new ArrayList<>(models);
        if (modelsDir != null || models.isEmpty()) roots.add(modelsFolder());
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
