package io.tinyfit.exec;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.verify.ExecutionCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interpreter really runs inside the planned arena: a plan with one tensor moved onto a live neighbour, or
 * with one lifetime ended a step early (so the buffer is poisoned while still needed), produces different
 * intermediates or outputs than the reference run. No private buffers hide such faults.
 */
class ArenaFaultInjectionTest {

    @Test
    void correctBaselinePassesAndEveryInjectedFaultIsDetectedOnResnet8() {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve("mlperf_ic_resnet8_int8.tflite"));
        Plan p = TflmBaseline.plan(g);
        assertThat(ExecutionCheck.run(p).passed()).isTrue();

        int faults = 0;
        for (Buffer a : p.buffers()) {
            if (a.kind() != Buffer.Kind.TENSOR) continue;
            for (Buffer b : p.buffers()) {
                // Both live over at least two common steps: whichever is written second destroys data the other still
                // needs later. (A single shared step can be a legal in-place element-wise op, which DMO exploits.)
                int common = Math.min(a.lastStep(), b.lastStep()) - Math.max(a.firstStep(), b.firstStep()) + 1;
                if (a == b || common < 2 || a.offset() == b.offset() || b.kind() != Buffer.Kind.TENSOR) continue;
                long size = Math.max(a.bytes(), b.bytes());
                Plan moved = replace(p, a.withOffset(b.offset()), Math.max(p.arenaBytes(), b.offset() + size));
                assertThat(ExecutionCheck.run(moved).passed()).as("%s moved onto live %s", a.name(), b.name()).isFalse();
                faults++;
                break;
            }
            if (a.lastStep() > a.firstStep() && !g.outputs().contains(a.tensor())) {
                Buffer early = new Buffer(a.id(), a.tensor(), a.kind(), a.scratchOp(), a.scratchIndex(), a.name(), a.rawBytes(), a.bytes(), a.offset(), a.firstStep(), a.lastStep() - 1);
                assertThat(ExecutionCheck.run(replace(p, early, p.arenaBytes())).passed()).as("%s lifetime ends one step early", a.name()).isFalse();
                faults++;
            }
        }
        assertThat(faults).isGreaterThan(10);
    }

    static Plan replace(Plan p, Buffer b, long arena) {
        List<Buffer> list = new ArrayList<>(p.buffers());
        list.set(b.id(), b);
        return p.withBuffers(list, arena, p.planner() + "+fault");
    }
}
