package io.tinyfit.verify;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liveness per region (issue 12): the rows of the graph input the first band has consumed are free before the input
 * dies, so the second band's intermediate may land on them. A 32×32×16 input, conv 3×3 stride 2 (8 channels), conv
 * 3×3 (8 channels), in two bands of the output: rows 0..3 and 4..15. The first band reads input rows 0..10, the
 * second rows 6..31; rows 0..5 (3,072 bytes) are dead once the first band's conv ran, and the second band's
 * intermediate (rows 3..15 of the first conv's output, 1,664 bytes) fits in them.
 */
class RegionLivenessTest {
    private static final int ROW = 32 * 16; // bytes of one input row

    private static Graph model() { return TiledPlans.stridedPair(); }

    private static Plan plan(Graph g, long secondTileAt, boolean perByte) { return TiledPlans.stridedPairBands(g, secondTileAt, perByte); }

    @Test
    void theSecondBandsIntermediateLandsOnConsumedInputRows() {
        Graph g = model();
        Plan byHand = plan(g, 6L * ROW - 1664, true);
        Buffer second = byHand.buffers().get(3);
        assertThat(second.region()).isEqualTo(Region.of(new int[] {0, 3, 0, 0}, new int[] {1, 16, 16, 8}));
        assertThat(second.sharesBytesWith(byHand.buffers().get(0))).as("it lies inside the input's bytes").isTrue();
        assertThat(second.lastStep()).as("while the input is still live").isGreaterThanOrEqualTo(2);

        assertThat(PlanVerifier.violations(byHand)).isEmpty();
        assertThat(ExecutionCheck.run(byHand).describe()).startsWith("executed in an arena of exactly " + byHand.arenaBytes());

        Plan wholeBuffers = plan(g, -1, false);
        assertThat(PlanVerifier.violations(wholeBuffers)).isEmpty();
        assertThat(byHand.arenaBytes()).as("smaller than without per-region liveness").isLessThan(wholeBuffers.arenaBytes());
        Plan firstFit = plan(g, -1, true);
        assertThat(PlanVerifier.violations(firstFit)).isEmpty();
        assertThat(ExecutionCheck.run(firstFit).passed()).isTrue();
        assertThat(firstFit.arenaBytes()).as("first fit finds it too").isLessThanOrEqualTo(byHand.arenaBytes());
        System.out.printf("per-region liveness: by hand %,d B, first fit per byte %,d B, first fit per buffer %,d B%n",
                byHand.arenaBytes(), firstFit.arenaBytes(), wholeBuffers.arenaBytes());
    }

    @Test
    void oneRowFurtherOntoRowsTheSecondBandStillReadsIsRejected() {
        Graph g = model();
        // ends inside input row 6, which the second band's first conv reads at the very step that writes the tile
        Plan bad = plan(g, 7L * ROW - 1664, true);
        assertThat(PlanVerifier.violations(bad)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("share bytes [" + 6 * ROW + ", " + (7 * ROW) + ")").contains("while both are live at step 2"));
        // Executed anyway, this one still computes the right values: the strided conv's write position trails its
        // reads, the situation DMO exploits. But no overlap is declared or proven, so the verifier must refuse it.
        assertThat(ExecutionCheck.run(bad).passed()).isTrue();
    }

    @Test
    void onRowsTheSecondBandReadsLaterItIsRejectedAndExecutesWrongly() {
        Graph g = model();
        Plan bad = plan(g, 14L * ROW, true);
        assertThat(PlanVerifier.violations(bad)).singleElement().satisfies(v -> assertThat(v.message()).contains("while both are live at step 2"));
        assertThat(ExecutionCheck.run(bad).passed()).isFalse();
    }
}
