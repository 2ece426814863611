package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/** Diagonal memory optimisation: an op's output may start {@code minDelta} below its input. */
class OverlapAllowanceTest {

    private static final Duration EXACT_LIMIT = Duration.ofSeconds(5);

    /** conv-like chain A -op0-> B -op1-> C, 96 bytes each, outputs may start 32 below inputs. */
    private static LayoutProblem chain() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int a = b.addBuffer(96, 0, 0);
        int bb = b.addBuffer(96, 0, 1);
        int c = b.addBuffer(96, 1, 1);
        b.allowOverlap(bb, a, 32);
        b.allowOverlap(c, bb, 32);
        return b.build();
    }

    @Test
    void outputIsPlacedBelowAnAlreadyPlacedInput() {
        // the input is fixed (placed first) at 32; the output fits below it, sharing 64 bytes
        for (IntFunction<MemoryPlanner> factory : Planners.allowanceAware(EXACT_LIMIT)) {
            MemoryPlanner p = factory.apply(16);
            int in = p.addBuffer(96, 0, 0, 32);
            int out = p.addBuffer(96, 0, 1);
            p.allowOverlap(out, in, 32);
            assertThat(p.offsetOf(out)).as(p.name()).isZero();
            assertThat(p.arenaSize()).as(p.name()).isEqualTo(128);
            assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
        }
    }

    @Test
    void inputIsPlacedAboveAnAlreadyPlacedOutput() {
        for (IntFunction<MemoryPlanner> factory : Planners.allowanceAware(EXACT_LIMIT)) {
            MemoryPlanner p = factory.apply(16);
            int out = p.addBuffer(96, 0, 1, 0);
            int in = p.addBuffer(96, 0, 0);
            p.allowOverlap(out, in, 32);
            assertThat(p.offsetOf(in)).as(p.name()).isEqualTo(32);
            assertThat(p.arenaSize()).as(p.name()).isEqualTo(128);
        }
    }

    @Test
    void bothDirectionsWhenTheGreedyOrderIsFixed() {
        LayoutProblem chain = chain();
        Placer placer = new Placer(chain, new ConflictGraph(chain));
        // outputs first: each input lands 32 above its output -> C 0, B 32, A 64
        assertThat(placer.place(new int[] {2, 1, 0})).containsExactly(64, 32, 0);
        // B first at 0: A is B's input so goes 32 above it; C is B's output but cannot go 32
        // below 0, so it must clear B entirely
        assertThat(placer.place(new int[] {1, 0, 2})).containsExactly(32, 0, 96);
    }

    @Test
    void chainUsesSharingAndReachesTheOptimum() {
        LayoutProblem chain = chain();
        assertThat(LowerBound.of(chain)).isEqualTo(192);
        assertThat(LowerBound.overlapAware(chain)).isEqualTo(128);
        assertThat(Planners.plan(TflmGreedyPlanner::new, chain).arenaSize()).isEqualTo(192);

        Layout ils = Planners.plan(a -> new IteratedLocalSearch(a, 1_000, Duration.ofSeconds(1), 1), chain);
        assertThat(ils.arenaSize()).isEqualTo(160);
        assertThat(LayoutChecker.check(chain, ils).valid()).isTrue();

        ExactChocoPlanner exact = chain.feedInto(new ExactChocoPlanner(16, EXACT_LIMIT));
        assertThat(exact.arenaSize()).isEqualTo(160);
        assertThat(exact.lastResult().status()).isEqualTo(SolveStatus.OPTIMAL);
        assertThat(BruteForce.optimum(chain)).isEqualTo(160);
    }

    @Test
    void checkerRejectsADeltaViolatedByOneAlignmentStep() {
        LayoutProblem chain = chain();
        long[] tight = {64, 32, 0};
        assertThat(LayoutChecker.check(chain, tight).valid()).isTrue();

        long[] outputTooHigh = {64, 48, 0}; // off(A) - off(B) = 16 < 32
        LayoutChecker.Report report = LayoutChecker.check(chain, outputTooHigh);
        assertThat(report.valid()).isFalse();
        assertThat(report.violations()).extracting(LayoutChecker.Violation::kind)
                .contains(LayoutChecker.Kind.OVERLAP);
        assertThat(report.violations()).extracting(LayoutChecker.Violation::buffers)
                .anySatisfy(ids -> assertThat(ids).containsExactly(0, 1));

        long[] inputTooLow = {64, 32, 16}; // off(B) - off(C) = 16 < 32
        assertThat(LayoutChecker.check(chain, inputTooLow).valid()).isFalse();
    }

    @Test
    void deltaIsRoundedUpToTheAlignment() {
        // delta 20 at alignment 16 means the output must start 32 below the input: with the
        // input fixed at 32 the only overlapping slot is 0, and 16 is one step too close
        MemoryPlanner p = new GreedyBySizeBestFit();
        int in = p.addBuffer(96, 0, 0, 32);
        int out = p.addBuffer(96, 0, 1);
        p.allowOverlap(out, in, 20);
        assertThat(p.offsetOf(out)).isZero();
        assertThat(LowerBound.overlapAware(p.problem())).isEqualTo(128);
        assertThat(LayoutChecker.check(p.problem(), new long[] {32, 16}).valid()).isFalse();
    }

    @Test
    void deltaAtLeastTheOutputSizeAllowsNoSharing() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int in = b.addBuffer(64, 0, 0);
        int out = b.addBuffer(64, 0, 1);
        b.allowOverlap(out, in, 64);
        LayoutProblem p = b.build();
        assertThat(LowerBound.overlapAware(p)).isEqualTo(LowerBound.of(p)).isEqualTo(128);
        for (IntFunction<MemoryPlanner> factory : Planners.all(EXACT_LIMIT)) {
            assertThat(Planners.plan(factory, p).arenaSize()).isEqualTo(128);
        }
    }

    @Test
    void inPlaceOpSharesTheWholeBuffer() {
        // delta 0: an elementwise op may write its output over its input
        MemoryPlanner p = new GreedyBySizeBestFit();
        int in = p.addBuffer(100, 0, 0);
        int out = p.addBuffer(100, 0, 1);
        p.allowOverlap(out, in, 0);
        assertThat(p.offsetOf(in)).isEqualTo(p.offsetOf(out));
        assertThat(p.arenaSize()).isEqualTo(112);
    }
}
