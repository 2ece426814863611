package io.tinyfit.spill;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code spill} (TinyMo): moves tensors that are live at the SRAM peak but idle there to a slower memory for their
 * cold range (the interval between two consecutive uses) and fetches them back before the next use, or, in a mapped
 * memory, lets the later readers read them in place.
 *
 * <p>The search is greedy and measured: each round takes the positions of the order where the SRAM working set
 * peaks, tries every cold range of a tensor covering one of them (the plan built and placed, see {@link SpillPlans}),
 * and keeps the one with the most arena saved per nanosecond of transfer. With an SRAM budget it stops once the
 * arena fits and then drops every spill the fit does not need, dearest first, so the transfer time is the least this
 * search finds for the budget; without one it spills while the arena shrinks. No plan exceeds the transfer bound.
 * The final plan's SRAM is placed by the layout suite (its exact solver included). A plan that does not beat the
 * plan it was given is not returned.
 */
public final class SpillPass implements Pass {
    public static final String NAME = "spill";
    /** After the order and placement passes and DMO: it re-plans the order it is given. */
    public static final int RANK = RANK_OVERLAP + 40;
    private static final int MAX_ROUNDS = 64;
    private static final int MAX_FLAT_ROUNDS = 3;

    private final SpillOptions options;
    private SpillSummary summary;

    public SpillPass(SpillOptions options) { this.options = options; }

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK; }

    @Override public Cost cost() { return Cost.TRANSFER; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        Plan base = plan;
        List<Split> splits = List.of();
        var decision = ctx.shared(SplitPass.Decision.class);
        if (decision.isPresent() && decision.get().result() == plan) {
            base = decision.get().base();
            splits = decision.get().splits();
        }
        if (!base.isWholeOperators()) return Outcome.unchanged(plan);
        if (options.hasBudget() && plan.arenaBytes() <= options.sramBudget()) {
            // the plan already fits: the least transfer time meeting the budget is none
            summary = new SpillSummary(options.memories().stream().map(Memory::spec).toList(), plan.arenaBytes(), plan.arenaBytes(), options.sramBudget(),
                    List.of(), 0, 0, 0, Map.of(), "the plan it was given meets the SRAM budget without spilling");
            return Outcome.unchanged(plan);
        }
        Search s = new Search(base, splits, ctx);
        SpillPlans.Built best = s.run();
        SpillPlans.Built fin = SpillPlans.build(base, s.chosen, splits, options.memories(), SpillPlans.Effort.FULL, ctx.layout(), planner(s.chosen));
        if (fin.plan().arenaBytes() > best.plan().arenaBytes()) fin = best;
        summary = summarise(plan, fin, s.chosen, null);
        if (s.chosen.isEmpty() || fin.plan().arenaBytes() >= plan.arenaBytes()) {
            summary = summarise(plan, fin, s.chosen, s.chosen.isEmpty() ? "no spill shrinks the SRAM arena" : "spilling does not beat the plan it was given");
            return Outcome.unchanged(plan);
        }
        return new Outcome(fin.plan(), null);
    }

    @Override public SpillSummary explain(Plan chosen, PassContext ctx) { return summary; }

    private String planner(List<Spill> spills) { return "spill-" + spills.size(); }

    private SpillSummary summarise(Plan given, SpillPlans.Built b, List<Spill> spills, String note) {
        Graph g = b.plan().graph();
        List<SpillSummary.Moved> moved = new ArrayList<>();
        for (Spill s : spills) moved.add(new SpillSummary.Moved(g.tensor(s.tensor()).label(), g.tensor(s.tensor()).bytes(), s.after(), s.before(), s.memory(), s.mapped()));
        Map<String, Long> banks = new LinkedHashMap<>();
        for (Bank k : b.plan().banks()) if (!k.name().equals(Bank.SRAM)) banks.put(k.name(), k.bytes());
        return new SpillSummary(options.memories().stream().map(Memory::spec).toList(), given.arenaBytes(), b.plan().arenaBytes(), options.sramBudget(),
                moved, b.transferBytes(), b.transferMs(), b.directMs(), banks, note);
    }

    /** One greedy search over one order. */
    private final class Search {
        final Plan base;
        final List<Split> splits;
        final PassContext ctx;
        final List<Integer> order;
        final Set<Integer> inside = new HashSet<>();
        List<Spill> chosen = new ArrayList<>();

        Search(Plan base, List<Split> splits, PassContext ctx) {
            this.base = base;
            this.splits = splits;
            this.ctx = ctx;
            this.order = base.order();
            Graph g = base.graph();
            // a split chain's intermediates live inside its steps: never spill them
            for (Split s : splits) {
                for (int k = 0; k < s.length() - 1; k++) inside.add(g.ops().get(order.get(s.expand() + k)).output(0));
            }
        }

        SpillPlans.Built build(List<Spill> spills) {
            return SpillPlans.build(base, spills, splits, options.memories(), SpillPlans.Effort.QUICK, ctx.layout(), planner(spills));
        }

        boolean admissible(SpillPlans.Built b) {
            return b.fits() && b.transferMs() + b.directMs() <= options.maxTransferMs();
        }

        boolean meets(SpillPlans.Built b) { return options.hasBudget() && b.plan().arenaBytes() <= options.sramBudget(); }

        SpillPlans.Built run() {
            SpillPlans.Built cur = build(chosen);
            SpillPlans.Built best = cur;
            int flat = 0;
            for (int round = 0; round < MAX_ROUNDS && !meets(cur); round++) {
                long[] live = cur.liveByPosition(order.size());
                long peak = 0;
                for (long x : live) peak = Math.max(peak, x);
                SpillPlans.Built pick = null;
                Spill pickSpill = null;
                double pickScore = 0;
                for (Spill c : candidates(live, peak)) {
                    List<Spill> with = new ArrayList<>(chosen);
                    with.add(c);
                    SpillPlans.Built b = build(with);
                    if (!admissible(b)) continue;
                    long gain = cur.plan().arenaBytes() - b.plan().arenaBytes();
                    long liveGain = peak - max(b.liveByPosition(order.size()));
                    double time = b.transferNanos() + b.directNanos() - cur.transferNanos() - cur.directNanos() + 1;
                    // arena saved per nanosecond first; a flat move (working set down, arena not yet) scores below any saving
                    double score = gain > 0 ? 1e6 + gain / time : liveGain > 0 ? liveGain / time : 0;
                    if (score > pickScore) {
                        pickScore = score;
                        pick = b;
                        pickSpill = c;
                    }
                }
                if (pick == null) break;
                flat = pick.plan().arenaBytes() < cur.plan().arenaBytes() ? 0 : flat + 1;
                if (flat > MAX_FLAT_ROUNDS) break;
                chosen.add(pickSpill);
                cur = pick;
                if (cur.plan().arenaBytes() < best.plan().arenaBytes()) best = cur;
            }
            // keep the spills up to the smallest arena reached
            while (best != cur && !chosen.isEmpty()) {
                chosen.remove(chosen.size() - 1);
                cur = build(chosen);
                if (cur.plan().arenaBytes() <= best.plan().arenaBytes()) best = cur;
            }
            if (meets(cur)) {
                // drop what the budget does not need, dearest first
                List<Spill> byCost = new ArrayList<>(chosen);
                byCost.sort(Comparator.comparingLong((Spill s) -> -base.graph().tensor(s.tensor()).bytes()));
                for (Spill s : byCost) {
                    List<Spill> without = new ArrayList<>(chosen);
                    without.remove(s);
                    SpillPlans.Built b = build(without);
                    if (meets(b)) {
                        chosen = without;
                        cur = b;
                    }
                }
            }
            return cur;
        }

        /** Cold ranges of tensors not yet spilled that cover a position where the SRAM working set peaks. */
        List<Spill> candidates(long[] live, long peak) {
            Graph g = base.graph();
            Set<Integer> spilled = new HashSet<>();
            for (Spill s : chosen) spilled.add(s.tensor());
            List<Spill> out = new ArrayList<>();
            Map<Integer, Buffer> planned = base.tensorBuffers();
            for (int t : planned.keySet()) {
                if (spilled.contains(t) || inside.contains(t) || g.outputs().contains(t) || planned.get(t).bytes() == 0) continue;
                List<Integer> uses = SpillPlans.uses(g, order, t);
                for (int k = 0; k + 1 < uses.size(); k++) {
                    int a = uses.get(k), b = uses.get(k + 1);
                    if (a < 0 || b - a < 2 || inSplit(a + 1, b)) continue;
                    boolean coversPeak = false;
                    for (int p = a + 1; p < b; p++) coversPeak |= live[p] == peak;
                    // a fused fetch also lowers the peak at its reader
                    boolean stream = k + 2 == uses.size() && streamable(g, order.get(b), t);
                    if (!coversPeak && !(stream && live[b] == peak)) continue;
                    for (Memory m : options.memories()) {
                        if (coversPeak || m.mapped()) out.add(new Spill(t, a, b, m.name(), m.mapped()));
                        if (m.mapped() || !stream) continue;
                        int rows = g.tensor(g.ops().get(order.get(b)).output(0)).shape().dim(1);
                        for (int parts : STREAM_PARTS) if (parts <= rows) out.add(new Spill(t, a, b, m.name(), false, parts));
                    }
                }
            }
            return out;
        }

        /** A cold range may not end inside a split chain (its first position is the chain's only outside reader). */
        boolean inSplit(int from, int to) {
            for (Split s : splits) if (to > s.expand() && to < s.expand() + s.length()) return true;
            return false;
        }
    }

    /** Readers a fused fetch can run in row bands: 4-D output, the tensor read once, a kernel computing any output region. */
    static boolean streamable(Graph g, int opIndex, int t) {
        var op = g.ops().get(opIndex);
        if (!STREAMABLE.contains(op.kind()) || op.outputs().size() != 1 || g.tensor(op.output(0)).shape().rank() != 4) return false;
        return op.inputs().stream().filter(x -> x == t).count() == 1 && g.tensor(t).shape().rank() == 4;
    }

    private static final Set<String> STREAMABLE = Set.of("ADD", "SUB", "MUL", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D");
    private static final int[] STREAM_PARTS = {4, 16};

    private static long max(long[] a) {
        long m = 0;
        for (long x : a) m = Math.max(m, x);
        return m;
    }
}
