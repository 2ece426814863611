package io.tinyfit.cli;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.fuzz.CaseResult;
import io.tinyfit.fuzz.Fuzz;
import io.tinyfit.fuzz.FuzzReport;
import io.tinyfit.model.Limits;
import io.tinyfit.model.TinyfitException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tinyfit bench --fuzz N}: the whole-pipeline fuzz over the given models, printed as the per-kind × stage
 * table, the sites of undocumented failures, the first cases that were not clean, and finally the one line
 * {@code fuzz: N cases, clean C, undocumented U, past time bound T}.
 */
final class FuzzBench {
    @Option(names = "--fuzz", paramLabel = "N", description = "fuzz the whole pipeline (read, analyze, run, optimize) with N mutated models")
    int cases;

    @Option(names = "--seed", description = "fuzz seed (default: ${DEFAULT-VALUE})")
    long seed = 17;

    @Option(names = "--fuzz-bound", paramLabel = "S", description = "time bound per stage in seconds (default: ${DEFAULT-VALUE})")
    double boundSeconds = 10;

    @Option(names = "--threads", description = "fuzz cases run in parallel (default: ${DEFAULT-VALUE})")
    int threads = 1;

    boolean requested() { return cases > 0; }

    int run(List<Path> files, Limits limits, OptimizeOptions optimize, PrintWriter out, PrintWriter err) {
        List<Fuzz.Model> models = new ArrayList<>();
        for (Path f : files) {
            try {
                models.add(new Fuzz.Model(f.getFileName().toString(), Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new TinyfitException(f + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (models.isEmpty()) throw new TinyfitException("no models to fuzz");
        Duration bound = Duration.ofMillis((long) (boundSeconds * 1000));
        Fuzz.Options options = new Fuzz.Options(cases, seed, bound, bound.multipliedBy(6), limits, optimize, threads);
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        FuzzReport report = Fuzz.run(models, options, r -> progress(r, done.incrementAndGet(), err, t0));
        out.printf("fuzz of %d models, seed %d, time bound %.0f s per stage, %.0f s in all%n%n", models.size(), seed, boundSeconds, (System.nanoTime() - t0) / 1e9);
        out.print(report.table());
        if (!report.sites().isEmpty()) {
            out.println();
            out.println("undocumented failures by stage and site:");
            for (Map.Entry<String, Integer> e : report.sites().entrySet()) out.printf("  %5d  %s%n", e.getValue(), e.getKey());
        }
        if (!report.problems().isEmpty()) {
            out.println();
            out.println("first cases that were not clean:");
            for (CaseResult r : report.problems()) out.println("  " + r.describeProblems());
        }
        out.println();
        out.println(report.summary());
        return 0;
    }

    private static void progress(CaseResult r, int done, PrintWriter err, long t0) {
        if (!r.clean()) {
            synchronized (err) {
                err.println("tinyfit: fuzz: not clean: " + r.describeProblems());
            }
        }
        if (done % 500 == 0) {
            synchronized (err) {
                err.printf("tinyfit: fuzz: %d cases, %.0f s%n", done, (System.nanoTime() - t0) / 1e9);
                err.flush();
            }
        }
    }
}
