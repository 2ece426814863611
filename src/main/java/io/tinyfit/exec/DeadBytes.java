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
        // sweep the steps keeping, per bank, the rectangles live beyond the current step indexed by their first byte
        // (with the longest rectangle's length, so a query finds every rectangle reaching into a range)
        List<List<Liveness.Live>> startAt = new ArrayList<>(), endAt = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            startAt.add(new ArrayList<>());
            endAt.add(new ArrayList<>());
        }
        for (Liveness.Live r : rects) {
            if (r.first() >= plan.stepCount() || r.last() <= r.first()) continue;
            startAt.get(Math.max(0, r.first())).add(r);
            if (r.last() < plan.stepCount()) endAt.get(r.last()).add(r);
        }
        java.util.Map<String, java.util.TreeMap<Long, List<Liveness.Live>>> active = new java.util.HashMap<>();
        java.util.Map<String, Long> longest = new java.util.HashMap<>();
        List<List<Range>> out = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            for (Liveness.Live r : startAt.get(s)) {
                if (r.last() <= s) continue;
                active.computeIfAbsent(r.bank(), k -> new java.util.TreeMap<>()).computeIfAbsent(r.lo(), k -> new ArrayList<>()).add(r);
                longest.merge(r.bank(), r.hi() - r.lo(), Math::max);
            }
            for (Liveness.Live r : endAt.get(s)) {
                java.util.TreeMap<Long, List<Liveness.Live>> m = active.get(r.bank());
                List<Liveness.Live> at = m == null ? null : m.get(r.lo());
                if (at != null && at.remove(r) && at.isEmpty()) m.remove(r.lo());
            }
            List<Range> ranges = dying.get(s);
            if (!ranges.isEmpty()) {
                List<Range> kept = new ArrayList<>();
                for (Range d : ranges) {
                    java.util.TreeMap<Long, List<Liveness.Live>> m = active.get(d.bank());
                    if (m == null) {
                        kept.add(d);
                        continue;
                    }
                    // the cuts reaching into d, in order of their first byte: what is left between them stays dead
                    long reach = longest.getOrDefault(d.bank(), 0L);
                    long from = d.lo();
                    for (List<Liveness.Live> l : m.subMap(d.lo() - reach, true, d.hi(), false).values()) {
                        for (Liveness.Live cut : l) {
                            if (cut.hi() <= from || cut.lo() >= d.hi()) continue;
                            if (cut.lo() > from) kept.add(new Range(d.bank(), from, cut.lo()));
                            from = Math.max(from, cut.hi());
                        }
                    }
                    if (from < d.hi()) kept.add(new Range(d.bank(), from, d.hi()));
                }
                ranges = kept;
            }
            out.add(ranges);
        }
        return out;
    }
}
