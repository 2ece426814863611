package io.tinyfit.schedule;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.TflmBaseline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory-minimising operator order found by exhaustive, memoised search (Liberis &amp; Lane, "Neural networks on
 * microcontrollers: saving memory at inference via operator reordering"; the same recursion as Serenity's DP).
 *
 * <p>A state is the set of executed operators. Everything live while the next operator runs depends only on
 * that set (see {@link MemoryModel}), so {@code best(E) = min over ready ops o of max(step(E, o), best(E + o))}
 * is exact, and memoising it visits each downward-closed set of the DAG once. A chain of operators adds only
 * linearly many such sets; parallel branches multiply them, which is what the budget guards against.
 *
 * <p>Two tiers:
 * <ol>
 *   <li>every operator is its own unit: the result is {@link Status#OPTIMAL};</li>
 *   <li>when that exceeds the budget, each maximal chain (an op whose only successor has it as only
 *       predecessor) becomes one unit run back to back, which shrinks parallel branches to single nodes. The
 *       result is optimal among orders that never interleave inside a chain: {@link
 *       Status#OPTIMAL_CONTIGUOUS_CHAINS}. It is not optimal in general: a chain that expands memory late in its
 *       length can be worth pausing while another branch runs.</li>
 * </ol>
 * Ties are broken towards file order: among equally good next units the one whose first operator comes first in
 * the file is taken.
 */
public final class ExactScheduler {

    public static final long DEFAULT_MAX_STATES = 1_000_000;
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(4);

    private ExactScheduler() {
    }

    /**
     * Limits for one search; each tier gets {@code maxStates} memoised states and half of {@code timeLimit}
     * (the second tier also inherits whatever the first left unused).
     */
    public record Budget(long maxStates, Duration timeLimit) {
        public Budget {
            if (maxStates < 1) throw new IllegalArgumentException("maxStates must be >= 1: " + maxStates);
            if (timeLimit.isNegative()) throw new IllegalArgumentException("negative time limit");
        }

        public static Budget defaults() {
            return new Budget(DEFAULT_MAX_STATES, DEFAULT_TIME_LIMIT);
        }
    }

    public enum Status {
        /** The order has the least peak working set of all valid orders. */
        OPTIMAL,
        /** Least peak among orders that run each operator chain without interruption (tier 2). */
        OPTIMAL_CONTIGUOUS_CHAINS,
        /** Both tiers ran out of states or time; no order. */
        BUDGET_EXCEEDED;

        public boolean completed() {
            return this != BUDGET_EXCEEDED;
        }
    }

    /**
     * @param status         how the search ended
     * @param order          the order with the least peak, each step also choosing the least remaining peak;
     *                       empty when the budget was exceeded
     * @param fileTiesOrder  an order with the same peak that stays in file order wherever the peak allows
     *                       (the two can have different placed arenas); empty when the budget was exceeded
     * @param peak           the peak working set of both orders ({@link Liveness#peak()}, less the bytes overlap
     *                       pairs share when an {@link OverlapModel} was given); -1 when exceeded
     * @param units          scheduling units of the tier that finished (or of the last tier tried)
     * @param states         memoised states over all tiers tried
     * @param elapsed        wall time over all tiers tried
     */
    public record Result(Status status, List<Integer> order, List<Integer> fileTiesOrder, long peak, int units,
                         long states, Duration elapsed) {
        public Result {
            order = List.copyOf(order);
            fileTiesOrder = List.copyOf(fileTiesOrder);
        }
    }

    public static Result schedule(Graph g) {
        return schedule(g, Budget.defaults());
    }

    public static Result schedule(Graph g, Budget budget) {
        return schedule(g, budget, TflmBaseline.TFLM_ALIGNMENT);
    }

    public static Result schedule(Graph g, Budget budget, int alignment) {
        return schedule(g, budget, alignment, OverlapModel.NONE);
    }

    /**
     * Minimises the peak with overlap credit: an operator's step shares bytes with the inputs it reads last (see
     * {@link MemoryModel}), so branch orders that make such an operator the last reader can win.
     */
    public static Result schedule(Graph g, Budget budget, int alignment, OverlapModel overlaps) {
        return schedule(g, budget, alignment, overlaps, false);
    }

    /** The same with the graph inputs resident to the end when {@code keepInputs} (see {@link MemoryModel}). */
    public static Result schedule(Graph g, Budget budget, int alignment, OverlapModel overlaps, boolean keepInputs) {
        long started = System.nanoTime();
        OpDag dag = OpDag.of(g);
        MemoryModel model = new MemoryModel(g, alignment, overlaps, keepInputs);
        long deadline = started + budget.timeLimit().toNanos() / 2;
        Search single = new Search(model, dag, singletons(dag), budget.maxStates(), deadline);
        if (single.run()) {
            return single.result(Status.OPTIMAL, single.states(), started);
        }
        int[][] chains = chains(dag);
        if (chains.length == dag.size()) {
            // no chain to merge: the second tier would repeat the first
            return new Result(Status.BUDGET_EXCEEDED, List.of(), List.of(), -1, chains.length, single.states(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
        Search merged = new Search(model, dag, chains, budget.maxStates(), started + budget.timeLimit().toNanos());
        long states = single.states();
        if (merged.run()) {
            return merged.result(Status.OPTIMAL_CONTIGUOUS_CHAINS, states + merged.states(), started);
        }
        return new Result(Status.BUDGET_EXCEEDED, List.of(), List.of(), -1, chains.length, states + merged.states(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static int[][] singletons(OpDag dag) {
        int[][] units = new int[dag.size()][];
        for (int i = 0; i < units.length; i++) units[i] = new int[] {i};
        return units;
    }

    /** Maximal chains, numbered by their first operator's file position (file order is topological). */
    static int[][] chains(OpDag dag) {
        int n = dag.size();
        int[] unitOf = new int[n];
        List<List<Integer>> units = new ArrayList<>();
        for (int op = 0; op < n; op++) {
            int[] preds = dag.predecessorsView(op);
            if (preds.length == 1 && dag.successorsView(preds[0]).length == 1) {
                unitOf[op] = unitOf[preds[0]];
                units.get(unitOf[op]).add(op);
            } else {
                unitOf[op] = units.size();
                units.add(new ArrayList<>(List.of(op)));
            }
        }
        return units.stream().map(u -> u.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** One memoised search over a fixed partition of the operators into units. */
    private static final class Search {
        private final MemoryModel model;
        private final int[][] units;
        private final int[][] unitPreds;
        private final int[][] unitSuccs;
        private final long maxStates;
        private final long deadline;
        private final int words;
        private StateTable memo;
        private long rootValue = -1;

        Search(MemoryModel model, OpDag dag, int[][] units, long maxStates, long deadline) {
            this.model = model;
            this.units = units;
            this.maxStates = maxStates;
            this.deadline = deadline;
            this.words = Math.max(1, (units.length + 63) / 64);
            int[] unitOf = new int[model.opCount];
            for (int u = 0; u < units.length; u++) for (int op : units[u]) unitOf[op] = u;
            this.unitPreds = new int[units.length][];
            this.unitSuccs = new int[units.length][];
            List<java.util.TreeSet<Integer>> succ = new ArrayList<>();
            for (int u = 0; u < units.length; u++) succ.add(new java.util.TreeSet<>());
            for (int u = 0; u < units.length; u++) {
                java.util.TreeSet<Integer> p = new java.util.TreeSet<>();
                for (int op : units[u]) for (int q : dag.predecessorsView(op)) if (unitOf[q] != u) p.add(unitOf[q]);
                unitPreds[u] = p.stream().mapToInt(Integer::intValue).toArray();
                for (int q : unitPreds[u]) succ.get(q).add(u);
            }
            for (int u = 0; u < units.length; u++) {
                unitSuccs[u] = succ.get(u).stream().mapToInt(Integer::intValue).toArray();
            }
        }

        long states() {
            return memo == null ? 0 : memo.size();
        }

        /** Fills the memo from the empty state; false when the budget ran out first. */
        boolean run() {
            int u = units.length;
            memo = new StateTable(words);
            MemoryModel.State state = model.new State();
            int[] missingPreds = new int[u];
            for (int i = 0; i < u; i++) missingPreds[i] = unitPreds[i].length;
            long[] bits = new long[words];
            boolean[] done = new boolean[u];
            // explicit stack: depth d holds the state after d units
            int[][] ready = new int[u + 1][];
            int[] child = new int[u + 1];
            long[] best = new long[u + 1];
            long[] entryCost = new long[u + 1];
            int[] enteredBy = new int[u + 1];
            int depth = 0;
            ready[0] = readyUnits(missingPreds, done);
            best[0] = Long.MAX_VALUE;
            enteredBy[0] = -1;
            long frames = 0;
            while (true) {
                if (child[depth] < ready[depth].length) {
                    int next = ready[depth][child[depth]];
                    long cost = applyUnit(state, next, missingPreds, done, bits);
                    long known = memo.get(bits);
                    if (known != StateTable.ABSENT) {
                        undoUnit(state, next, missingPreds, done, bits);
                        best[depth] = Math.min(best[depth], Math.max(cost, known));
                        child[depth]++;
                        continue;
                    }
                    if (memo.size() + depth >= maxStates) return false;
                    if ((++frames & 1023) == 0 && System.nanoTime() > deadline) return false;
                    depth++;
                    ready[depth] = readyUnits(missingPreds, done);
                    child[depth] = 0;
                    best[depth] = Long.MAX_VALUE;
                    entryCost[depth] = cost;
                    enteredBy[depth] = next;
                } else {
                    long value = ready[depth].length == 0 ? 0 : best[depth];
                    memo.put(bits, value);
                    if (depth == 0) {
                        rootValue = value;
                        return true;
                    }
                    int unit = enteredBy[depth];
                    long cost = entryCost[depth];
                    undoUnit(state, unit, missingPreds, done, bits);
                    depth--;
                    best[depth] = Math.min(best[depth], Math.max(cost, value));
                    child[depth]++;
                }
            }
        }

        private int[] readyUnits(int[] missingPreds, boolean[] done) {
            int count = 0;
            for (int i = 0; i < units.length; i++) if (!done[i] && missingPreds[i] == 0) count++;
            int[] r = new int[count];
            int k = 0;
            for (int i = 0; i < units.length; i++) if (!done[i] && missingPreds[i] == 0) r[k++] = i;
            return r;
        }

        private long applyUnit(MemoryModel.State state, int unit, int[] missingPreds, boolean[] done, long[] bits) {
            long peak = 0;
            for (int op : units[unit]) peak = Math.max(peak, state.apply(op));
            for (int s : unitSuccs[unit]) missingPreds[s]--;
            done[unit] = true;
            bits[unit >>> 6] |= 1L << unit;
            return peak;
        }

        private void undoUnit(MemoryModel.State state, int unit, int[] missingPreds, boolean[] done, long[] bits) {
            int[] ops = units[unit];
            for (int i = ops.length - 1; i >= 0; i--) state.undo(ops[i]);
            for (int s : unitSuccs[unit]) missingPreds[s]++;
            done[unit] = false;
            bits[unit >>> 6] &= ~(1L << unit);
        }

        Result result(Status status, long states, long started) {
            long peak = Math.max(model.timeZeroBytes, rootValue);
            List<Integer> order = reconstruct(false, peak);
            List<Integer> fileTies = reconstruct(true, peak);
            return new Result(status, order, fileTies, peak, units.length, states,
                    Duration.ofNanos(System.nanoTime() - started));
        }

        /**
         * Walks the memo from the empty state. {@code fileTies} takes the first ready unit that keeps the overall
         * peak; otherwise the first that achieves the least remaining peak from the current state.
         */
        private List<Integer> reconstruct(boolean fileTies, long overallPeak) {
            int u = units.length;
            MemoryModel.State state = model.new State();
            int[] missingPreds = new int[u];
            for (int i = 0; i < u; i++) missingPreds[i] = unitPreds[i].length;
            boolean[] done = new boolean[u];
            long[] bits = new long[words];
            List<Integer> order = new ArrayList<>(model.opCount);
            for (int step = 0; step < u; step++) {
                long target = fileTies ? overallPeak : memo.get(bits);
                int chosen = -1;
                for (int next : readyUnits(missingPreds, done)) {
                    long cost = applyUnit(state, next, missingPreds, done, bits);
                    long rest = memo.get(bits);
                    undoUnit(state, next, missingPreds, done, bits);
                    if (rest != StateTable.ABSENT && Math.max(cost, rest) <= target) {
                        chosen = next;
                        break;
                    }
                }
                if (chosen < 0) throw new IllegalStateException("memo lost the optimal path at step " + step);
                applyUnit(state, chosen, missingPreds, done, bits);
                for (int op : units[chosen]) order.add(op);
            }
            return List.copyOf(order);
        }
    }
}
