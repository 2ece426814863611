package io.tinyfit.schedule;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.TflmBaseline;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic list schedulers for graphs too large or too branchy for {@link ExactScheduler}. Each repeatedly
 * picks among the ready operators (all predecessors executed) using the same working-set arithmetic as the exact
 * search; every tie goes to the operator that comes first in the file, so on a chain each returns file order.
 */
public final class HeuristicScheduler {

    private HeuristicScheduler() {
    }

    public enum Strategy {
        /** Run the ready op whose step has the fewest live bytes ("allocates least"). */
        MIN_STEP("greedy-min-step"),
        /**
         * Run the ready op that shrinks the resident set most, or grows it least ("frees most"): outputs kept
         * minus inputs released by it.
         */
        MAX_FREED("greedy-max-freed"),
        /**
         * Defer long-lived branches: treat each ready op together with the chain it starts (up to the next fork
         * or a join still waiting for another branch) as one segment with a peak and a net resident change, and
         * order segments by the classic rule for min-max prefix sums: first segments that release memory,
         * lowest peak first; then segments that leave results behind, largest {@code peak - residue} first. A
         * branch whose result must wait long for its join therefore runs as late as possible, and a branch with
         * a tall but transient peak runs while little else is resident.
         */
        SEGMENTS("defer-long-lived");

        private final String label;

        Strategy(String label) {
            this.label = label;
        }

        /** Stable name for reports. */
        public String label() {
            return label;
        }
    }

    public static List<Integer> schedule(Graph g, Strategy strategy) {
        return schedule(g, strategy, TflmBaseline.TFLM_ALIGNMENT);
    }

    public static List<Integer> schedule(Graph g, Strategy strategy, int alignment) {
        return schedule(g, strategy, alignment, OverlapModel.NONE);
    }

    /** The same, with step sizes that credit overlap pairs as {@link MemoryModel} does. */
    public static List<Integer> schedule(Graph g, Strategy strategy, int alignment, OverlapModel overlaps) {
        return schedule(g, strategy, alignment, overlaps, false);
    }

    /** The same with the graph inputs resident to the end when {@code keepInputs} (see {@link MemoryModel}). */
    public static List<Integer> schedule(Graph g, Strategy strategy, int alignment, OverlapModel overlaps, boolean keepInputs) {
        OpDag dag = OpDag.of(g);
        MemoryModel model = new MemoryModel(g, alignment, overlaps, keepInputs);
        MemoryModel.State state = model.new State();
        int n = dag.size();
        int[] missing = new int[n];
        for (int i = 0; i < n; i++) missing[i] = dag.predecessorCount(i);
        List<Integer> order = new ArrayList<>(n);
        while (order.size() < n) {
            List<Integer> ready = new ArrayList<>();
            for (int i = 0; i < n; i++) if (!state.executed[i] && missing[i] == 0) ready.add(i);
            List<Integer> chosen = switch (strategy) {
                case MIN_STEP -> List.of(pickMinStep(state, ready));
                case MAX_FREED -> List.of(pickMaxFreed(state, ready));
                case SEGMENTS -> pickSegment(dag, state, missing, ready);
            };
            for (int op : chosen) {
                state.apply(op);
                for (int s : dag.successorsView(op)) missing[s]--;
                order.add(op);
            }
        }
        return List.copyOf(order);
    }

    private static int pickMinStep(MemoryModel.State state, List<Integer> ready) {
        int best = -1;
        long bestStep = 0;
        long bestDelta = 0;
        for (int op : ready) {
            long step = state.stepBytes(op);
            long delta = state.residentDelta(op);
            if (best < 0 || step < bestStep || (step == bestStep && delta < bestDelta)) {
                best = op;
                bestStep = step;
                bestDelta = delta;
            }
        }
        return best;
    }

    private static int pickMaxFreed(MemoryModel.State state, List<Integer> ready) {
        int best = -1;
        long bestStep = 0;
        long bestDelta = 0;
        for (int op : ready) {
            long step = state.stepBytes(op);
            long delta = state.residentDelta(op);
            if (best < 0 || delta < bestDelta || (delta == bestDelta && step < bestStep)) {
                best = op;
                bestStep = step;
                bestDelta = delta;
            }
        }
        return best;
    }

    private static List<Integer> pickSegment(OpDag dag, MemoryModel.State state, int[] missing, List<Integer> ready) {
        List<Integer> bestSegment = null;
        long bestPeak = 0;
        long bestDelta = 0;
        for (int first : ready) {
            long before = state.resident;
            long peak = 0;
            List<Integer> segment = new ArrayList<>();
            int op = first;
            while (true) {
                peak = Math.max(peak, state.apply(op));
                for (int s : dag.successorsView(op)) missing[s]--;
                segment.add(op);
                int[] succ = dag.successorsView(op);
                if (succ.length != 1 || missing[succ[0]] != 0) break;
                op = succ[0];
            }
            long delta = state.resident - before;
            for (int i = segment.size() - 1; i >= 0; i--) {
                int done = segment.get(i);
                for (int s : dag.successorsView(done)) missing[s]++;
                state.undo(done);
            }
            if (bestSegment == null || better(peak, delta, bestPeak, bestDelta)) {
                bestSegment = segment;
                bestPeak = peak;
                bestDelta = delta;
            }
        }
        return bestSegment;
    }

    /** Strictly better under the release-first, then largest-hill-over-residue rule. */
    private static boolean better(long peak, long delta, long bestPeak, long bestDelta) {
        boolean releases = delta <= 0;
        boolean bestReleases = bestDelta <= 0;
        if (releases != bestReleases) return releases;
        if (releases) return peak < bestPeak;
        return peak - delta > bestPeak - bestDelta;
    }
}
