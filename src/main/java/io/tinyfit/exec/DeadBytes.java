package io.tinyfit.exec;

import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which arena bytes hold nothing live once a step has run: the bytes of every buffer whose last use is that step,
 * minus the bytes a buffer living on still occupies (only a declared DMO overlap lets the output of the step where
 * an input dies share its bytes, and overwriting those would destroy the output just written). Graph outputs are
 * never dead. The interpreter and the generated C poison exactly these ranges, so a lifetime that ends too early
 * corrupts a result instead of going unnoticed. The graph inputs a plan keeps for the caller are never dead either.
 */
public final class DeadBytes {
    private DeadBytes() {}

    /** Per step, the byte ranges {@code {start, end}} that are dead after it. */
    public static List<List<long[]>> afterEachStep(Plan plan) {
        List<List<long[]>> out = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) out.add(new ArrayList<>());
        // read after the inference, so never dead: the outputs, and the inputs a plan keeps for the caller
        Set<Integer> readAfter = new HashSet<>(plan.graph().outputs());
        if (plan.keepInputs()) readAfter.addAll(plan.graph().inputs());
        for (Buffer b : plan.buffers()) {
            boolean kept = b.kind() == Buffer.Kind.TENSOR && readAfter.contains(b.tensor());
            if (!kept && b.lastStep() < plan.stepCount()) out.get(b.lastStep()).addAll(deadBytes(plan, b, readAfter));
        }
        return out;
    }

    private static List<long[]> deadBytes(Plan plan, Buffer dead, Set<Integer> readAfter) {
        List<long[]> ranges = new ArrayList<>(List.of(new long[] {dead.offset(), dead.end()}));
        int s = dead.lastStep();
        for (Buffer b : plan.buffers()) {
            boolean livesOn = b.firstStep() <= s && (b.lastStep() > s || (b.kind() == Buffer.Kind.TENSOR && readAfter.contains(b.tensor())));
            if (b == dead || !livesOn || !b.sharesBytesWith(dead)) continue;
            List<long[]> next = new ArrayList<>();
            for (long[] r : ranges) {
                if (b.offset() > r[0]) next.add(new long[] {r[0], Math.min(r[1], b.offset())});
                if (b.end() < r[1]) next.add(new long[] {Math.max(r[0], b.end()), r[1]});
            }
            ranges = next;
        }
        ranges.removeIf(r -> r[1] <= r[0]);
        return ranges;
    }
}
