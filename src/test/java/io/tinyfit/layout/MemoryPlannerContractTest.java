package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/** Behaviour every {@link MemoryPlanner} shares through {@link AbstractMemoryPlanner}. */
class MemoryPlannerContractTest {

    @Test
    void indicesAreAddOrderAndTheLayoutFollowsLaterAdds() {
        for (IntFunction<MemoryPlanner> factory : Planners.all(Duration.ofSeconds(1))) {
            MemoryPlanner p = factory.apply(MemoryPlanner.DEFAULT_ALIGNMENT);
            assertThat(p.arenaSize()).isZero();
            assertThat(p.addBuffer(100, 0, 1)).isZero();
            assertThat(p.addBuffer(50, 2, 3)).isEqualTo(1);
            assertThat(p.arenaSize()).as(p.name()).isEqualTo(112);
            assertThat(p.addBuffer(50, 2, 3)).isEqualTo(2);
            assertThat(p.bufferCount()).isEqualTo(3);
            // steps 2..3 now hold two 64-byte buffers
            assertThat(p.arenaSize()).as(p.name()).isEqualTo(128);
            assertThat(p.offsetOf(1)).isNotEqualTo(p.offsetOf(2));
            assertThat(p.layout().strategy()).isEqualTo(p.name());
            assertThat(p.problem().buffer(0).size()).isEqualTo(112);
            assertThat(p.problem().buffer(0).requestedSize()).isEqualTo(100);
        }
    }

    @Test
    void repeatedAllowancesKeepTheMostPermissiveDelta() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(64, 0, 0);
        b.addBuffer(64, 0, 1);
        b.allowOverlap(1, 0, 48);
        b.allowOverlap(1, 0, 16);
        b.allowOverlap(1, 0, 32);
        assertThat(b.build().allowances()).containsExactly(new OverlapAllowance(1, 0, 16));
    }
}
