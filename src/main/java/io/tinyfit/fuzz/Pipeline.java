package io.tinyfit.fuzz;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.exec.ExecutionException;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Plan;
import io.tinyfit.report.Analysis;
import io.tinyfit.report.AnalyzeReport;
import io.tinyfit.report.Json;
import io.tinyfit.report.OptimizeReport;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.verify.FilePlan;
import io.tinyfit.verify.UnsafePlanException;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts one mutated file through what the command line does with a model: read it, then (if it loaded) analyze
 * it, run it and optimize it, each stage on its own, as separate commands would. Each stage ends in success, in a
 * documented refusal ({@link ModelFormatException}, {@link UnsupportedOperatorException}, an
 * {@link UnsafePlanException} for the file's own plan, an {@link ExecutionException}), or in a failure, which is a
 * bug: any other exception, an optimised plan that fails verification, or a written file whose plan does not
 * verify when read back. A stage still running at the hard cap is abandoned.
 */
public final class Pipeline implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The reports are rendered for a 32-bit build, the command line's default. */
    private static final int POINTER_BYTES = 4;

    private final Limits limits;
    private final OptimizeOptions optimize;
    private final long hardCapNanos;
    private ExecutorService worker = newWorker();

    /**
     * @param hardCap  how long (wall clock) a stage may run before it is abandoned: a guard against hangs; the
     *                 time bound itself is judged on processor time by {@link CaseResult#pastBound}
     */
    public Pipeline(Limits limits, OptimizeOptions optimize, Duration hardCap) {
        this.limits = limits;
        this.optimize = optimize;
        this.hardCapNanos = hardCap.toNanos();
    }

    public CaseResult run(Mutation m, long boundNanos) {
        List<Outcome> outcomes = new ArrayList<>();
        Graph[] loaded = new Graph[1];
        Outcome read = stage(Stage.READ, () -> loaded[0] = ModelReader.read(m.bytes(), m.model(), limits));
        outcomes.add(read);
        Graph g = read.status() == Outcome.Status.OK ? loaded[0] : null;
        outcomes.add(g == null ? notReached(Stage.ANALYZE) : stage(Stage.ANALYZE, () -> analyze(g, m.bytes())));
        outcomes.add(g == null ? notReached(Stage.RUN) : stage(Stage.RUN, () -> new Interpreter(baseline(g)).run(InputGenerator.golden(g))));
        outcomes.add(g == null ? notReached(Stage.OPTIMIZE) : stage(Stage.OPTIMIZE, () -> optimize(g, m.model())));
        return new CaseResult(m, outcomes, boundNanos);
    }

    /** analyze as the command does it: the file's plan checked, its bytes linted, the report rendered. */
    private Object analyze(Graph g, byte[] file) {
        Analysis a = Analysis.of(g, baseline(g), TflmLint.check(file, g.source()));
        return AnalyzeReport.table(a, POINTER_BYTES) + Json.toString(AnalyzeReport.json(a, POINTER_BYTES));
    }

    /** optimize as the command does it, then the written file read back: its plan must verify. */
    private Object optimize(Graph g, String name) {
        baseline(g);
        Optimizer.Result r = Optimizer.optimize(g, optimize);
        // a plan of a model with an operator tinyfit cannot execute is verified statically only (and says so)
        if (r.executable() && !r.verified()) throw new IllegalStateException("the optimised plan failed verification by execution: " + r.check().firstMismatch());
        String report = OptimizeReport.summary(r, POINTER_BYTES) + Json.toString(OptimizeReport.json(r, List.copyOf(optimize.methods()), POINTER_BYTES));
        Graph back = ModelReader.read(r.modelBytes(), name, limits);
        FilePlan.Check c = FilePlan.check(back);
        if (c.status() != FilePlan.Status.VERIFIED) throw new IllegalStateException("the written file's plan does not verify: " + c.violations());
        return report;
    }

    /** The file's plan is checked as every command checks it: unsafe plans are refused (no --trust-plan here). */
    private static Plan baseline(Graph g) { return FilePlan.require(g, false, warning -> { }); }

    private Outcome stage(Stage stage, Callable<Object> work) {
        long t0 = System.nanoTime();
        long[] cpu = new long[1];
        Future<Object> f = worker.submit(() -> {
            long c0 = THREADS.getCurrentThreadCpuTime();
            try {
                return work.call();
            } finally {
                cpu[0] = THREADS.getCurrentThreadCpuTime() - c0;
            }
        });
        try {
            f.get(hardCapNanos, TimeUnit.NANOSECONDS);
            return new Outcome(stage, Outcome.Status.OK, System.nanoTime() - t0, cpu[0], null);
        } catch (TimeoutException e) {
            // a thread cannot be stopped: abandon it (daemon) and carry on with a fresh one
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            return new Outcome(stage, Outcome.Status.NOT_FINISHED, hardCapNanos, hardCapNanos, "still running after " + hardCapNanos / 1_000_000_000 + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            long nanos = System.nanoTime() - t0;
            if (documented(cause)) return new Outcome(stage, Outcome.Status.REFUSED, nanos, cpu[0], cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return new Outcome(stage, Outcome.Status.UNDOCUMENTED, nanos, cpu[0], describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fuzz interrupted", e);
        }
    }

    /** The exceptions through which tinyfit refuses bad input, with a message naming the file. */
    static boolean documented(Throwable e) {
        return e instanceof ModelFormatException || e instanceof UnsupportedOperatorException || e instanceof UnsafePlanException
                || e instanceof ExecutionException;
    }

    /** {@code IllegalStateException in plan.BufferRequests.of: message}: the class, the site in tinyfit, the message. */
    static String describe(Throwable e) {
        String site = "";
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith("io.tinyfit.")) {
                site = " in " + f.getClassName().substring("io.tinyfit.".length()) + "." + f.getMethodName();
                break;
            }
        }
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + site + msg;
    }

    private static Outcome notReached(Stage stage) { return new Outcome(stage, Outcome.Status.NOT_REACHED, 0, 0, null); }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tinyfit-fuzz-stage");
            t.setDaemon(true);
            return t;
        });
    }

    @Override public void close() { worker.shutdownNow(); }
}
