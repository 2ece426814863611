package io.tinyfit.tiling;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.verify.PlanVerifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * moiopt's loop over fused paths: find the step where the most bytes are live, discover paths around it, try every
 * split kind, partition count and halo treatment on each, and judge each candidate by the arena of the whole plan
 * re-placed with it ({@link Tiler}: per-byte liveness, first fit), never by a working-set sum; apply the best and
 * repeat until nothing improves. Candidates repeating more MACs than the bound are never taken; on an equal arena
 * the one repeating fewer MACs, then the one with fewer steps, wins. Every figure is counted, never timed, so the
 * search gives the same plan on any machine.
 */
public final class TilingSearch {
    private static final boolean DEBUG = Boolean.getBoolean("tinyfit.tiling.debug");

    /**
     * The kinds the search tries. Column bands alone are left out: in NHWC a column band is one short run per row,
     * so their per-byte liveness has a rectangle per row and band and placing them costs seconds on a 224×224 model,
     * for plans rows or grids match; the {@link Tiler} builds them and the property tests run them.
     */
    static final List<Split.Kind> SEARCHED = List.of(Split.Kind.ROWS, Split.Kind.GRID, Split.Kind.CHANNELS, Split.Kind.INPUT_CHANNELS);

    /** The partition counts moiopt tries (and the extent itself, one row or channel per part). */
    static final int[] COUNTS = {2, 3, 4, 5, 7, 8, 9, 12, 14, 16, 20, 25, 28, 32};
    /** The counts tried first on each path; the others are tried next to the best of them. */
    static final int[] COARSE = {2, 4, 8, 16, 32};
    /** Grid sides, up to 8×8. */
    static final int[] GRID = {2, 4, 8};
    /** Evaluations the refinement of partition counts may take beyond the budget. */
    static final int REFINE_BUDGET = 20;

    /**
     * @param maxMacOverheadPct MACs a plan may repeat, in percent of the model's (0: cached and streamed halos and
     *                          channel splits only)
     * @param maxPathLength     operators per path at most (caps the {@link #PORTFOLIO})
     * @param pathsPerKind      paths tried per split kind and round, those with the smallest ends (caps it too)
     * @param rounds            paths applied at most
     */
    public record Options(double maxMacOverheadPct, int maxPathLength, int pathsPerKind, int rounds, int refined, int placementIterations,
                          int evaluations) {
        /** The budgets of the optimizer's tiling pass: counted, so that the same model always gets the same plan. */
        public static Options bounded(double maxMacOverheadPct) { return new Options(maxMacOverheadPct, 16, 16, 6, 3, 60, 500); }
    }

    /** The candidate re-placed by {@link ByteFit} when that is smaller. */
    static Candidate refine(Candidate c, Options o) { return refine(c, o, true); }

    /**
     * As {@link #refine(Candidate, Options)}; tiles slide in place ({@link ByteFit}) only for pipelined candidates and
     * only when {@code slide}, so the others are refined exactly as before (the pass slides the chosen plan's tiles
     * at the end).
     */
    static Candidate refine(Candidate c, Options o, boolean slide) {
        Plan p = ByteFit.improve(c.plan(), o.placementIterations(), 42, slide && c.splits().stream().anyMatch(x -> x.halo() == Split.Halo.PIPELINE));
        return p == c.plan() ? c : new Candidate(c.splits(), p, p.arenaBytes(), c.macOverheadPct());
    }

    /** A plan tried: its splits, arena and repeated MACs. */
    public record Candidate(List<Split> splits, Plan plan, long arenaBytes, double macOverheadPct) {
        public Candidate {
            splits = List.copyOf(splits);
        }
    }

    /**
     * @param start     the order's plan without splits, placed the same way
     * @param best      the smallest plan within the bound (possibly {@code start})
     * @param tried     every candidate evaluated, for the curve of arena against MAC overhead
     */
    public record Result(Candidate start, Candidate best, List<Tried> tried) {}

    /**
     * What the search keeps of each candidate it evaluated: the splits and figures, not the plan (hundreds of plans
     * of a 224×224 model, each with thousands of tiles, would hold gigabytes).
     */
    public record Tried(List<Split> splits, long arenaBytes, double macOverheadPct) {
        public Tried {
            splits = List.copyOf(splits);
        }

        static Tried of(Candidate c) { return new Tried(c.splits(), c.arenaBytes(), c.macOverheadPct()); }
    }

    /**
     * How paths are drawn, tried one after the other with one budget of evaluations: the greedy loop commits to one
     * path per round, and which paths it sees decides where it ends, so a few ways of drawing them are tried (max
     * path length, paths per kind, paths per first operator).
     */
    static final int[][] PORTFOLIO = {{16, 6, 2}, {12, 8, 2}, {16, 16, 2}, {16, 16, 4}};

    public static Result search(Graph g, List<Integer> order, boolean keepInputs, int alignment, Options o) {
        Candidate start = refine(evaluate(g, order, keepInputs, alignment, List.of()), o);
        List<Tried> tried = new ArrayList<>();
        tried.add(Tried.of(start));
        int[] evaluations = {0, 0};
        Candidate best = start;
        // with a MAC bound, the search without recomputation first, on a budget of its own: a greedy path through
        // recomputed halos may end above it, and a looser bound must never give a larger plan
        List<Options> passes = o.maxMacOverheadPct() > 0
                ? List.of(new Options(0, o.maxPathLength(), o.pathsPerKind(), o.rounds(), o.refined(), o.placementIterations(), o.evaluations()), o) : List.of(o);
        for (Options pass : passes) {
            evaluations[0] = 0;
            evaluations[1] = 0;
            for (int[] way : PORTFOLIO) {
                if (evaluations[0] >= pass.evaluations()) break;
                // the first way places as before sliding tiles existed, the others let pipelined tiles slide: a
                // greedy that takes a pipelined path early for its smaller arena may end above one that did not
                Candidate c = greedy(g, order, keepInputs, alignment, pass, start, Math.min(way[0], pass.maxPathLength()), Math.min(way[1], pass.pathsPerKind()), way[2],
                        tried, evaluations, way != PORTFOLIO[0]);
                if (rank().compare(c, best) < 0) best = c;
            }
        }
        Candidate chain = chains(g, order, keepInputs, alignment, o, start, tried);
        if (chain != null && rank().compare(chain, best) < 0) best = chain;
        return new Result(start, best, tried);
    }

    /**
     * The best verified chain of pipelined paths ({@link PipelineChains}), re-placed by ByteFit, or null; its
     * evaluations are counted apart (one per chain), so the greedy loop's candidates are drawn as without them.
     */
    static Candidate chains(Graph g, List<Integer> order, boolean keepInputs, int alignment, Options o, Candidate start, List<Tried> tried) {
        List<Candidate> found = new ArrayList<>();
        for (List<Split> chain : PipelineChains.chains(g, order)) {
            long t0 = DEBUG ? System.nanoTime() : 0;
            Candidate c = tryEvaluate(g, order, keepInputs, alignment, chain);
            if (DEBUG) System.err.printf("tiling: chain %s -> %s in %.0f ms%n", chain.stream().map(Split::describe).toList(), c == null ? "invalid" : c.arenaBytes() + " B", (System.nanoTime() - t0) / 1e6);
            if (c == null) continue;
            tried.add(Tried.of(c));
            if (c.macOverheadPct() <= o.maxMacOverheadPct() && c.arenaBytes() < start.arenaBytes()) found.add(c);
        }
        // the chains tied with the best by first fit (at most the options' few) are all re-placed by ByteFit: which
        // of them ByteFit packs tighter the first-fit arena does not tell
        found.sort(rank());
        Candidate best = null;
        int refined = 0;
        for (Candidate c : found) {
            if (refined >= o.refined() || (best != null && c.arenaBytes() > found.get(0).arenaBytes())) break;
            if (!bindsEveryOperand(c.plan()) || !PlanVerifier.violations(c.plan()).isEmpty()) continue;
            Candidate r = refine(c, o);
            refined++;
            if (DEBUG) System.err.println("tiling: chain " + c.splits() + " -> " + c.arenaBytes() + ", re-placed " + r.arenaBytes());
            if (best == null || rank().compare(r, best) < 0) best = r;
        }
        return best;
    }

    private static Candidate greedy(Graph g, List<Integer> order, boolean keepInputs, int alignment, Options o, Candidate start,
                                    int maxLength, int paths, int perStart, List<Tried> tried, int[] counter, boolean slide) {
        Candidate best = start;
        int evaluations = counter[0];
        for (int round = 0; round < o.rounds() && evaluations < o.evaluations(); round++) {
            int[] peak = peak(best.plan(), order);
            if (peak == null) break;
            // a peak inside a path already split: that path may be replaced by a longer or different one
            List<Split> base = new ArrayList<>();
            for (Split s : best.splits()) if (s.first() > peak[0] || s.last() < peak[0]) base.add(s);
            List<Candidate> round_ = new ArrayList<>();
            for (Split.Kind kind : SEARCHED) {
                for (PathDiscovery.Path path : PathDiscovery.around(g, order, peak[0], peak[1], base, kind, maxLength, paths, perStart)) {
                    for (Split s : splits(g, order, path, kind, o.maxMacOverheadPct())) {
                        // pipelined halos count on a budget of their own, so that the other candidates are drawn
                        // exactly as without them
                        if (s.halo() == Split.Halo.PIPELINE) {
                            if (counter[1] >= o.evaluations()) continue;
                            counter[1]++;
                        } else {
                            if (evaluations >= o.evaluations()) break;
                            evaluations++;
                        }
                        List<Split> with = new ArrayList<>(base);
                        with.add(s);
                        with.sort(java.util.Comparator.comparingInt(Split::first));
                        long t0 = DEBUG ? System.nanoTime() : 0;
                        Candidate c = tryEvaluate(g, order, keepInputs, alignment, with);
                        if (DEBUG) System.err.printf("tiling: %s -> %s in %.0f ms%n", s.describe(), c == null ? "invalid" : c.arenaBytes() + " B, " + c.macOverheadPct() + " %", (System.nanoTime() - t0) / 1e6);
                        if (c == null) continue;
                        tried.add(Tried.of(c));
                        if (c.macOverheadPct() <= o.maxMacOverheadPct()) round_.add(c);
                    }
                }
            }
            round_.sort(rank());
            // the other partition counts next to the best coarse one, on the same path and halo
            if (!round_.isEmpty()) {
                Candidate top = round_.get(0);
                Split s = top.splits().stream().filter(x -> !base.contains(x)).findFirst().orElse(null);
                if (s != null && s.kind() != Split.Kind.GRID) {
                    for (int n : COUNTS) {
                        if (java.util.Arrays.stream(COARSE).anyMatch(c -> c == n) || evaluations >= o.evaluations() + REFINE_BUDGET) continue;
                        List<Split> with = new ArrayList<>(base);
                        with.add(new Split(s.first(), s.last(), s.kind(), n, 1, s.halo()));
                        with.sort(java.util.Comparator.comparingInt(Split::first));
                        evaluations++;
                        Candidate c = tryEvaluate(g, order, keepInputs, alignment, with);
                        if (c == null) continue;
                        tried.add(Tried.of(c));
                        if (c.macOverheadPct() <= o.maxMacOverheadPct()) round_.add(c);
                    }
                    round_.sort(rank());
                }
            }
            // the best few by first fit are re-placed by ByteFit; the ranking is then by the better placement
            List<Candidate> refined = new ArrayList<>();
            // (the best few with pipelined halos and the best few others apart, so that the others are refined
            // exactly as without them)
            int[] seen = new int[2];
            for (Candidate c : round_) {
                int group = c.splits().stream().anyMatch(x -> x.halo() == Split.Halo.PIPELINE) ? 1 : 0;
                refined.add(seen[group]++ < o.refined() ? refine(c, o, slide) : c);
            }
            round_ = refined;
            round_.sort(rank());
            Candidate next = null;
            for (Candidate c : round_) {
                if (c.arenaBytes() >= best.arenaBytes()) break;
                // the verifier trusts nothing the builder derived; a candidate it refuses is skipped
                if (bindsEveryOperand(c.plan()) && PlanVerifier.violations(c.plan()).isEmpty()) {
                    next = c;
                    break;
                }
            }
            if (next == null) break;
            if (DEBUG) System.err.println("tiling: round takes " + next.splits() + " -> " + next.arenaBytes());
            best = next;
        }
        counter[0] = evaluations;
        return best;
    }

    /** Smallest arena, then fewest repeated MACs, then fewest steps. */
    static Comparator<Candidate> rank() {
        return Comparator.comparingLong(Candidate::arenaBytes).thenComparingDouble(Candidate::macOverheadPct)
                .thenComparingInt(c -> c.plan().stepCount());
    }

    /** Every split of the path: the kind's partition counts and, for bands, each halo treatment the bound allows. */
    static List<Split> splits(Graph g, List<Integer> order, PathDiscovery.Path p, Split.Kind kind, double maxMac) {
        List<Split> out = new ArrayList<>();
        int lastOp = order.get(p.last());
        int[] shape = g.tensor(kind == Split.Kind.INPUT_CHANNELS ? g.ops().get(lastOp).input(0) : g.ops().get(lastOp).output(0)).shape().toArray();
        int extent = shape[kind.dim];
        if (kind == Split.Kind.GRID) {
            if (maxMac <= 0) return out;
            for (int r : GRID) for (int c : GRID) if (r <= shape[1] && c <= shape[2] && (r <= 4 || c <= 4)) out.add(new Split(p.first(), p.last(), kind, r, c, Split.Halo.RECOMPUTE));
            return out;
        }
        List<Integer> counts = new ArrayList<>();
        for (int n : COARSE) if (n < extent) counts.add(n);
        if (extent > 1) counts.add(extent);
        for (int n : counts) {
            if (kind == Split.Kind.CHANNELS || kind == Split.Kind.INPUT_CHANNELS) {
                out.add(new Split(p.first(), p.last(), kind, n, 1, Split.Halo.NONE));
            } else {
                if (maxMac > 0) out.add(new Split(p.first(), p.last(), kind, n, 1, Split.Halo.RECOMPUTE));
                // one operator alone has no intermediate: its bands only let the output land on consumed input rows
                out.add(new Split(p.first(), p.last(), kind, n, 1, Split.Halo.CACHE));
                if (p.last() > p.first()) out.add(new Split(p.first(), p.last(), kind, n, 1, Split.Halo.STREAM));
                if (p.last() > p.first() && kind == Split.Kind.ROWS) out.add(new Split(p.first(), p.last(), kind, n, 1, Split.Halo.PIPELINE));
            }
        }
        return out;
    }

    static Candidate evaluate(Graph g, List<Integer> order, boolean keepInputs, int alignment, List<Split> splits) {
        Plan p = Tiler.build(g, order, keepInputs, splits, alignment);
        return new Candidate(splits, p, p.arenaBytes(), OpCost.overheadPct(p));
    }

    private static Candidate tryEvaluate(Graph g, List<Integer> order, boolean keepInputs, int alignment, List<Split> splits) {
        try {
            return evaluate(g, order, keepInputs, alignment, splits);
        } catch (RuntimeException e) {
            // a split the path's operators cannot take (a region a kernel cannot compute, a halo outside the tile)
            return null;
        }
    }

    /** The position in the order of the operator whose step has the most live SRAM bytes (per byte), and those bytes. */
    static int[] peak(Plan p, List<Integer> order) {
        long[] live = new long[p.stepCount()];
        for (Liveness.Live r : Liveness.of(p).rects()) {
            if (!r.bank().equals(Bank.SRAM)) continue;
            for (int s = Math.max(0, r.first()); s <= Math.min(r.last(), live.length - 1); s++) live[s] += r.hi() - r.lo();
        }
        int best = -1;
        for (int s = 0; s < live.length; s++) if (best < 0 || live[s] > live[best]) best = s;
        if (best < 0) return null;
        Step step = p.step(best);
        int op = step.op();
        for (int s = best; op < 0 && s < p.stepCount(); s++) op = p.step(s).op();
        int pos = order.indexOf(op);
        return pos < 0 ? null : new int[] {pos, (int) Math.min(Integer.MAX_VALUE, live[best])};
    }

    /**
     * Every step names a buffer for each operand that is neither constant nor state (the verifier reads liveness
     * from what steps access, so a step reading an empty region with no buffer bound passes it but cannot run).
     */
    static boolean bindsEveryOperand(Plan p) {
        Graph g = p.graph();
        for (int s = 0; s < p.stepCount(); s++) {
            Step st = p.step(s);
            if (st.kind() != io.tinyfit.plan.StepKind.COMPUTE || st.op() < 0) continue;
            List<Integer> ins = g.ops().get(st.op()).inputs();
            for (int i = 0; i < ins.size(); i++) {
                int t = ins.get(i);
                if (t < 0 || g.tensor(t).isConstant() || g.tensor(t).variable()) continue;
                if (i >= st.inputs().size() || st.inputs().get(i) < 0) return false;
            }
        }
        return true;
    }
}
