package io.tinyfit.arena;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TestModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Relations the whole-arena estimate keeps on any model (the golden comparison is ArenaGoldenTest). */
class TflmArenaTest {
    @Test
    void theTailIsIndependentOfTheHeadAndTheMinimumFollowsTheHeadOnceTheHeadDominates() {
        Graph g = TestModels.everyOp(DType.INT8);
        ArenaEstimate small = TflmArena.predict(g, 1 << 16, 4).orElseThrow();
        ArenaEstimate large = TflmArena.predict(g, (1 << 16) + 4096, 4).orElseThrow();
        assertThat(large.tailBytes()).isEqualTo(small.tailBytes());
        assertThat(large.predictedMinBytes() - small.predictedMinBytes()).isEqualTo(4096);
        assertThat(small.usedBytes()).isEqualTo(small.headBytes() + small.tailBytes());
        assertThat(small.tailParts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(small.tailBytes());
    }

    @Test
    void sixtyFourBitBuildsNeedMoreTailThanThirtyTwoBitBuilds() {
        for (DType t : new DType[] {DType.INT8, DType.FLOAT32}) {
            Graph g = TestModels.everyOp(t);
            ArenaEstimate a32 = TflmArena.predict(g, 0, 4).orElseThrow();
            ArenaEstimate a64 = TflmArena.predict(g, 0, 8).orElseThrow();
            assertThat(a64.tailBytes()).as(t.label()).isGreaterThan(a32.tailBytes());
            assertThat(a32.kernels()).isEqualTo("reference");
        }
    }

    @Test
    void aTinyModelIsBoundByTheAllocationTimeTemporaries() {
        Graph g = TestModels.everyOp(DType.INT8);
        ArenaEstimate e = TflmArena.predict(g, 16, 8).orElseThrow();
        assertThat(e.tempBytes()).isPositive();
        assertThat(e.predictedMinBytes()).isEqualTo(e.usedBytes() + e.tempBytes());
    }
}
