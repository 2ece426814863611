package io.tinyfit.cli;

import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PlanSearch;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.codegen.CodeGenerator;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.report.FitReport;
import io.tinyfit.report.HtmlReport;
import io.tinyfit.report.Json;
import io.tinyfit.report.KernelReport;
import io.tinyfit.report.OptimizeReport;
import io.tinyfit.targets.Budget;
import io.tinyfit.targets.FitVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Reduce the arena (reported as the whole TFLM arena and its head): tries every method (memory-minimising operator order, better offset planning, diagonal memory optimisation) cheapest first and keeps the best plan verified by execution; writes a .tflite with a TFLM offline memory plan, the plan JSON and the HTML report (by default MODEL.tinyfit.tflite, MODEL.plan.json, MODEL.report.html in the current directory).")
final class OptimizeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Mixin
    OptimizeSettings settings = new OptimizeSettings();

    @Mixin
    SearchOptions search = new SearchOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the optimised model (operators in the new order, OfflineMemoryAllocation metadata)")
    Path output;

    @Option(names = "--plan-json", paramLabel = "FILE", description = "write the plan as JSON (schema tinyfit/1); - for standard output")
    Path planJson;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write a self-contained HTML report (charts, arena maps, per-step table, fit table); - for standard output")
    Path report;

    @Option(names = "--emit-c", paramLabel = "DIR", description = "also write C for the plan (as tinyfit codegen does)")
    Path emitC;

    @Option(names = {"-n", "--dry-run"}, description = "write nothing (without it and without output options, optimize writes MODEL.tinyfit.tflite, MODEL.plan.json and MODEL.report.html in the current directory)")
    boolean dryRun;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Mixin
    PointerBytesOption pointer = new PointerBytesOption();

    @Mixin
    FitOptions fit = new FitOptions();

    @picocli.CommandLine.Option(names = "--pareto", description = "also print (and put in the plan JSON as pareto) the curve of arena against MAC "
            + "overhead: tiling with every other pass at each bound of 0, 5, 10, 20 and 40 %% MACs, every point verified by execution")
    boolean pareto;

    @Option(names = "--tflm-rewrite", description = "also find the best tflm-rewrite (fused row bands written as standard TFLite operators stock TFLM runs, "
            + "judged by the whole TFLM arena) and print it beside this plan; -o then writes that file (the stock plan when no rewrite gains)")
    boolean tflmRewrite;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Where the default outputs go; the working directory, another one only in tests (see {@link Main#execute}). */
    private final Path workingDirectory;

    OptimizeCommand() { this(Path.of("")); }

    OptimizeCommand(Path workingDirectory) { this.workingDirectory = workingDirectory; }

    @Override public Integer call() {
        Optional<Budget> budget = fit.resolve(pointer);
        int pointerBytes = FitOptions.pointerBytes(budget, pointer);
        settings.kernels = kernelOptions.resolve(budget);
        if (dryRun && (output != null || planJson != null || report != null || emitC != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dry-run writes nothing: drop it, or the output options");
        }
        // no output option: the three files, named after the model, in the working directory
        DefaultOutputs defaults = output == null && planJson == null && report == null && emitC == null && !dryRun ? DefaultOutputs.of(workingDirectory, model) : null;
        Path out = defaults != null ? defaults.model() : output;
        Path json = defaults != null ? defaults.planJson() : planJson;
        Path html = defaults != null ? defaults.report() : report;
        // every output path is checked before the long work; nothing is written unless everything succeeds
        Outputs files = outputOptions.against(model).file("-o", out).text("--plan-json", json).text("--report", html).directory("--emit-c", emitC);
        Graph g = modelOptions.load(model);
        // refused before the long work starts
        if (budget.isPresent()) FitVerdict.unjudgeable(g).ifPresent(why -> { throw new TinyfitException(why); });
        // an unsafe file plan stops here unless trusted; trusted, it is still never the baseline of a saving
        modelOptions.baseline(g, spec.commandLine().getErr());
        settings.fit(budget, g, pointerBytes);
        if (emitC != null) CodeGenerator.requireSupported(g);
        // --methods names one set; without it, every method set is tried and the rules of PlanSearch pick the plan
        PlanSearch.Outcome found = settings.methodsGiven() ? null
                : PlanSearch.search(g, search.request(settings, settings.methods(), budget, pointerBytes), search.progress());
        Optimizer.Result r = found == null ? settings.optimize(g) : OptimizeSettings.requireVerified(g, found.written().result());
        List<String> methods = found == null ? List.copyOf(settings.methods()) : found.written().methods();
        // the written file's arena: its offline plan fixes the head
        Optional<FitVerdict> verdict = budget.map(b -> FitVerdict.judge(b, r.graph(), r.arena(), r.plan().arenaBytes()));
        var console = files.console(spec);
        console.print(OptimizeReport.summary(r, pointerBytes));
        console.print(KernelReport.text(settings.kernels, g));
        if (found != null) console.print(OptimizeReport.searchText(found));
        List<io.tinyfit.api.Pareto.Point> curve = pareto ? io.tinyfit.api.Pareto.curve(g, settings.options()) : null;
        if (curve != null) console.print(io.tinyfit.api.Pareto.text(curve));
        io.tinyfit.api.TflmRewriteSearch.Result rewrite = tflmRewrite
                ? io.tinyfit.api.TflmRewriteSearch.search(g, io.tinyfit.api.TflmRewriteSearch.stockOptions(settings.options()), 3, 4) : null;
        if (rewrite != null) console.print(rewrite.text(r));
        verdict.ifPresent(v -> console.print(FitReport.text(v, missAdvice(found, out != null), settings.kernels.id())));
        // a budget missed: which layers' channels to prune so that partial execution meets it (the non-head part kept)
        Optional<io.tinyfit.partial.PruningAdvice> pruning = verdict.filter(v -> !v.fits())
                .map(v -> v.budget().bytes() - (v.neededBytes() - r.plan().arenaBytes())).filter(head -> head > 0)
                .map(head -> io.tinyfit.partial.PruningAdvisor.advise(g, head, pruned -> {
                    // the methods of the plan written, partial execution among them: the advice holds for that plan
                    java.util.Set<String> with = new java.util.LinkedHashSet<>(methods);
                    with.add(io.tinyfit.partial.PartialPass.NAME);
                    return Optimizer.plan(pruned, settings.options().withMethods(with)).plan();
                }));
        pruning.ifPresent(a -> console.print(a.text()));
        // the best plan is written whether or not it fits: it is the closest the user can get today
        if (out != null) files.put(out, rewrite != null ? rewrite.best().writableBytes(out) : r.writableBytes(out));
        if (json != null) {
            Map<String, Object> doc = new java.util.LinkedHashMap<>(OptimizeReport.json(r, methods, pointerBytes, verdict, Optional.ofNullable(found)));
            doc.put("kernel_library", KernelReport.json(settings.kernels, g));
            if (rewrite != null) doc.put("tflm_rewrite", rewrite.json());
            if (curve != null) doc.put("pareto", curve.stream().map(io.tinyfit.api.Pareto.Point::json).toList());
            pruning.ifPresent(a -> doc.put("pruning_advice", a.toJson()));
            if (r.explanations().get(io.tinyfit.partial.PartialPass.NAME) instanceof io.tinyfit.partial.PartialSummary ps) doc.put("partial", ps.toJson());
            files.put(json, Json.toString(doc) + "\n");
        }
        if (html != null) files.put(html, HtmlReport.of(r, methods, FitOptions.reportTargets(budget), Optional.ofNullable(found)));
        if (emitC != null) CodeGenerator.generate(r.plan()).filesIn(emitC).forEach(files::put);
        files.commit(spec.commandLine().getOut());
        if (defaults != null) {
            console.printf("  wrote %s, %s and %s (no output option given: -o, --plan-json, --report choose the files, --dry-run writes none)%n",
                    defaults.model(), defaults.planJson(), defaults.report());
        }
        console.flush();
        return verdict.map(FitVerdict::fits).orElse(true) ? 0 : Main.EXIT_BUDGET_NOT_MET;
    }

    /** What to try after a miss: every method, unless they all ran. */
    private String missAdvice(PlanSearch.Outcome found, boolean writes) {
        String written = writes ? "the best plan found is still written; " : "";
        if (found != null && !found.notTried().isEmpty()) {
            return written + "the search left out " + found.notTried().stream().map(m -> String.join(",", m)).toList() + " (" + found.stop() + "); a longer --time-limit tries them";
        }
        if (settings.methods().containsAll(PassRegistry.names())) return written + "every method ran: the arena needs a larger budget, or a model with fewer activation bytes";
        return written + "try every method: --methods " + String.join(",", PassRegistry.names());
    }
}
