package io.tinyfit.plan;

import io.tinyfit.model.Graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Plans from buffer requests: the one place that turns requests and their offsets into a {@link Plan}. */
public final class Plans {
    private Plans() {}

    /**
     * The plan of buffer requests placed at {@code offsets} (one per request, in request order): buffer i is
     * request i, its size rounded up to {@code alignment}.
     *
     * @param keepInputs whether {@code requests} keep the graph inputs to the end (the plan records it)
     */
    public static Plan of(Graph g, List<Integer> order, List<BufferRequests.Request> requests, long[] offsets, long arenaBytes,
                          int alignment, String planner, boolean keepInputs) {
        List<Buffer> buffers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            buffers.add(new Buffer(i, r.tensor(), r.kind(), r.scratchOp(), r.scratchIndex(), r.name(), r.rawBytes(),
                    BufferRequests.align(r.rawBytes(), alignment), offsets[i], r.firstStep(), r.lastStep()));
        }
        return Plan.ofOrder(g, order, buffers, arenaBytes, alignment, planner, List.of(), keepInputs);
    }

    public static List<Integer> fileOrder(Graph g) {
        return IntStream.range(0, g.ops().size()).boxed().toList();
    }

    /**
     * Every buffer at its own offset, nothing reused: the reference run against which optimised plans are
     * compared (TFLM's {@code LinearMemoryPlanner}, as used with {@code preserve_all_tensors}).
     */
    public static Plan noReuse(Graph g, List<Integer> order, int alignment) {
        List<BufferRequests.Request> requests = BufferRequests.of(g, order);
        long[] offsets = new long[requests.size()];
        long offset = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offset;
            offset += BufferRequests.align(requests.get(i).rawBytes(), alignment);
        }
        return of(g, order, requests, offsets, offset, alignment, "no-reuse", false);
    }

    public static Plan noReuse(Graph g) { return noReuse(g, fileOrder(g), 16); }
}
