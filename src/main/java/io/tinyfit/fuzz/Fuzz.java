package io.tinyfit.fuzz;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.model.Limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The whole-pipeline fuzz: {@code cases} mutations of the given models, every {@link MutationKind} in turn over
 * every model in turn, each put through read, analyze, run and optimize ({@link Pipeline}). Case i is the same
 * mutation for a given seed whatever the thread count, so a failure names a case that reproduces.
 */
public final class Fuzz {
    private Fuzz() {}

    /** A model to mutate: its file name and bytes (which must load). */
    public record Model(String name, byte[] bytes) {}

    /**
     * @param bound   the time bound per stage (a stage above it counts as "past time bound")
     * @param hardCap when a stage is abandoned as hung
     */
    public record Options(int cases, long seed, Duration bound, Duration hardCap, Limits limits, OptimizeOptions optimize, int threads) {}

    /** Runs the fuzz; {@code progress} sees every case as it finishes (from the worker threads). */
    public static FuzzReport run(List<Model> models, Options o, Consumer<CaseResult> progress) {
        List<Mutator> mutators = new ArrayList<>();
        for (Model m : models) mutators.add(new Mutator(m.name(), m.bytes()));
        FuzzReport report = new FuzzReport(o.bound().toNanos());
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < Math.max(1, o.threads()); w++) {
            Thread t = new Thread(() -> {
                try (Pipeline p = new Pipeline(o.limits(), o.optimize(), o.hardCap())) {
                    for (int i = next.getAndIncrement(); i < o.cases(); i = next.getAndIncrement()) {
                        CaseResult r = runCase(i, mutators, models, o, p);
                        report.add(r);
                        progress.accept(r);
                    }
                }
            }, "tinyfit-fuzz-" + w);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fuzz interrupted", e);
            }
        }
        return report;
    }

    /** Case i: kind {@code i mod kinds}, then model by model; its own random stream from the seed and i. */
    static CaseResult runCase(int i, List<Mutator> mutators, List<Model> models, Options o, Pipeline p) {
        MutationKind[] kinds = MutationKind.values();
        MutationKind kind = kinds[i % kinds.length];
        int model = (i / kinds.length) % models.size();
        Random rng = new Random(o.seed() * 1_000_003L + i);
        Mutation m;
        try {
            m = mutators.get(model).mutate(kind, rng);
        } catch (RuntimeException e) {
            // a fuzz bug, not a tinyfit one; still reported, never hidden
            Mutation none = new Mutation(kind, models.get(model).name(), "case " + i + ": the mutation could not be built", new byte[0]);
            return new CaseResult(none, List.of(new Outcome(Stage.READ, Outcome.Status.UNDOCUMENTED, 0, 0, "fuzz: " + Pipeline.describe(e))), o.bound().toNanos());
        }
        return p.run(m, o.bound().toNanos());
    }
}
