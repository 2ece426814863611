package io.tinyfit.testing;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Hand edits of a model's offline memory plan, as a user or another tool makes them: the tests' reproducers of
 * unsafe plans that tinyfit used to accept.
 */
public final class OfflinePlanEdits {
    private OfflinePlanEdits() {}

    /** The tensor offsets of a plan. */
    public static Map<Integer, Long> offsets(Plan p) {
        Map<Integer, Long> out = new HashMap<>();
        for (Buffer b : p.buffers()) if (b.kind() == Buffer.Kind.TENSOR) out.put(b.tensor(), b.offset());
        return out;
    }

    /** {@code g} carrying {@code offsets} as its offline plan. */
    public static Graph withPlan(Graph g, Map<Integer, Long> offsets) { return OfflineMemoryAllocation.attach(g, offsets); }

    /** {@code g} carrying {@code offsets}, with one entry set to a raw value the encoder would refuse (negative). */
    public static Graph withRawEntry(Graph g, Map<Integer, Long> offsets, int tensor, int value) {
        byte[] bytes = OfflineMemoryAllocation.encode(g, offsets);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * (3 + tensor), value);
        return g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, bytes);
    }

    /** Two tensors the plan keeps live at a common step that are not the input and output of one operator. */
    public static int[] liveTogether(Plan p) {
        for (Buffer a : p.buffers()) {
            for (Buffer b : p.buffers()) {
                if (a.id() >= b.id() || a.kind() != Buffer.Kind.TENSOR || b.kind() != Buffer.Kind.TENSOR || !a.conflictsWith(b)) continue;
                if (!operandsOfOneOperator(p.graph(), a.tensor(), b.tensor())) return new int[] {a.tensor(), b.tensor()};
            }
        }
        throw new IllegalArgumentException("no two tensors are live together in " + p.graph().source());
    }

    private static boolean operandsOfOneOperator(Graph g, int a, int b) {
        for (Op op : g.ops()) {
            if ((op.inputs().contains(a) && op.outputs().contains(b)) || (op.inputs().contains(b) && op.outputs().contains(a))) return true;
        }
        return false;
    }
}
