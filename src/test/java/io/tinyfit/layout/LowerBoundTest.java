package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
