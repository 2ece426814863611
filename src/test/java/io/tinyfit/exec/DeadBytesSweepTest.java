package io.tinyfit.exec;

import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Plan;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweep in {@link DeadBytes} gives the same dead ranges as the direct definition (every live rectangle scanned per step). */
class DeadBytesSweepTest {
    @Test void sweepMatchesTheDefinition() {
        for (long seed = 0; seed < 60; seed++) {
            Plan p = TiledPlans.random(seed).plan();
            Liveness live = Liveness.of(p);
            assertThat(normalise(DeadBytes.perStep(p, live))).as("seed %d", seed).isEqualTo(normalise(naive(p, live)));
        }
        Plan spill = TiledPlans.spill(TiledPlans.residual());
        assertThat(normalise(DeadBytes.perStep(spill, Liveness.of(spill)))).isEqualTo(normalise(naive(spill, Liveness.of(spill))));
    }

    /** Per step, the dead bytes as a sorted set of (bank, byte) runs merged. */
    private static List<List<String>> normalise(List<List<DeadBytes.Range>> ranges) {
        List<List<String>> out = new ArrayList<>();
        for (List<DeadBytes.Range> l : ranges) {
            java.util.TreeMap<String, java.util.BitSet> bytes = new java.util.TreeMap<>();
            for (DeadBytes.Range r : l) bytes.computeIfAbsent(r.bank(), k -> new java.util.BitSet()).set((int) r.lo(), (int) r.hi());
            List<String> s = new ArrayList<>();
            bytes.forEach((k, v) -> s.add(k + v));
            out.add(s);
        }
        return out;
    }

    private static List<List<DeadBytes.Range>> naive(Plan plan, Liveness live) {
        List<List<DeadBytes.Range>> dying = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) dying.add(new ArrayList<>());
        List<Liveness.Live> rects = new ArrayList<>();
        for (Liveness.Live r : live.rects()) {
            int declared = plan.buffers().get(r.buffer()).lastStep();
            int last = r.last() >= plan.stepCount() ? r.last() : Math.max(r.first(), Math.min(r.last(), declared));
            rects.add(new Liveness.Live(r.buffer(), r.bank(), r.lo(), r.hi(), r.first(), last));
            if (last < plan.stepCount()) dying.get(last).add(new DeadBytes.Range(r.bank(), r.lo(), r.hi()));
        }
        List<List<DeadBytes.Range>> out = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            List<DeadBytes.Range> ranges = dying.get(s);
            for (Liveness.Live c : rects) {
                if (!(c.first() <= s && c.last() > s)) continue;
                List<DeadBytes.Range> next = new ArrayList<>();
                for (DeadBytes.Range r : ranges) {
                    if (!r.bank().equals(c.bank()) || c.hi() <= r.lo() || c.lo() >= r.hi()) { next.add(r); continue; }
                    if (c.lo() > r.lo()) next.add(new DeadBytes.Range(r.bank(), r.lo(), c.lo()));
                    if (c.hi() < r.hi()) next.add(new DeadBytes.Range(r.bank(), c.hi(), r.hi()));
                }
                ranges = next;
            }
            out.add(ranges);
        }
        return out;
    }
}
