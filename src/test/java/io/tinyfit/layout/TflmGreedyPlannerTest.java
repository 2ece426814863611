package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Ports of TFLM's greedy_memory_planner_test.cc, plus the planner-level part of the offline-plan
 * tests in micro_allocator_test.cc. TFLM's planner tests feed raw (unaligned) sizes, so those
 * run at alignment 1.
 */
class TflmGreedyPlannerTest {

    private static TflmGreedyPlanner raw() {
        return new TflmGreedyPlanner(1);
    }

    @Test
    void reverseSortKeepsAlreadyDescendingOrder() {
        long[] values = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        TflmGreedyPlanner.reverseSortInPlace(values, ids, 0, 10);
        assertThat(values).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(ids).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void reverseSortReversesAscendingOrder() {
        long[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        TflmGreedyPlanner.reverseSortInPlace(values, ids, 0, 10);
        assertThat(values).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(ids).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    @Test
    void reverseSortIsStableOnRepeatedValues() {
        long[] values = IntStream.range(0, 100).mapToLong(i -> i % 10 + 1).toArray();
        int[] ids = IntStream.range(0, 100).toArray();
        TflmGreedyPlanner.reverseSortInPlace(values, ids, 0, 100);
        for (int i = 0; i < 100; i++) {
            int group = i / 10;
            assertThat(values[i]).isEqualTo(10 - group);
            // TFLM expects ids 9,19,...,99 then 8,18,...: equal values keep their input order
            assertThat(ids[i]).isEqualTo((9 - group) + 10 * (i % 10));
        }
    }

    @Test
    void greedyBasics() {
        TflmGreedyPlanner p = raw();
        p.addBuffer(10, 0, 1);
        p.addBuffer(20, 2, 3);
        assertThat(p.arenaSize()).isEqualTo(20);
        assertThat(p.offsetOf(0)).isZero();
        assertThat(p.offsetOf(1)).isZero();
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
    }

    @Test
    void greedyMedium() {
        TflmGreedyPlanner p = raw();
        p.addBuffer(10, 0, 1);
        p.addBuffer(20, 1, 2);
        p.addBuffer(30, 2, 3);
        p.addBuffer(40, 3, 4);
        p.addBuffer(50, 0, 1);
        assertThat(IntStream.range(0, 5).mapToLong(p::offsetOf).toArray()).containsExactly(50, 70, 40, 0, 0);
        assertThat(p.arenaSize()).isEqualTo(90);
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
    }

    @Test
    void personDetectionModel() {
        TflmGreedyPlanner p = raw();
        // buffer sizes and lifetimes of the 250 KB MobileNet person-detection example
        long[][] buffers = {
            {9216, 0, 29}, {3, 28, 29}, {256, 27, 28}, {2304, 26, 27}, {2304, 25, 26}, {2304, 24, 25},
            {1152, 23, 24}, {4608, 22, 23}, {4608, 21, 22}, {4608, 20, 21}, {4608, 19, 20}, {4608, 18, 19},
            {4608, 17, 18}, {4608, 16, 17}, {4608, 15, 16}, {4608, 14, 15}, {4608, 13, 14}, {4608, 12, 13},
            {2304, 11, 12}, {9216, 10, 11}, {9216, 9, 10}, {9216, 8, 9}, {4608, 7, 8}, {18432, 6, 7},
            {18432, 5, 6}, {18432, 4, 5}, {9216, 3, 4}, {36864, 2, 3}, {18432, 1, 2}, {18432, 0, 1}};
        for (long[] b : buffers) {
            p.addBuffer(b[0], (int) b[1], (int) b[2]);
        }
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
        // TFLM only asserts it beats the sum of all buffers (241,027 bytes)
        assertThat(p.arenaSize()).isLessThan(241_027);
        // the peak is steps 2..3: the 36,864-byte buffer, its neighbours and the long-lived input
        assertThat(p.arenaSize()).isGreaterThanOrEqualTo(LowerBound.of(p.problem()));
    }

    @Test
    void overlapCase() {
        TflmGreedyPlanner p = raw();
        p.addBuffer(100, 0, 1);
        p.addBuffer(50, 2, 3);
        p.addBuffer(20, 1, 2);
        assertThat(p.arenaSize()).isEqualTo(120);
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
    }

    @Test
    void equalSizesArePlacedInReverseAddOrder() {
        TflmGreedyPlanner p = new TflmGreedyPlanner();
        p.addBuffer(16, 0, 2);
        p.addBuffer(16, 0, 2);
        p.addBuffer(16, 0, 2);
        assertThat(IntStream.range(0, 3).mapToLong(p::offsetOf).toArray()).containsExactly(32, 16, 0);
    }

    @Test
    void gapSearchStartsAboveTheHighestEndSeenSoFar() {
        // offline buffers may overlap each other (TFLM trusts the offline plan); buffer 1 starts
        // above buffer 0 but ends below it, so the candidate must stay at buffer 0's end
        TflmGreedyPlanner p = new TflmGreedyPlanner();
        p.addBuffer(96, 0, 2, 0);
        p.addBuffer(16, 0, 2, 16);
        p.addBuffer(16, 1, 1);
        assertThat(p.offsetOf(2)).isEqualTo(96);
    }

    @Test
    void alignmentRoundsSizesLikeTflmCreatePlan() {
        long[][] buffers = {{10, 0, 1}, {20, 1, 2}, {30, 2, 3}, {40, 3, 4}, {50, 0, 1}};
        TflmGreedyPlanner aligned = new TflmGreedyPlanner(16);
        TflmGreedyPlanner preRounded = raw();
        for (long[] b : buffers) {
            aligned.addBuffer(b[0], (int) b[1], (int) b[2]);
            preRounded.addBuffer(Alignment.alignUp(b[0], 16), (int) b[1], (int) b[2]);
        }
        assertThat(aligned.layout().offsets()).isEqualTo(preRounded.layout().offsets());
        assertThat(aligned.layout().offsets()).allMatch(o -> o % 16 == 0);
    }

    @Test
    void ignoresOverlapAllowancesAndStaysValid() {
        TflmGreedyPlanner p = new TflmGreedyPlanner();
        int in = p.addBuffer(96, 0, 0);
        int out = p.addBuffer(96, 0, 1);
        p.allowOverlap(out, in, 16);
        assertThat(p.arenaSize()).isEqualTo(192);
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
    }

    // micro_allocator_test.cc offline-plan cases: 48-byte tensors, lifetimes as TFLM derives
    // them from those tests' graphs (op k runs at step k; tensors live from producer to last reader)

    @Test
    void allocatorModelWithBranchesAllOnline() {
        // n0: t0 -> t1, n1: t0 -> t2, n2: t1, t2 -> t3
        TflmGreedyPlanner p = raw();
        p.addBuffer(48, 0, 1);
        p.addBuffer(48, 0, 2);
        p.addBuffer(48, 1, 2);
        p.addBuffer(48, 2, 2);
        assertThat(IntStream.range(0, 4).mapToLong(p::offsetOf).toArray()).containsExactly(0, 96, 48, 0);
    }

    @Test
    void allocatorOfflinePlannerBasic() {
        TflmGreedyPlanner p = raw();
        p.addBuffer(48, 0, 0, 0);
        p.addBuffer(48, 0, 1, 48);
        p.addBuffer(48, 1, 2, 0);
        p.addBuffer(48, 2, 2, 48);
        assertThat(IntStream.range(0, 4).mapToLong(p::offsetOf).toArray()).containsExactly(0, 48, 0, 48);
    }

    @Test
    void allocatorOfflinePlannerOverlappingAllocation() {
        // n0: t0, t1 (scratch) -> t2, n1: t2 -> t3 (online)
        TflmGreedyPlanner p = raw();
        p.addBuffer(48, 0, 0, 0);
        p.addBuffer(48, 0, 0, 0);
        p.addBuffer(48, 0, 1, 48);
        p.addBuffer(48, 1, 1);
        assertThat(IntStream.range(0, 4).mapToLong(p::offsetOf).toArray()).containsExactly(0, 0, 48, 0);
    }

    @Test
    void allocatorOfflinePlannerOfflineOnline() {
        // n0: t0, t1 (scratch) -> t2 (online), n1: t2 -> t3 (offline), t4 (online)
        TflmGreedyPlanner p = raw();
        p.addBuffer(48, 0, 0, 0);
        p.addBuffer(48, 0, 0, 48);
        p.addBuffer(48, 0, 1);
        p.addBuffer(48, 1, 1, 0);
        p.addBuffer(48, 1, 1);
        assertThat(IntStream.range(0, 5).mapToLong(p::offsetOf).toArray()).containsExactly(0, 48, 96, 0, 48);
    }

    @Test
    void allocatorTypicalFirstOpAndSecondOpWithScratchTensors() {
        // n0: t0 -> t1, n1: t1, t2, t3 (scratch) -> t4, n2: t4 -> t5 (online)
        TflmGreedyPlanner p = raw();
        p.addBuffer(48, 0, 0, 0);
        p.addBuffer(48, 0, 1, 0);
        p.addBuffer(48, 1, 1, 0);
        p.addBuffer(48, 1, 1, 0);
        p.addBuffer(48, 1, 2, 48);
        p.addBuffer(48, 2, 2);
        assertThat(p.offsetOf(5)).isZero();
    }

    @Test
    void printsTflmMemoryPlanChart() {
        TflmGreedyPlanner p = raw();
        p.addBuffer(10, 0, 1);
        p.addBuffer(20, 1, 2);
        p.addBuffer(30, 2, 3);
        p.addBuffer(40, 3, 4);
        p.addBuffer(50, 0, 1);
        String[] lines = p.printMemoryPlan().split("\n");
        assertThat(lines).hasSize(5 + 5);
        assertThat(lines[0]).isEqualTo("0 (id=0): size=10, offset=50, first_used=0 last_used=1");
        assertThat(lines[5]).hasSize(4 + 2 + 80 + 5).startsWith("   0: ");
        // step 0: buffer 4 at [0,50), buffer 0 at [50,60) of a 90-byte arena scaled to 80 columns
        assertThat(lines[5].substring(6, 86))
                .isEqualTo("4".repeat(44) + "0".repeat(9) + ".".repeat(27));
        assertThat(lines[5]).endsWith(" (1k)");
    }

    @Test
    void rejectsMisalignedOfflineOffsetsAndUnknownBuffers() {
        TflmGreedyPlanner p = new TflmGreedyPlanner();
        assertThatThrownBy(() -> p.addBuffer(16, 0, 1, 8)).isInstanceOf(IllegalArgumentException.class);
        p.addBuffer(16, 0, 1);
        assertThatThrownBy(() -> p.offsetOf(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.allowOverlap(0, 3, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
