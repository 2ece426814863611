package io.tinyfit.arena;

import io.tinyfit.arena.ArenaEvent.Persistent;
import io.tinyfit.arena.ArenaEvent.PlannerScratch;
import io.tinyfit.arena.ArenaEvent.ResizeHead;
import io.tinyfit.arena.ArenaEvent.TailPart;
import io.tinyfit.arena.ArenaEvent.Temp;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocator replay fails where TFLM's allocator does, and its minimum search equals a scan of every size. */
class ArenaReplayTest {
    @Test
    void aPersistentAllocationBelowTheHeadFails() {
        List<ArenaEvent> ev = List.of(new ResizeHead(64), new Persistent(40, 4, TailPart.ALLOCATOR));
        assertThat(ArenaReplay.run(ev, 104).fits()).isTrue();
        assertThat(ArenaReplay.run(ev, 103).fits()).isFalse();
    }

    @Test
    void tailAllocationsAlignDownFromAnUnalignedEnd() {
        List<ArenaEvent> ev = List.of(new Persistent(36, 8, TailPart.ALLOCATOR), new Persistent(48, 16, TailPart.OP_DATA));
        ArenaReplay.Outcome o = ArenaReplay.run(ev, 1003);
        // 1003 - 36 = 967 -> 960; 960 - 48 = 912 (aligned)
        assertThat(o.tailBytes()).isEqualTo(1003 - 912);
        assertThat(o.tailParts()).containsEntry(TailPart.ALLOCATOR, 43L).containsEntry(TailPart.OP_DATA, 48L);
    }

    @Test
    void thePlannerNeedsFortyBytesPerBufferBetweenTheAlignedTempAndTail() {
        List<ArenaEvent> ev = List.of(new ResizeHead(100), new Temp(20, 4), new PlannerScratch(3, 40));
        // temp ends at 120, aligned up to 128; 3 buffers need 120 bytes up to 248, and the tail counts aligned
        // down to 16: 256 is the least arena
        assertThat(ArenaReplay.run(ev, 256).fits()).isTrue();
        assertThat(ArenaReplay.run(ev, 255).fits()).isFalse();
    }

    @Test
    void theMinimumSearchEqualsAScanOfEverySizeForBothWidths() {
        Graph g = TestModels.everyOp(DType.INT8);
        for (int width : new int[] {4, 8}) {
            List<ArenaEvent> ev = new AllocationTrace(DataModel.of(width)).of(g, 4096);
            long scanned = 0;
            while (!ArenaReplay.run(ev, scanned).fits()) scanned++;
            assertThat(ArenaReplay.minimumArena(ev)).as("%d-bit", width * 8).isEqualTo(scanned);
        }
    }
}
