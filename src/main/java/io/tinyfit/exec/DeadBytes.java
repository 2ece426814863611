package io.tinyfit.exec;

import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Which bytes hold nothing live once a step has run, from the plan's per-byte {@link Liveness}: the bytes whose last
 * read is that step, minus the bytes other data live beyond the step occupies (only a declared DMO overlap lets the
 * output of the step where an input dies share its bytes, and overwriting those would destroy the output just
 * written). Bytes the application reads after the inference (the outputs, and the inputs a plan keeps) are never
 * dead. A buffer whose declared lifetime ends before its last read (a fault the verifier rejects) is poisoned where
 * the plan says it dies, so executing such a plan shows the fault too. The interpreter and the generated C poison exactly these ranges, so a lifetime that ends too early
 * corrupts a result instead of going unnoticed; with tiles, the rows a band has consumed are poisoned while the rows
 * the next band reads stay.
 */
public final class DeadBytes {
    private DeadBytes() {}

    /** Bytes {@code [lo, hi)} of a bank. */
    public record Range(String bank, long lo, long hi) {}

    /** Per step, the ranges of every bank that are dead after it. */
    public static List<List<Range>> perStep(Plan plan, Liveness live) {
        List<List<Range>> dying = new ArrayList<>();
        List<List<Liveness.Live>> livingOn = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            dying.add(new ArrayList<>());
            livingOn.add(new ArrayList<>());
        }
        List<Liveness.Live> rects = new ArrayList<>();
        for (Liveness.Live r : live.rects()) {
            // a plan that declares a buffer dead earlier than its reads is taken at its word: its bytes are poisoned then
            int declared = plan.buffers().get(r.buffer()).lastStep();
            int last = r.last() >= plan.stepCount() ? r.last() : Math.max(r.first(), Math.min(r.last(), declared));
            rects.add(new Liveness.Live(r.buffer(), r.bank(), r.lo(), r.hi(), r.first(), last));
            if (last < plan.stepCount()) dying.get(last).add(new Range(r.bank(), r.lo(), r.hi()));
        }
        List<List<Range>> out = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            List<Range> ranges = dying.get(s);
            if (!ranges.isEmpty()) {
                for (Liveness.Live r : rects) {
                    if (r.first() <= s && r.last() > s) ranges = minus(ranges, r);
                }
            }
            out.add(ranges);
        }
        return out;
    }

    private static List<Range> minus(List<Range> ranges, Liveness.Live cut) {
        List<Range> next = new ArrayList<>();
        for (Range r : ranges) {
            if (!r.bank().equals(cut.bank()) || cut.hi() <= r.lo() || cut.lo() >= r.hi()) {
                next.add(r);
                continue;
            }
            if (cut.lo() > r.lo()) next.add(new Range(r.bank(), r.lo(), cut.lo()));
            if (cut.hi() < r.hi()) next.add(new Range(r.bank(), cut.hi(), r.hi()));
        }
        return next;
    }
}
