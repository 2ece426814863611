package io.tinyfit.partial;

import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.ChannelSlices;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code partial}: partial execution (Pex, Liberis and Lane 2022). Finds the channel-sliceable regions of the plan's
 * operator order ({@link RegionFinder}), and from the plan's memory peak on, picks for the regions live at the peak
 * the slice count and ending (int32 accumulation or in place) whose plan, placed for real ({@link SlicedPlan}), has
 * the smallest arena; re-plans and repeats until the arena stops falling. The MACs are those of the unsliced model:
 * a slice computes its own output channels once. Its plans run on tinyfit's runtime only (partial sums, region
 * steps). It runs after the order, layout and overlap passes and keeps their plan when it cannot beat it (its own
 * placement does not use DMO's overlaps).
 */
public final class PartialPass implements Pass {
    public static final String NAME = "partial";
    /** After DMO: the pass re-plans the final order with its own placement and keeps the better plan. */
    public static final int RANK = RANK_OVERLAP + 50;
    /** Default narrowest slice, in channels. */
    public static final int MIN_WIDTH = 2;
    private static final int MAX_COUNTS = 4;
    /** Most slices per region: each slice is a few steps and buffers, and the search places every candidate. */
    public static final int MAX_SLICES = 64;
    private static final int MAX_EVALUATIONS = 160;

    private final int minWidth;
    private PartialSummary summary;

    public PartialPass() { this(MIN_WIDTH); }

    public PartialPass(int minWidth) { this.minWidth = minWidth; }

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK; }

    @Override public Cost cost() { return Cost.TINYFIT_RUNTIME; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        if (!plan.isWholeOperators()) return Outcome.unchanged(plan);
        Graph g = plan.graph();
        List<Integer> order = plan.order();
        if (GraphPreparation.executionBlocker(g, order).isPresent()) return Outcome.unchanged(plan);
        Search s = search(g, order, plan.keepInputs(), plan.alignment(), minWidth);
        summary = s.summary(plan.arenaBytes());
        return s.best.plan().arenaBytes() < plan.arenaBytes() ? new Outcome(s.best.plan(), null) : Outcome.unchanged(plan);
    }

    @Override public PartialSummary explain(Plan chosen, PassContext ctx) { return summary; }

    /** The search's outcome: the regions, the chosen slice counts and endings, and the best plan. */
    public static final class Search {
        final Graph graph;
        final List<PexRegion> regions;
        final int[] slices;
        final boolean[] inPlace;
        SlicedPlan.Result best;
        int evaluations;

        Search(Graph graph, List<PexRegion> regions) {
            this.graph = graph;
            this.regions = regions;
            this.slices = new int[regions.size()];
            this.inPlace = new boolean[regions.size()];
            Arrays.fill(slices, 1);
        }

        public Plan plan() { return best.plan(); }

        public int evaluationsCount() { return evaluations; }

        public List<PexRegion> regions() { return regions; }

        public int slices(int region) { return slices[region]; }

        public boolean inPlace(int region) { return inPlace[region]; }

        PartialSummary summary(long before) {
            List<PartialSummary.Entry> entries = new ArrayList<>();
            for (int i = 0; i < regions.size(); i++) {
                PexRegion r = inPlace[i] ? regions.get(i).inPlace().orElse(regions.get(i)) : regions.get(i);
                long whole = 0;
                List<Integer> slicedOnly = r.accumulates() ? r.chain() : r.chain().subList(0, r.chain().size() - 1);
                for (int op : slicedOnly) whole = Math.max(whole, graph.tensor(graph.ops().get(op).output(0)).bytes());
                long slice = (whole + slices[i] - 1) / slices[i];
                entries.add(new PartialSummary.Entry(r.ops(), r.describe(graph), r.channels(), slices[i], r.accumulates() ? "accumulate" : "in-place", whole, slice));
            }
            return new PartialSummary(entries, before, best.plan().arenaBytes(), evaluations, null);
        }
    }

    /**
     * The greedy peak-driven search over the regions of {@code order}: round after round, each region (those at the
     * current peak first) takes the slice count and ending that most improves the plan, judged by the placed arena,
     * then by the sum over regions of their own peak (so that a region below the peak still shrinks, for the next
     * round to lower the peak further), then by fewer steps; until a round changes nothing.
     */
    public static Search search(Graph g, List<Integer> order, boolean keepInputs, int alignment, int minWidth) {
        Search s = new Search(g, RegionFinder.find(g, order));
        s.best = evaluate(s, order, s.slices, s.inPlace, keepInputs, alignment);
        long[] bestKey = key(s.best);
        boolean improved = true;
        boolean firstRound = true;
        while (improved && s.evaluations < MAX_EVALUATIONS) {
            improved = false;
            // the first round visits every region, later ones only those at the peak
            List<Integer> regions = atPeak(s);
            if (firstRound) for (int i : allRegions(s)) if (!regions.contains(i)) regions.add(i);
            firstRound = false;
            for (int i : regions) {
                if (s.evaluations >= MAX_EVALUATIONS) break;
                for (boolean ip : s.regions.get(i).inPlace().isPresent() ? new boolean[] {false, true} : new boolean[] {false}) {
                    for (int k : counts(s.regions.get(i).channels(), minWidth)) {
                        if (k == s.slices[i] && ip == s.inPlace[i]) continue;
                        int[] sl = s.slices.clone();
                        boolean[] inp = s.inPlace.clone();
                        sl[i] = k;
                        inp[i] = ip;
                        SlicedPlan.Result r = evaluate(s, order, sl, inp, keepInputs, alignment);
                        long[] rk = key(r);
                        if (java.util.Arrays.compare(rk, bestKey) < 0) {
                            s.best = r;
                            bestKey = rk;
                            s.slices[i] = k;
                            s.inPlace[i] = ip;
                            improved = true;
                        }
                    }
                }
            }
        }
        return s;
    }

    /** The largest slice counts allowed (at most {@link #MAX_SLICES}), where the intermediates are smallest. */
    static List<Integer> counts(int channels, int minWidth) {
        List<Integer> all = new ArrayList<>(ChannelSlices.counts(channels, minWidth, Integer.MAX_VALUE));
        all.removeIf(k -> k > MAX_SLICES);
        return all.subList(Math.max(0, all.size() - MAX_COUNTS), all.size());
    }

    /** Arena, then the sum of the regions' own peaks, then the step count: smaller is better. */
    private static long[] key(SlicedPlan.Result r) {
        Plan p = r.plan();
        long[] live = new long[p.stepCount()];
        for (io.tinyfit.plan.Buffer b : p.buffers()) {
            if (!b.bank().equals(io.tinyfit.plan.Bank.SRAM)) continue;
            for (int st = Math.max(0, b.firstStep()); st <= Math.min(b.lastStep(), live.length - 1); st++) live[st] += b.bytes();
        }
        long sum = 0;
        for (int[] span : r.regionSteps()) {
            if (span == null) continue;
            long m = 0;
            for (int st = span[0]; st <= span[1]; st++) m = Math.max(m, live[st]);
            sum += m;
        }
        return new long[] {p.arenaBytes(), sum, p.stepCount()};
    }

    private static SlicedPlan.Result evaluate(Search s, List<Integer> order, int[] slices, boolean[] inPlace, boolean keepInputs, int alignment) {
        s.evaluations++;
        return SlicedPlan.build(s.graph, order, s.regions, slices, inPlace, keepInputs, alignment, false, NAME + "-first-fit");
    }

    private static List<Integer> allRegions(Search s) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < s.regions.size(); i++) all.add(i);
        return all;
    }

    /** Regions whose steps include a step of the current plan's largest live total. */
    private static List<Integer> atPeak(Search s) {
        Plan p = s.best.plan();
        long peak = p.peakLiveBytes();
        List<Integer> out = new ArrayList<>();
        for (int st = 0; st < p.stepCount(); st++) {
            if (p.liveBytes(st) != peak) continue;
            for (int i = 0; i < s.regions.size(); i++) {
                int[] span = s.best.regionSteps().get(i);
                if (span != null && span[0] <= st && st <= span[1] && !out.contains(i)) out.add(i);
            }
        }
        return out;
    }

    static long bytes(Tensor t) { return t.bytes(); }
}
