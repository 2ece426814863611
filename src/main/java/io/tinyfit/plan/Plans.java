package io.tinyfit.plan;

import io.tinyfit.model.Graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Simple plans that need no planner. */
public final class Plans {
    private Plans() {}

    public static List<Integer> fileOrder(Graph g) {
        return IntStream.range(0, g.ops().size()).boxed().toList();
    }

    /**
     * Every buffer at its own offset, nothing reused: the reference run against which optimised plans are
     * compared (TFLM's {@code LinearMemoryPlanner}, as used with {@code preserve_all_tensors}).
     */
    public static Plan noReuse(Graph g, List<Integer> order, int alignment) {
        List<Buffer> buffers = new ArrayList<>();
        long offset = 0;
        for (BufferRequests.Request r : BufferRequests.of(g, order)) {
            long size = BufferRequests.align(r.rawBytes(), alignment);
            buffers.add(new Buffer(buffers.size(), r.tensor(), r.kind(), r.scratchOp(), r.scratchIndex(), r.name(),
                    r.rawBytes(), size, offset, r.firstStep(), r.lastStep()));
            offset += size;
        }
        return new Plan(g, order, buffers, offset, alignment, "no-reuse");
    }

    public static Plan noReuse(Graph g) { return noReuse(g, fileOrder(g), 16); }
}
