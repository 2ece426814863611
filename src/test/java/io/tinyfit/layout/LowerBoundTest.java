package io.tinyfit.layout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LowerBoundTest {

    @Test
    void isTheLargestPerStepSumOfAlignedSizes() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(10, 0, 1);  // 16
        b.addBuffer(20, 1, 2);  // 32
        b.addBuffer(30, 2, 3);  // 32
        b.addBuffer(40, 3, 4);  // 48
        b.addBuffer(50, 0, 1);  // 64
        LayoutProblem p = b.build();
        // step 1: 16 + 32 + 64
        assertThat(LowerBound.of(p)).isEqualTo(112);
        assertThat(LowerBound.overlapAware(p)).isEqualTo(112);
    }

    @Test
    void emptyProblemNeedsNothing() {
        LayoutProblem p = LayoutProblem.builder().build();
        assertThat(LowerBound.of(p)).isZero();
        assertThat(new TflmGreedyPlanner().arenaSize()).isZero();
    }

    @Test
    void subtractsAllowedSharingOnlyWhereThePairIsLive() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int in = b.addBuffer(100, 0, 1);   // 112
        int out = b.addBuffer(64, 1, 2);   // 64
        b.addBuffer(200, 2, 2);            // 208
        b.allowOverlap(out, in, 20);       // delta rounds to 32: share up to 64 - 32
        LayoutProblem p = b.build();
        // step 1: 112 + 64 - 32 = 144; step 2: 64 + 208 = 272 (pair not live together there)
        assertThat(LowerBound.overlapAware(p)).isEqualTo(272);
        assertThat(LowerBound.of(p)).isEqualTo(272);
    }

    @Test
    void sharingIsCappedByTheInputSize() {
        LayoutProblem.Builder b = LayoutProblem.builder(1);
        int in = b.addBuffer(10, 0, 0);
        int out = b.addBuffer(100, 0, 0);
        b.allowOverlap(out, in, 0);
        // the input can at most vanish inside the output
        assertThat(LowerBound.overlapAware(b.build())).isEqualTo(100);
    }

    @Test
    void countsFixedOffsetsOfOfflineBuffers() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(16, 0, 0, 256);
        assertThat(LowerBound.of(b.build())).isEqualTo(272);
    }

    /** Three 128-byte buffers, each live with the next for one step. */
    private static LayoutProblem.Builder threeInARow() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        for (int i = 0; i < 3; i++) b.addBuffer(128, i, i + 1);
        return b;
    }

    @Test
    void aChainOfOverlapsFallsByTheSumOfItsDeltas() {
        LayoutProblem.Builder b = threeInARow();
        b.allowOverlap(1, 0, 20);   // the second at least 32 below the first
        b.allowOverlap(2, 1, 32);   // the third at least 32 below the second
        LayoutProblem p = b.build();
        // each step alone needs 128 + 32, but the first sits 64 above the third: no layout fits in less than 192
        assertThat(LowerBound.overlapAware(p)).isEqualTo(160);
        assertThat(LowerBound.chainAware(p)).isEqualTo(192).isEqualTo(BruteForce.optimum(p));
    }

    @Test
    void anOutputPlacedAboveItsInputCapsTheDrift() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int prev = b.addBuffer(64, 0, 1);
        for (int i = 1; i < 5; i++) {
            int next = b.addBuffer(64, i, i + 1);
            b.allowOverlap(next, prev, 48);
            prev = next;
        }
        LayoutProblem p = b.build();
        // falling 4 x 48 would need 256; alternating below and above needs only 64 + 64
        assertThat(LowerBound.chainAware(p)).isEqualTo(128).isEqualTo(BruteForce.optimum(p));
    }

    @Test
    void overlapsAllowedBothWaysDoNotDrift() {
        LayoutProblem.Builder b = threeInARow();
        b.allowOverlap(1, 0, 32).allowOverlap(0, 1, 32);
        b.allowOverlap(2, 1, 32).allowOverlap(1, 2, 32);
        LayoutProblem p = b.build();
        // falling twice by 32 would need 192; here the middle one may also sit above the others, which fits in 160
        assertThat(LowerBound.chainAware(p)).isEqualTo(LowerBound.overlapAware(p)).isLessThanOrEqualTo(BruteForce.optimum(p)).isLessThan(192);
    }
}
