package io.tinyfit.spill;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code split} (TinyMo): splits separable convolution chains whose expanded tensor makes the SRAM peak into channel
 * groups ({@link Split}): expand convolution → depthwise convolution run group by group, the depthwise output written
 * in place into its whole tensor (int8 or float: no addition changes order), or, where a project convolution
 * follows, the depthwise output also per group with the project convolution adding int32 partial sums into an
 * accumulator (integer models only: partial sums reorder float additions). The accumulator is a planned buffer
 * (four bytes per output element), so a split pays for it honestly and is kept only when the arena shrinks.
 *
 * <p>The search is greedy and measured: each round tries every chain at a position where the working set peaks, in
 * 2, 4, 8, 16 and 32 groups and both forms, builds and places each plan ({@link SpillPlans}) and keeps the smallest
 * arena, until no split shrinks it. Cost: {@link Pass.Cost#TINYFIT_RUNTIME}, since steps over channel groups and
 * partial sums are not stock TFLM; no multiply-accumulate is repeated and nothing moves between banks.
 */
public final class SplitPass implements Pass {
    public static final String NAME = "split";
    public static final int RANK = RANK_OVERLAP + 20;
    private static final int[] GROUPS = {2, 4, 8, 16, 32};

    /** The split pass's plan, the whole-operator plan it came from and its splits: {@code spill} builds on them. */
    public record Decision(Plan base, List<Split> splits, Plan result) {}

    /** What split did, for the report. */
    public record Summary(long arenaBefore, long arenaAfter, List<String> splits) {}

    private Summary summary;

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK; }

    @Override public Cost cost() { return Cost.TINYFIT_RUNTIME; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        if (!plan.isWholeOperators()) return Outcome.unchanged(plan);
        List<Split> splits = search(plan, ctx);
        if (splits.isEmpty()) {
            summary = new Summary(plan.arenaBytes(), plan.arenaBytes(), List.of());
            return Outcome.unchanged(plan);
        }
        SpillPlans.Built fin = SpillPlans.build(plan, List.of(), splits, List.of(), SpillPlans.Effort.FULL, ctx.layout(), "split-" + splits.size());
        if (fin.plan().arenaBytes() >= plan.arenaBytes()) {
            summary = new Summary(plan.arenaBytes(), plan.arenaBytes(), List.of());
            return Outcome.unchanged(plan);
        }
        summary = new Summary(plan.arenaBytes(), fin.plan().arenaBytes(), splits.stream().map(s -> describe(plan, s)).toList());
        ctx.share(Decision.class, new Decision(plan, splits, fin.plan()));
        return new Outcome(fin.plan(), null);
    }

    @Override public Summary explain(Plan chosen, PassContext ctx) { return summary; }

    static String describe(Plan plan, Split s) {
        Graph g = plan.graph();
        Op e = g.ops().get(plan.order().get(s.expand()));
        return g.tensor(e.output(0)).label() + " in " + s.groups() + " groups" + (s.project() ? " with int32 partial sums of the project conv" : ", depthwise output in place");
    }

    /** The splits of the greedy search over {@code plan}'s order (empty when none shrinks its arena). */
    public static List<Split> search(Plan plan, PassContext ctx) {
        List<Split> chosen = new ArrayList<>();
        SpillPlans.Built cur = SpillPlans.build(plan, List.of(), chosen, List.of(), SpillPlans.Effort.QUICK, ctx.layout(), "split");
        long start = cur.plan().arenaBytes();
        int n = plan.order().size();
        while (true) {
            long[] live = cur.liveByPosition(n);
            long peak = 0;
            for (long x : live) peak = Math.max(peak, x);
            SpillPlans.Built best = null;
            Split bestSplit = null;
            for (Split c : candidates(plan, chosen, live, peak)) {
                List<Split> with = new ArrayList<>(chosen);
                with.add(c);
                SpillPlans.Built b = SpillPlans.build(plan, List.of(), with, List.of(), SpillPlans.Effort.QUICK, ctx.layout(), "split");
                if (b.plan().arenaBytes() < (best == null ? cur.plan().arenaBytes() : best.plan().arenaBytes())) {
                    best = b;
                    bestSplit = c;
                }
            }
            if (best == null) break;
            chosen.add(bestSplit);
            cur = best;
        }
        return cur.plan().arenaBytes() < start ? chosen : List.of();
    }

    /** Every chain form and group count at a peak position, not overlapping a chosen split. */
    static List<Split> candidates(Plan plan, List<Split> chosen, long[] live, long peak) {
        Graph g = plan.graph();
        List<Integer> order = plan.order();
        List<Split> out = new ArrayList<>();
        for (int p = 0; p + 1 < order.size(); p++) {
            for (boolean pad : new boolean[] {false, true}) {
                for (boolean project : new boolean[] {false, true}) {
                    Split form = new Split(p, project, 2, pad);
                    int len = form.length();
                    if (p + len > order.size() || !chain(g, order, form)) continue;
                    boolean peaks = false;
                    for (int k = p; k < p + len; k++) peaks |= live[k] == peak;
                    if (!peaks) continue;
                    boolean clash = false;
                    for (Split s : chosen) clash |= p < s.expand() + s.length() && s.expand() < p + len;
                    if (clash) continue;
                    int channels = g.tensor(g.ops().get(order.get(p)).output(0)).shape().fromEnd(1);
                    for (int groups : GROUPS) if (groups <= channels) out.add(new Split(p, project, groups, pad));
                }
            }
        }
        return out;
    }

    /** Whether the positions of {@code s} are a conv → (pad →) depthwise (→ conv) chain this pass can split. */
    static boolean chain(Graph g, List<Integer> order, Split s) {
        int p = s.expand();
        Op e = g.ops().get(order.get(p));
        if (!e.kind().equals("CONV_2D") || g.tensor(e.input(0)).dtype() != g.tensor(e.output(0)).dtype()) return false;
        int t = e.output(0);
        if (s.pad()) {
            // a PAD of height and width only: the channels pass through, so a channel group pads alone
            Op pad = g.ops().get(order.get(p + 1));
            if (!pad.kind().equals("PAD") || pad.input(0) != t || !onlyUse(g, order.get(p + 1), t)
                    || g.tensor(pad.output(0)).shape().rank() != 4 || g.tensor(pad.output(0)).shape().fromEnd(1) != g.tensor(t).shape().fromEnd(1)) return false;
            t = pad.output(0);
        }
        Op d = g.ops().get(order.get(s.depthwise()));
        if (!d.kind().equals("DEPTHWISE_CONV_2D") || d.input(0) != t || !onlyUse(g, order.get(s.depthwise()), t)) return false;
        if (g.tensor(d.output(0)).shape().fromEnd(1) != g.tensor(t).shape().fromEnd(1)) return false; // multiplier 1
        if (!s.project()) return true;
        Op c = g.ops().get(order.get(s.depthwise() + 1));
        int dt = d.output(0);
        if (!c.kind().equals("CONV_2D") || c.input(0) != dt || !onlyUse(g, order.get(s.depthwise() + 1), dt)) return false;
        // int8 partial sums only, and no grouped project conv
        return g.tensor(dt).dtype() == DType.INT8 && g.tensor(c.input(1)).shape().fromEnd(1) == g.tensor(dt).shape().fromEnd(1);
    }

    /** Tensor t is read by operator {@code reader} alone and is no graph output. */
    private static boolean onlyUse(Graph g, int reader, int t) {
        return onlyReader(g, t) == reader && !g.outputs().contains(t);
    }

    /** The one operator reading tensor t, or -1 when none or several do. */
    private static int onlyReader(Graph g, int t) {
        int reader = -1;
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            for (int x : op.inputs()) {
                if (x != t) continue;
                if (reader >= 0 && reader != i) return -1;
                reader = i;
            }
        }
        return reader;
    }
}
