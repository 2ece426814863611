package io.tinyfit.spill;

import io.tinyfit.layout.GreedyBySizeBestFit;
import io.tinyfit.layout.Layout;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.PathSlices;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;
import io.tinyfit.plan.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the plan of an operator order with some tensors spilled ({@link Spill}) and some separable chains split
 * ({@link Split}): whole-operator compute steps, a copy into the slower memory after the use that opens a cold range
 * (only the first time: a tensor never changes, so its copy there stays good for later ranges), a copy back into a
 * fresh SRAM buffer before the use that closes it (none for a mapped memory, whose readers read it in place), and the
 * split chains as per-group steps. Every operand is bound explicitly to the buffer holding its tensor at that point,
 * so nothing can read a spilled tensor from SRAM. Lifetimes come from the steps; the SRAM buffers are then placed
 * by the better of a per-byte first fit and a layout planner over whole-buffer lifetimes, the slower memories by
 * first fit, each slower bank sized to exactly what it holds.
 */
public final class SpillPlans {
    private SpillPlans() {}

    /** How hard the SRAM placement tries: a quick greedy while searching, the layout suite (exact solver) at the end. */
    public enum Effort { QUICK, FULL }

    /**
     * A built plan and its estimated costs.
     *
     * @param transferNanos time of the copies between banks per inference
     * @param directNanos   time the readers of mapped memories spend reading there (each reader reads the tensor once: a
     *                      lower bound, kernels with overlapping windows read some bytes more than once)
     * @param positionOfStep for each step, the position in the operator order it belongs to
     * @param fits          every slower memory holds what the plan puts there
     */
    public record Built(Plan plan, double transferNanos, double directNanos, long transferBytes, int[] positionOfStep, boolean fits) {
        public double transferMs() { return transferNanos / 1e6; }

        public double directMs() { return directNanos / 1e6; }

        /** SRAM bytes live at each position of the order (the largest over its steps). */
        public long[] liveByPosition(int positions) {
            long[] live = new long[positions];
            for (int s = 0; s < plan.stepCount(); s++) {
                int p = positionOfStep[s];
                live[p] = Math.max(live[p], plan.liveBytes(s));
            }
            return live;
        }
    }

    /**
     * The plan of {@code base}'s operator order with the given spills and splits. {@code base} must be a plan of whole
     * operators; its buffers say which tensors are planned (constants, state and unplanned outputs are not).
     */
    public static Built build(Plan base, List<Spill> spills, List<Split> splits, List<Memory> memories, Effort effort, PlannerSuite.Options layout,
                              String planner) {
        Graph g = base.graph();
        List<Integer> order = base.order();
        int n = order.size();
        Map<String, Memory> memory = new LinkedHashMap<>();
        for (Memory m : memories) memory.put(m.name(), m);
        Map<Integer, Buffer> planned = base.tensorBuffers();

        PlanBuilder pb = new PlanBuilder(g, base.alignment()).keepInputs(base.keepInputs());
        for (Spill s : spills) if (!memory.containsKey(s.memory())) throw new IllegalArgumentException("spill to unknown memory " + s.memory());
        for (Memory m : memory.values()) if (spills.stream().anyMatch(s -> s.memory().equals(m.name()))) pb.bank(m.name(), Long.MAX_VALUE / 8);

        Map<Integer, Integer> current = new HashMap<>(); // tensor -> buffer its readers read now
        Map<Integer, Integer> slow = new HashMap<>();    // tensor -> its copy in a slower memory
        for (int t : g.inputs()) if (planned.containsKey(t)) current.put(t, pb.tensor(t));
        Map<Integer, Split> splitAt = new HashMap<>();
        for (Split s : splits) splitAt.put(s.expand(), s);

        List<Integer> positions = new ArrayList<>();
        double transfer = 0, direct = 0;
        long moved = 0;
        int p = 0;
        while (p < n) {
            Split split = splitAt.get(p);
            int blockEnd = split == null ? p : p + split.length() - 1;
            // fetches of tensors whose cold range ends at this block
            for (Spill s : spills) {
                if (s.before() < p || s.before() > blockEnd || s.mapped() || s.streamed()) continue;
                int fetched = pb.tensor(s.tensor());
                pb.copy(null, slow.get(s.tensor()), fetched);
                positions.add(p);
                current.put(s.tensor(), fetched);
                long bytes = g.tensor(s.tensor()).bytes();
                transfer += memory.get(s.memory()).transferNanos(bytes);
                moved += bytes;
            }
            int before = pb.stepCount();
            if (split == null) {
                int opIndex = order.get(p);
                Op op = g.ops().get(opIndex);
                List<Integer> in = inputs(g, op, current);
                for (Spill s : spills) {
                    if (s.mapped() && s.before() <= p && op.inputs().contains(s.tensor())) direct += memory.get(s.memory()).transferNanos(g.tensor(s.tensor()).bytes());
                }
                List<Integer> out = new ArrayList<>();
                for (int t : op.outputs()) {
                    if (t >= 0 && planned.containsKey(t)) {
                        int b = pb.tensor(t);
                        current.put(t, b);
                        out.add(b);
                    } else out.add(-1);
                }
                List<Spill> streamed = spills.stream().filter(s -> s.before() == blockEnd && s.streamed()).toList();
                if (streamed.isEmpty()) pb.step(Step.compute(opIndex, in, out));
                else {
                    // the fused fetch: the reader in row bands, each fetching only the rows of the spilled tensors it reads
                    var kernel = io.tinyfit.kernels.KernelRegistry.forOp(g, opIndex);
                    Region whole = Region.whole(g.tensor(op.output(0)).shape());
                    for (Region band : PathSlices.split(whole, 1, streamed.get(0).parts())) {
                        List<Region> need = kernel.inputRegions(g, op, band);
                        List<Integer> bandIn = new ArrayList<>(in);
                        for (Spill s : streamed) {
                            int operand = op.inputs().indexOf(s.tensor());
                            Region r = need.get(operand);
                            int tile = pb.region(s.tensor(), r);
                            pb.copy(r, slow.get(s.tensor()), tile);
                            long bytes = r.elements() * g.tensor(s.tensor()).dtype().bytes();
                            transfer += memory.get(s.memory()).transferNanos(bytes);
                            moved += bytes;
                            bandIn.set(operand, tile);
                        }
                        pb.step(Step.compute(opIndex, band, bandIn, out));
                    }
                }
            } else {
                addSplit(pb, g, order, split, current, planned);
            }
            for (int s = before; s < pb.stepCount(); s++) positions.add(blockEnd);
            // spills of tensors whose cold range starts at this block
            for (Spill s : spills) {
                if (s.after() < p || s.after() > blockEnd) continue;
                int t = s.tensor();
                if (!slow.containsKey(t)) {
                    int out = pb.tensor(t);
                    pb.inBank(out, s.memory());
                    pb.copy(null, current.get(t), out);
                    positions.add(blockEnd);
                    slow.put(t, out);
                    long bytes = g.tensor(t).bytes();
                    transfer += memory.get(s.memory()).transferNanos(bytes);
                    moved += bytes;
                }
                if (s.mapped()) current.put(t, slow.get(t));
                else current.remove(t);
            }
            p = blockEnd + 1;
        }
        int[] positionOfStep = positions.stream().mapToInt(Integer::intValue).toArray();
        Plan first = pb.build(planner);
        Plan placed = improveSram(pb, first, effort, layout, planner);
        // each slower bank exactly as large as what it holds
        List<Bank> banks = new ArrayList<>();
        boolean fits = true;
        for (Bank b : placed.banks()) {
            if (b.name().equals(Bank.SRAM)) {
                banks.add(b);
                continue;
            }
            long used = 0;
            for (Buffer x : placed.buffers()) if (x.bank().equals(b.name())) used = Math.max(used, x.end());
            banks.add(new Bank(b.name(), used));
            if (used > memory.get(b.name()).bytes()) fits = false;
        }
        Plan plan = new Plan(g, placed.steps(), placed.buffers(), banks, placed.alignment(), planner, List.of(), placed.keepInputs());
        return new Built(plan, transfer, direct, moved, positionOfStep, fits);
    }

    /** The operands of op bound to the buffers now holding their tensors (-1 for constants, state, omitted operands). */
    private static List<Integer> inputs(Graph g, Op op, Map<Integer, Integer> current) {
        List<Integer> in = new ArrayList<>();
        for (int t : op.inputs()) {
            if (t < 0) in.add(-1);
            else {
                Tensor x = g.tensor(t);
                in.add(x.isConstant() || x.variable() ? -1 : current.getOrDefault(t, -1));
            }
        }
        return in;
    }

    private static void addSplit(PlanBuilder pb, Graph g, List<Integer> order, Split split, Map<Integer, Integer> current, Map<Integer, Buffer> planned) {
        int expandOp = order.get(split.expand());
        int padOp = split.pad() ? order.get(split.expand() + 1) : -1;
        int dwOp = order.get(split.depthwise());
        Op expand = g.ops().get(expandOp);
        Op dw = g.ops().get(dwOp);
        int e = expand.output(0), d = dw.output(0);
        Region wholeE = Region.whole(g.tensor(e).shape());
        Region wholeD = Region.whole(g.tensor(d).shape());
        List<Integer> expandIn = inputs(g, expand, current);
        int acc = -1, projectOp = -1;
        int dWhole = -1;
        if (split.project()) {
            projectOp = order.get(split.depthwise() + 1);
            acc = pb.accumulator(projectOp, null);
        } else {
            dWhole = pb.tensor(d);
        }
        for (Region group : PathSlices.split(wholeE, 3, split.groups())) {
            int lo = group.lo(3), hi = group.hi(3);
            int eBuf = pb.region(e, group);
            pb.step(Step.compute(expandOp, group, expandIn, List.of(eBuf)));
            int dwSource = eBuf;
            if (padOp >= 0) {
                Op pad = g.ops().get(padOp);
                Region padded = Region.whole(g.tensor(pad.output(0)).shape()).with(3, lo, hi);
                int pBuf = pb.region(pad.output(0), padded);
                List<Integer> padIn = new ArrayList<>();
                for (int i = 0; i < pad.inputs().size(); i++) padIn.add(i == 0 ? eBuf : -1);
                pb.step(Step.compute(padOp, padded, padIn, List.of(pBuf)));
                dwSource = pBuf;
            }
            List<Integer> dwIn = new ArrayList<>();
            for (int i = 0; i < dw.inputs().size(); i++) dwIn.add(i == 0 ? dwSource : -1);
            Region dGroup = wholeD.with(3, lo, hi);
            if (split.project()) {
                int dBuf = pb.region(d, dGroup);
                pb.step(Step.compute(dwOp, dGroup, dwIn, List.of(dBuf)));
                Op project = g.ops().get(projectOp);
                List<Integer> pIn = new ArrayList<>();
                for (int i = 0; i < project.inputs().size(); i++) pIn.add(i == 0 ? dBuf : -1);
                pb.step(Step.accumulate(projectOp, null, lo, hi, pIn, acc));
            } else {
                pb.step(Step.compute(dwOp, dGroup, dwIn, List.of(dWhole)));
            }
        }
        if (split.project()) {
            Op project = g.ops().get(projectOp);
            int out = project.output(0);
            int outBuf = planned.containsKey(out) ? pb.tensor(out) : -1;
            List<Integer> none = new ArrayList<>();
            for (int i = 0; i < project.inputs().size(); i++) none.add(-1);
            pb.step(Step.finish(projectOp, null, none, acc, List.of(outBuf)));
            current.put(out, outBuf);
        } else {
            current.put(d, dWhole);
        }
    }

    /**
     * Re-places the SRAM buffers over their whole lifetimes with a layout planner when that beats the per-byte first
     * fit (whole-buffer rectangles contain the per-byte ones, so the result is as safe).
     */
    private static Plan improveSram(PlanBuilder pb, Plan first, Effort effort, PlannerSuite.Options layoutOptions, String planner) {
        List<Buffer> sram = first.buffers().stream().filter(b -> b.bank().equals(Bank.SRAM)).toList();
        LayoutProblem.Builder lb = LayoutProblem.builder(first.alignment());
        for (Buffer b : sram) lb.addBuffer(b.bytes(), b.firstStep(), b.lastStep());
        LayoutProblem problem = lb.build();
        Layout layout = effort == Effort.FULL ? PlannerSuite.run(problem, layoutOptions).best() : problem.feedInto(new GreedyBySizeBestFit(first.alignment())).layout();
        if (layout.arenaSize() >= first.arenaBytes()) return first;
        for (Buffer b : first.buffers()) pb.at(b.id(), b.offset());
        for (int i = 0; i < sram.size(); i++) pb.at(sram.get(i).id(), layout.offset(i));
        return pb.build(planner);
    }

    /** The positions in {@code order} where tensor t is used (read or, first, produced; -1 for a graph input). */
    public static List<Integer> uses(Graph g, List<Integer> order, int t) {
        List<Integer> uses = new ArrayList<>();
        if (g.inputs().contains(t)) uses.add(-1);
        for (int p = 0; p < order.size(); p++) {
            Op op = g.ops().get(order.get(p));
            if (op.inputs().contains(t) || op.outputs().contains(t)) uses.add(p);
        }
        return uses;
    }

    static Optional<Memory> memory(List<Memory> memories, String name) {
        return memories.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
