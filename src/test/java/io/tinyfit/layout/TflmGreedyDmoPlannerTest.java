package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** TFLM's greedy order and first fit, with overlap allowances honoured in both placement directions. */
class TflmGreedyDmoPlannerTest {

    @Property(tries = 600)
    void withoutAllowancesItPlacesExactlyLikeTflm(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int buffers,
            @ForAll @IntRange(min = 1, max = 12) int steps,
            @ForAll("alignments") int alignment,
            @ForAll boolean offline) {
        LayoutProblem problem = RandomProblems.random(seed, buffers, steps, 200, alignment, offline, false);
        assertThat(Planners.plan(TflmGreedyDmoPlanner::new, problem).offsets())
                .isEqualTo(Planners.plan(TflmGreedyPlanner::new, problem).offsets());
    }

    @Property(tries = 100)
    void withoutAllowancesItPlacesModelShapedProblemsExactlyLikeTflm(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 80) int ops) {
        LayoutProblem problem = RandomProblems.modelLike(seed, ops, 16, false);
        assertThat(Planners.plan(TflmGreedyDmoPlanner::new, problem).offsets())
                .isEqualTo(Planners.plan(TflmGreedyPlanner::new, problem).offsets());
    }

    @Provide
    Arbitrary<Integer> alignments() {
        return Arbitraries.of(1, 4, 16);
    }

    @Test
    void anEmptyOfflineBufferSplitsAGapAsInTflm() {
        // TFLM's gap walk stops at the empty buffer at 64, so the 96-byte buffer cannot use [0, 128)
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(64, 0, 0, 128);
        b.addBuffer(0, 0, 0, 64);
        b.addBuffer(96, 0, 0);
        LayoutProblem p = b.build();
        assertThat(Planners.plan(TflmGreedyPlanner::new, p).offset(2)).isEqualTo(192);
        assertThat(Planners.plan(TflmGreedyDmoPlanner::new, p).offset(2)).isEqualTo(192);
    }

    @Test
    void inputGoesAboveAnAlreadyPlacedOutput() {
        // the 128-byte output is placed first at 0; its 96-byte input may start 32 above it
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int in = b.addBuffer(96, 0, 0);
        int out = b.addBuffer(128, 0, 1);
        b.allowOverlap(out, in, 32);
        LayoutProblem p = b.build();

        Layout dmo = Planners.plan(TflmGreedyDmoPlanner::new, p);
        assertThat(dmo.offset(out)).isZero();
        assertThat(dmo.offset(in)).isEqualTo(32);
        assertThat(dmo.arenaSize()).isEqualTo(128)
                .isLessThan(Planners.plan(TflmGreedyPlanner::new, p).arenaSize());
        assertThat(Planners.plan(TflmGreedyPlanner::new, p).arenaSize()).isEqualTo(224);
        assertThat(LayoutChecker.check(p, dmo).valid()).isTrue();
    }

    @Test
    void outputGoesBelowAnAlreadyPlacedInput() {
        // TFLM order: x (192) at 0, y (128) at 0, then in before out (equal sizes: reverse add
        // order). in conflicts with x so sits at 192; out conflicts with y below and in above, and
        // the 64 bytes between them are too few, so without DMO it goes on top of in. With the
        // allowance it may start 32 below in, which fits right after y.
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int x = b.addBuffer(192, 0, 0);
        int out = b.addBuffer(96, 1, 2);
        int in = b.addBuffer(96, 0, 1);
        int y = b.addBuffer(128, 2, 2);
        b.allowOverlap(out, in, 32);
        LayoutProblem p = b.build();

        Layout tflm = Planners.plan(TflmGreedyPlanner::new, p);
        assertThat(IntStream.of(x, y, in, out).mapToLong(tflm::offset).toArray()).containsExactly(0, 0, 192, 288);
        assertThat(tflm.arenaSize()).isEqualTo(384);

        Layout dmo = Planners.plan(TflmGreedyDmoPlanner::new, p);
        assertThat(IntStream.of(x, y, in, out).mapToLong(dmo::offset).toArray()).containsExactly(0, 0, 192, 128);
        assertThat(dmo.arenaSize()).isEqualTo(288).isLessThan(tflm.arenaSize());
        assertThat(LayoutChecker.check(p, dmo).valid()).isTrue();
    }
}
