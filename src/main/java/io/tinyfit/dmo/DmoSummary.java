package io.tinyfit.dmo;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What DMO did, step by step, for the report: the live bytes of each step without and with the plan's overlaps,
 * which steps are the peak either way, and per input/output pair its sizes, the safe delta by each method, the
 * bytes it really shares in the plan and, when it shares none, why. By default the black-box search runs on the
 * pairs of peak steps only: it executes the kernel a few dozen times per pair.
 */
public record DmoSummary(long withoutDmoBytes, long withDmoBytes, List<StepRow> steps) {

    public DmoSummary {
        steps = List.copyOf(steps);
    }

    /** Which pairs the black-box search method runs on. */
    public enum Search {
        NONE, PEAK, ALL;

        boolean covers(boolean atPeak) { return this == ALL || (this == PEAK && atPeak); }
    }

    /** One input/output pair of a step. {@code reason} is null when the pair shares bytes in the plan. */
    public record PairRow(int inputTensor, int outputTensor, long inputBytes, long outputBytes, Long analyticalDelta,
                          String analyticalFormula, Long traceDelta, Long searchDelta, long sharedBytes, String reason) {
        public boolean applied() { return sharedBytes > 0; }
    }

    /**
     * @param liveBytes             sum of the buffers live at the step
     * @param liveBytesWithOverlaps the same minus the bytes shared by the plan's overlaps at this step
     */
    public record StepRow(int step, int opIndex, String kind, long liveBytes, long liveBytesWithOverlaps,
                          boolean peakWithoutDmo, boolean peakWithDmo, List<PairRow> pairs) {
        public StepRow {
            pairs = List.copyOf(pairs);
        }

        /** One sentence: whether DMO applied at this step, and why or why not. */
        public String verdict() {
            List<String> applied = new ArrayList<>();
            List<String> not = new ArrayList<>();
            for (PairRow p : pairs) {
                if (p.applied()) applied.add("output " + p.outputTensor() + " shares " + p.sharedBytes() + " B with input " + p.inputTensor() + " (traced delta " + p.traceDelta() + " B)");
                else not.add("input " + p.inputTensor() + ": " + p.reason());
            }
            if (pairs.isEmpty()) return "not applied: the operator has no arena input";
            if (!applied.isEmpty()) return "applied: " + String.join("; ", applied) + (not.isEmpty() ? "" : "; not: " + String.join("; ", not));
            return "not applied: " + String.join("; ", not);
        }
    }

    public static DmoSummary of(Graph g, Plan withoutDmo, Plan chosen, List<DmoAnalysis.Candidate> candidates, Search search) {
        Map<Integer, Buffer> byTensor = chosen.tensorBuffers();
        long peakWithout = withoutDmo.peakLiveBytes();
        long[] live = new long[chosen.stepCount()];
        long[] shared = new long[chosen.stepCount()];
        for (int s = 0; s < chosen.stepCount(); s++) live[s] = chosen.liveBytes(s);
        Map<Long, Long> sharedByPair = new HashMap<>();
        for (Overlap o : chosen.overlaps()) {
            Buffer in = byTensor.get(o.inputTensor());
            Buffer out = byTensor.get(o.outputTensor());
            long bytes = in.sharedBytes(out);
            shared[o.step()] += bytes;
            sharedByPair.put(key(o.inputTensor(), o.outputTensor()), bytes);
        }
        long peakWith = 0;
        for (int s = 0; s < live.length; s++) peakWith = Math.max(peakWith, live[s] - shared[s]);
        List<StepRow> rows = new ArrayList<>();
        for (int s = 0; s < chosen.stepCount(); s++) {
            boolean atPeakWithout = withoutDmo.liveBytes(s) == peakWithout;
            boolean atPeakWith = live[s] - shared[s] == peakWith;
            List<PairRow> pairs = new ArrayList<>();
            for (DmoAnalysis.Candidate c : candidates) {
                if (c.step() != s) continue;
                if (search.covers(atPeakWithout || atPeakWith)) c = DmoAnalysis.searched(g, c);
                long bytes = sharedByPair.getOrDefault(key(c.inputTensor(), c.outputTensor()), 0L);
                pairs.add(new PairRow(c.inputTensor(), c.outputTensor(), c.inputBytes(), c.outputBytes(),
                        c.analytical() == null ? null : c.analytical().minDeltaBytes(), c.analytical() == null ? null : c.analytical().formula(),
                        c.trace(), c.search(), bytes, bytes > 0 ? null : reason(c, chosen)));
            }
            rows.add(new StepRow(s, chosen.order().get(s), g.ops().get(chosen.order().get(s)).kind(), live[s], live[s] - shared[s],
                    atPeakWithout, atPeakWith, pairs));
        }
        return new DmoSummary(withoutDmo.arenaBytes(), chosen.arenaBytes(), rows);
    }

    private static String reason(DmoAnalysis.Candidate c, Plan chosen) {
        if (!c.legal()) return c.refusal();
        if (c.shareableBytes(chosen.alignment()) == 0) return "the traced safe delta (" + c.plannedDelta() + " B) leaves no aligned byte of the " + c.outputBytes() + " B output to share";
        if (chosen.overlaps().isEmpty()) return "legal, but overlaps did not make this order's arena smaller, so the plan has none";
        return "legal, but the chosen layout did not need to overlap this pair";
    }

    private static long key(int in, int out) { return ((long) in << 32) | (out & 0xffffffffL); }
}
