package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.TflmRewriteSearch;
import io.tinyfit.model.Graph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tflm-rewrite", mixinStandardHelpOptions = true,
        description = "Fused row-band tiling written as standard TFLite operators (SLICE, per-band operator copies with explicit PAD where needed, "
                + "CONCATENATION) that stock TFLM runs: the rewrite with the smallest WHOLE TFLM arena (head + persistent tail + temporaries, "
                + "32-bit), each candidate re-planned by the stock passes and checked bit for bit against the original by execution.")
final class RewriteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = ".tflite model")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", description = "write the rewritten model (with its offline plan) here")
    Path output;

    @Option(names = "--methods", split = ",", paramLabel = "PASS", description = "stock passes that plan each rewrite (default: reorder,layout,dmo)")
    List<String> methods = List.of("reorder", "layout", "dmo");

    @Option(names = "--rounds", paramLabel = "N", description = "rewrites applied one after another at most (default: 3)")
    int rounds = 3;

    @Option(names = "--replan", paramLabel = "N", description = "candidates per round re-planned by the passes, the best screened band count of each of the N best paths, then N more by the screen (default: 4)")
    int replan = 4;

    @Option(names = "--max-mac-overhead", paramLabel = "PCT", description = "MACs the bands may repeat (recomputed halos), in percent of the model's (default: no bound)")
    double maxMacOverhead = Double.POSITIVE_INFINITY;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Graph g = modelOptions.load(model);
        OptimizeOptions options = OptimizeOptions.of(new LinkedHashSet<>(methods).toArray(String[]::new));
        TflmRewriteSearch.Result r = TflmRewriteSearch.search(g, options, rounds, replan, maxMacOverhead);
        out.printf("%s%n", model);
        out.printf("  whole TFLM arena, model as read (TFLM's plan):       %,d B%n", r.originalWhole());
        out.printf("  whole TFLM arena, %s without rewrite:  %,d B (head %,d B, %s)%n", String.join(",", methods), r.stockWhole(),
                r.stock().plan().arenaBytes(), r.stock().deployability().label());
        if (r.gains()) {
            out.printf("  whole TFLM arena, %s rewrite:          %,d B (head %,d B, %d operators, +%.1f%% MACs, %s; %s)%n", TflmRewriteSearch.TFLM_REWRITE,
                    r.rewriteWhole(), r.rewriteHead(), r.rewrite().graph().ops().size(), r.macOverheadPct(), r.rewrite().verification(),
                    r.lint() ? "TFLM lint passed, file read back" : "LINT FAILED");
            for (String a : r.applied()) out.printf("    %s%n", a);
        } else {
            out.printf("  %s: no gain (no rewrite of %d built beats %,d B)%n", TflmRewriteSearch.TFLM_REWRITE, r.candidates(), r.stockWhole());
        }
        if (output != null) {
            r.best().write(output);
            out.printf("  wrote %s (%s)%n", output, r.deployability());
        }
        out.flush();
        return r.lint() ? 0 : 1;
    }
}
