package io.tinyfit.tiling;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.SlidingCopies;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiles sliding in place ({@link SlidingCopies}): a line buffer's new tile shares the bytes of the old one, the copy
 * a downward shift, so a pipelined intermediate holds its window once, not twice at the copy. The verifier allows
 * the shared bytes only at the copy step and only for a forward-safe shift; a tile placed one row (or 16 bytes) too
 * high is rejected, and executing it anyway gives wrong values.
 */
class SlidingTilesTest {
    /** The chain (24×24: conv 16 → depthwise 3×3 → conv 4) in pipelined row bands, re-placed by ByteFit. */
    private static Plan slid(int parts) {
        Graph g = TiledPlans.chain();
        Plan p = Tiler.build(g, Plans.fileOrder(g), false, List.of(new Split(0, 2, Split.Kind.ROWS, parts, 1, Split.Halo.PIPELINE)), 16);
        Plan q = ByteFit.improve(p, 20, 1);
        assertThat(q.arenaBytes()).isLessThanOrEqualTo(p.arenaBytes());
        return q;
    }

    /** The copy steps whose source and destination share bytes in the plan. */
    private static List<Integer> slidingCopies(Plan p) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) {
            Step st = p.step(s);
            if (st.kind() != StepKind.COPY) continue;
            Buffer a = p.buffers().get(st.from()), b = p.buffers().get(st.to());
            if (a.offset() < b.end() && b.offset() < a.end()) out.add(s);
        }
        return out;
    }

    @Test
    void pipelinedTilesSlideInPlaceAndRunBitExact() {
        for (int parts : new int[] {2, 4, 24}) {
            Plan p = slid(parts);
            assertThat(slidingCopies(p)).as("x%d: some copy slides a tile in place", parts).isNotEmpty();
            TilerTest.checked(p);
            assertThat(ExecutionCheck.run(p).arenaBytes()).isEqualTo(p.arenaBytes());
        }
    }

    @Test
    void theHandBuiltLineBufferSlidesInPlaceBitExact() {
        Plan p = TiledPlans.slidingLineBuffer(TiledPlans.chain());
        assertThat(slidingCopies(p)).hasSize(23);
        TilerTest.checked(p);
    }

    @Test
    void aTileSlidUpwardIsRejectedAndRunsWrong() {
        Plan p = slid(4);
        int rowBytes = 24 * 16;
        int tried = 0;
        for (int upBy : new int[] {16, rowBytes}) {
            for (int s : slidingCopies(p)) {
                Step st = p.step(s);
                Buffer from = p.buffers().get(st.from()), to = p.buffers().get(st.to());
                // the highest offset the destination may take, then moved above it
                long allowed = from.offset() - SlidingCopies.maxLead(p, st, 0, 0);
                long bad = allowed + upBy;
                // moved by less than the bytes it copies, the destination still lands on source bytes not yet read
                if (bad + to.bytes() > p.arenaBytes() || bad < 0 || st.region().elements() <= upBy) continue;
                List<Buffer> buffers = new ArrayList<>(p.buffers());
                buffers.set(to.id(), to.withOffset(bad));
                Plan wrong = p.withBuffers(buffers, p.arenaBytes(), p.planner());
                assertThat(PlanVerifier.violations(wrong)).as("destination %d bytes too high at step %d", upBy, s)
                        .anySatisfy(v -> assertThat(v.message()).contains("writes up to").contains("the copy at step " + s));
                boolean ranWrong;
                try {
                    ranWrong = !ExecutionCheck.run(wrong).passed();
                } catch (RuntimeException refused) {
                    ranWrong = true;
                }
                assertThat(ranWrong).as("executing the plan with the destination %d bytes too high at step %d", upBy, s).isTrue();
                tried++;
                break;
            }
        }
        assertThat(tried).isEqualTo(2);
    }

    @Test
    void sharingBeyondTheCopyStepIsRejected() {
        // the destination placed exactly on the source, but the source is read again after the copy: not a slide
        Plan p = slid(4);
        for (int s : slidingCopies(p)) {
            Step st = p.step(s);
            Buffer from = p.buffers().get(st.from());
            // find a buffer live after the copy that the source's bytes would now clobber: move the source onto it
            for (Buffer other : p.buffers()) {
                if (other.id() == st.from() || other.id() == st.to() || other.firstStep() > s || other.lastStep() <= s || other.bytes() < from.bytes()) continue;
                List<Buffer> buffers = new ArrayList<>(p.buffers());
                buffers.set(st.to(), p.buffers().get(st.to()).withOffset(other.offset()));
                Plan wrong = p.withBuffers(buffers, p.arenaBytes(), p.planner());
                assertThat(PlanVerifier.violations(wrong)).isNotEmpty();
                return;
            }
        }
        // the plan must offer such a case, or this test would check nothing
        org.assertj.core.api.Assertions.fail("no sliding copy of the 4-band plan has a buffer live across it to clobber");
    }

    /** Random chains in pipelined or cached row bands, re-placed with sliding tiles: bit-exact in exactly the planned arena. */
    @Property(tries = 30)
    void slidingPlansOfRandomChainsRunBitExact(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph g = TilingPropertiesTest.chain(r, seed);
        List<Integer> order = Plans.fileOrder(g);
        int n = order.size();
        int[] ends = TilingPropertiesTest.randomPath(r, n);
        int first = ends[0], last = ends[1];
        if (first == last) return;
        Split.Halo halo = r.nextInt(3) == 0 ? Split.Halo.CACHE : Split.Halo.PIPELINE;
        int rows = g.tensor(g.ops().get(order.get(last)).output(0)).shape().toArray()[1];
        int parts = 1 + r.nextInt(Math.max(1, rows));
        Plan p;
        try {
            p = Tiler.build(g, order, r.nextInt(4) == 0, List.of(new Split(first, last, Split.Kind.ROWS, parts, 1, halo)), 16);
        } catch (IllegalArgumentException e) {
            assertThat(halo).as(e.getMessage()).isEqualTo(Split.Halo.CACHE);
            return;
        }
        Plan q = ByteFit.improve(p, 10, seed);
        assertThat(q.arenaBytes()).isLessThanOrEqualTo(p.arenaBytes());
        String what = g.source() + " rows x" + parts + " " + halo + " " + first + ".." + last + " (" + q.planner() + ")";
        assertThat(PlanVerifier.violations(q)).as(what).isEmpty();
        ExecutionCheck.Result res = ExecutionCheck.run(q);
        assertThat(res.passed()).as(what + ": " + res.describe()).isTrue();
        assertThat(res.arenaBytes()).isEqualTo(q.arenaBytes());
    }
}
