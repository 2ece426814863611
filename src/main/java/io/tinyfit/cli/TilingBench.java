package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.tiling.Tiler;
import io.tinyfit.tiling.TilingPass;
import io.tinyfit.tiling.TilingSearch;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code tinyfit bench --tiling}: the time of the tiling search alone (on the plan the methods before it give) and of
 * the whole {@code optimize} with it, the number of plans the search placed, and the layout planners: the one inside
 * the search loop ({@link Tiler#PLANNER}) and the final plan's (ByteFit's when it re-placed the plan smaller). The
 * search counts its budgets and never looks at a clock, so the plan and the count are the same on any machine; only
 * the seconds vary.
 */
final class TilingBench {
    private TilingBench() {}

    /** The methods of the bench: the given ones with tiling, or reorder, layout, dmo and tiling. */
    static OptimizeOptions options(OptimizeOptions given, boolean methodsGiven) {
        Set<String> methods = new LinkedHashSet<>(methodsGiven ? given.methods() : java.util.List.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO));
        methods.add(TilingPass.NAME);
        return given.withMethods(methods);
    }

    private static long cpuNanos() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Times {@code runs} searches after {@code warmup} and one whole optimize; one line per model. */
    static void run(Graph g, OptimizeOptions options, int warmup, int runs, PrintWriter out) {
        Set<String> before = new LinkedHashSet<>(options.methods());
        before.remove(TilingPass.NAME);
        // the search starts from the order and placement of the methods before it, as in optimize
        Plan given = Optimizer.plan(g, options.withMethods(before)).plan();
        TilingSearch.Options o = TilingSearch.Options.bounded(options.maxMacOverheadPct());
        TilingSearch.Result[] last = new TilingSearch.Result[1];
        Runnable search = () -> last[0] = TilingSearch.search(given.graph(), given.order(), given.keepInputs(), given.alignment(), o);
        for (int i = 0; i < warmup; i++) search.run();
        double[] s = new double[Math.max(1, runs)], cpu = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            long c0 = cpuNanos(), t0 = System.nanoTime();
            search.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (cpuNanos() - c0) / 1e9;
        }
        Arrays.sort(s);
        Arrays.sort(cpu);
        long c0 = cpuNanos(), t0 = System.nanoTime();
        Optimizer.Result whole = Optimizer.optimize(g, options);
        double wholeS = (System.nanoTime() - t0) / 1e9, wholeCpu = (cpuNanos() - c0) / 1e9;
        TilingSearch.Candidate best = last[0].best();
        // the search runs on this thread alone: its CPU time is the figure a loaded machine does not inflate
        out.printf("tiling   %-42s search median %8.2f s (CPU %.2f s; min %.2f, max %.2f, %d runs), %d plans placed, arena %,d -> %,d B at %.1f %% MACs%n",
                g.source(), s[s.length / 2], cpu[cpu.length / 2], s[0], s[s.length - 1], s.length, last[0].tried().size(), given.arenaBytes(), best.arenaBytes(), best.macOverheadPct());
        out.printf("tiling   %-42s planner in the search loop: %s; final plan: %s%n", g.source(), Tiler.PLANNER, best.plan().planner());
        out.printf("tiling   %-42s whole optimize (%s, with its execution check) %.2f s (CPU of this thread %.2f s): arena %,d B%n", g.source(),
                String.join(",", io.tinyfit.api.PassRegistry.names().stream().filter(options.methods()::contains).toList()), wholeS, wholeCpu, whole.plan().arenaBytes());
        out.flush();
    }
}
