package io.tinyfit.api;

import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Deployability;
import io.tinyfit.plan.Pass;
import io.tinyfit.targets.Budget;
import io.tinyfit.targets.FitVerdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * tinyfit's default optimisation: several method sets, each a candidate plan, and the rules that pick one.
 *
 * <p>The method sets grow by {@link Pass.Cost}: first every pass that costs nothing at run time, then those plus the
 * next dearer class, and so on up to every available pass. Each set runs through the {@link Optimizer} and its plan
 * is verified statically; only the plans the rules may pick are executed. A candidate is ranked by what it takes to
 * run it: its deployability class (stock TFLM before tinyfit's generated runtime), its MAC overhead, its transfer
 * bytes between banks, and by its whole TFLM arena for the pointer width (its own arena where TFLM has no figure).
 *
 * <ul>
 *   <li>Plans above the MAC-overhead limit are never chosen.
 *   <li>Without a budget the smallest plan wins (the cheaper one on a tie).
 *   <li>With a budget the search stops at the first plan that meets it, and the cheapest plan that meets it wins;
 *       when none does, the smallest.
 *   <li>The written {@code .tflite} must run in stock TFLM: when the smallest plan needs tinyfit's runtime, the
 *       best stock-TFLM plan is written and the outcome names the smaller one ({@link Outcome#smaller}).
 *   <li>The time limit stops the search between two method sets (the first always runs) and the outcome says so.
 * </ul>
 */
public final class PlanSearch {
    private PlanSearch() {}

    /**
     * What to search.
     *
     * @param options            budgets of every run (their methods are ignored: {@code methods} are searched)
     * @param methods            the passes available (for the kernel library); every method set is drawn from them
     * @param maxMacOverheadPct  plans that repeat more MACs than this, in percent of the model's, are never chosen
     * @param budget             the whole arena the plan must fit, if any
     * @param pointerBytes       the pointer width the whole arena is figured for
     * @param timeLimit          wall time after which no further method set is started; null for none
     */
    public record Request(OptimizeOptions options, Collection<String> methods, double maxMacOverheadPct, Optional<Budget> budget,
                          int pointerBytes, Duration timeLimit) {
        public Request {
            methods = List.copyOf(methods);
        }
    }

    /** Told of each method set as the search goes (the command line's progress bar or lines). */
    public interface Progress {
        /** Set {@code index} (from 0) of {@code total} starts. */
        default void trying(int index, int total, List<String> methods) {}

        /** A method set's plan, verified statically. */
        default void tried(Candidate c) {}

        /** A plan about to be chosen is being verified by execution. */
        default void executing(Candidate c) {}

        /** The search is over. */
        default void done() {}

        Progress NONE = new Progress() {};
    }

    /**
     * One method set's plan.
     *
     * @param methods         the passes that ran, in their rank order
     * @param result          the optimizer's result (executed only when the rules may pick it)
     * @param deployability   what can run the plan (the result's, as the written file would be)
     * @param neededBytes     the whole TFLM arena of the plan's file for the pointer width or, where TFLM has no
     *                        figure ({@link #wholeArena} false), the plan's own arena
     * @param macOverheadPct  MACs repeated above the model's, in percent
     * @param transferBytes   bytes moved between banks per inference
     * @param seconds         the optimizer's wall time
     * @param rejection       why the plan may not be chosen, null when it may
     */
    public record Candidate(List<String> methods, Optimizer.Result result, Deployability deployability, long neededBytes, boolean wholeArena,
                            double macOverheadPct, long transferBytes, double seconds, String rejection) {
        public Candidate {
            methods = List.copyOf(methods);
        }

        public boolean eligible() { return rejection == null; }

        /** Whether the plan meets the budget (the figure a {@link FitVerdict} judges). */
        boolean fits(Optional<Budget> budget) { return budget.map(b -> neededBytes <= b.bytes()).orElse(true); }

        Candidate withResult(Optimizer.Result r, String why) {
            return new Candidate(methods, r, deployability, neededBytes, wholeArena, macOverheadPct, transferBytes, seconds, why);
        }

        /** The method set for people: {@code reorder,layout}, or {@code none} for TFLM's own plan. */
        public String label() { return methods.isEmpty() ? "none" : String.join(",", methods); }
    }

    /**
     * What the search found.
     *
     * @param tried     every method set's plan, in the order tried
     * @param notTried  the method sets the time limit or the budget left out
     * @param written   the plan to write: the best stock-TFLM plan by the rules (the best of any class when no plan
     *                  runs in stock TFLM)
     * @param smaller   a smaller plan than {@code written} that needs tinyfit's runtime, verified; null when none
     * @param stop      why the search ended before the last method set, null when it tried them all
     */
    public record Outcome(List<Candidate> tried, List<List<String>> notTried, Candidate written, Candidate smaller, String stop) {
        public Outcome {
            tried = List.copyOf(tried);
            notTried = List.copyOf(notTried);
        }

        public boolean timedOut() { return stop != null && stop.startsWith("time limit"); }
    }

    /**
     * The method sets tried, in order: the passes of the cheapest {@link Pass.Cost} together, then those and the
     * next dearer class, up to every pass; each set in the passes' rank order. No pass at all: TFLM's own plan.
     */
    public static List<List<String>> methodSets(Collection<String> methods, OptimizeOptions options) {
        TreeMap<Pass.Cost, List<Pass>> byCost = new TreeMap<>();
        for (String m : methods) {
            Pass p = PassRegistry.create(m, options);
            byCost.computeIfAbsent(p.cost(), c -> new ArrayList<>()).add(p);
        }
        List<List<String>> sets = new ArrayList<>();
        List<Pass> cumulative = new ArrayList<>();
        for (List<Pass> tier : byCost.values()) {
            cumulative.addAll(tier);
            cumulative.sort(Comparator.comparingInt(Pass::rank).thenComparing(Pass::name));
            sets.add(cumulative.stream().map(Pass::name).toList());
        }
        if (sets.isEmpty()) sets.add(List.of());
        return sets;
    }

    public static Outcome search(Graph g, Request request, Progress progress) {
        List<List<String>> sets = methodSets(request.methods(), request.options());
        long started = System.nanoTime();
        List<Candidate> tried = new ArrayList<>();
        String stop = null;
        int next = 0;
        for (; next < sets.size(); next++) {
            if (next > 0 && request.timeLimit() != null && System.nanoTime() - started > request.timeLimit().toNanos()) {
                stop = "time limit of " + seconds(request.timeLimit()) + " reached after " + next + " of " + sets.size() + " method sets";
                break;
            }
            progress.trying(next, sets.size(), sets.get(next));
            Candidate c = candidate(g, request, sets.get(next));
            progress.tried(c);
            tried.add(c);
            // cheapest first: the first set whose plan meets the budget and survives execution ends the search
            if (request.budget().isPresent() && c.eligible() && c.fits(request.budget())) {
                if (c.result().check() == null && c.result().executable()) progress.executing(c);
                Candidate checked = executed(c);
                tried.set(tried.size() - 1, checked);
                if (checked.eligible() && next + 1 < sets.size()) {
                    next++;
                    stop = "budget met by " + checked.label();
                    break;
                }
            }
        }
        List<List<String>> notTried = sets.subList(Math.min(next, sets.size()), sets.size());
        Outcome o = choose(tried, notTried, request.budget(), stop, c -> {
            progress.executing(c);
            return executed(c);
        });
        progress.done();
        return o;
    }

    /**
     * The rules over the plans tried; {@code execute} verifies a candidate by execution (rejecting it when that
     * fails) and is called only for the plans the rules reach.
     */
    static Outcome choose(List<Candidate> tried, List<List<String>> notTried, Optional<Budget> budget, String stop, UnaryOperator<Candidate> execute) {
        Comparator<Candidate> rank = budget.isPresent() ? fitsThenCheapest(budget) : smallestThenCheapest();
        List<Candidate> all = new ArrayList<>(tried);
        Candidate written = pick(all, rank, true, execute);
        if (written == null) written = pick(all, rank, false, execute);
        if (written == null) {
            // nothing verified: the first plan stands, with the reason it failed, for the caller to report
            written = all.get(0);
        }
        Candidate smaller = null;
        if (written.deployability().isStockTflm()) {
            Candidate best = pick(all, smallestThenCheapest(), false, execute);
            if (best != null && !best.deployability().isStockTflm() && best.neededBytes() < written.neededBytes()) smaller = best;
        }
        return new Outcome(all, notTried, written, smaller, stop);
    }

    /**
     * The best eligible candidate by {@code rank} (stock-TFLM ones only when {@code stockOnly}), executed; a plan
     * that fails execution is rejected in {@code all} and the next one is taken.
     */
    private static Candidate pick(List<Candidate> all, Comparator<Candidate> rank, boolean stockOnly, UnaryOperator<Candidate> execute) {
        while (true) {
            // on a tie min keeps the first: the set tried earlier, of the cheaper passes (no DMO when it gains nothing)
            Candidate best = all.stream().filter(Candidate::eligible).filter(c -> !stockOnly || c.deployability().isStockTflm()).min(rank).orElse(null);
            if (best == null) return null;
            Candidate checked = best.result().check() != null || !best.result().executable() ? best : execute.apply(best);
            all.set(all.indexOf(best), checked);
            if (checked.eligible()) return checked;
        }
    }

    private static Candidate executed(Candidate c) {
        if (c.result().check() != null || !c.result().executable()) return c;
        Optimizer.Result r = c.result().checked();
        return c.withResult(r, r.verified() ? null : "failed verification by execution: " + r.check().firstMismatch());
    }

    private static Candidate candidate(Graph g, Request request, List<String> methods) {
        long t0 = System.nanoTime();
        Optimizer.Result r = Optimizer.plan(g, request.options().withMethods(java.util.Set.copyOf(methods)).withMaxMacOverhead(request.maxMacOverheadPct()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Optional<ArenaEstimate> whole = r.arena().forPointerBytes(request.pointerBytes());
        long needed = request.budget().map(b -> FitVerdict.judge(b, r.graph(), r.arena(), r.plan().arenaBytes()).neededBytes())
                .orElseGet(() -> whole.map(ArenaEstimate::predictedMinBytes).orElse(r.plan().arenaBytes()));
        double mac = PlanCost.macOverheadPct(r.plan());
        String rejection = mac > request.maxMacOverheadPct()
                ? String.format(java.util.Locale.ROOT, "MAC overhead %.1f%% above the limit of %.1f%%", mac, request.maxMacOverheadPct()) : null;
        return new Candidate(methods, r, r.deployability(), needed, whole.isPresent(), mac, PlanCost.transferBytes(r.plan()), seconds, rejection);
    }

    /** Deployability class, then MAC overhead, then transfer bytes, then the arena: what "cheapest" means. */
    private static Comparator<Candidate> cheapest() {
        return Comparator.<Candidate>comparingInt(c -> c.deployability().isStockTflm() ? 0 : 1)
                .thenComparingDouble(Candidate::macOverheadPct)
                .thenComparingLong(Candidate::transferBytes)
                .thenComparingLong(Candidate::neededBytes);
    }

    private static Comparator<Candidate> smallestThenCheapest() {
        return Comparator.comparingLong(Candidate::neededBytes).thenComparing(cheapest());
    }

    private static Comparator<Candidate> fitsThenCheapest(Optional<Budget> budget) {
        return Comparator.<Candidate>comparingInt(c -> c.fits(budget) ? 0 : 1)
                .thenComparing((a, b) -> a.fits(budget) ? cheapest().compare(a, b) : smallestThenCheapest().compare(a, b));
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
