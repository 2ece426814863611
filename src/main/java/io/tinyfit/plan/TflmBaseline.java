package io.tinyfit.plan;

import io.tinyfit.layout.TflmGreedyPlanner;
import io.tinyfit.model.Graph;

import java.util.ArrayList;
import java.util.List;

/**
 * TFLite Micro's own plan of the non-persistent (head) section, reproduced exactly: the buffers of
 * {@link BufferRequests} in TFLM's {@code AddBuffer} order, sizes rounded up to 16 bytes as
 * {@code MicroAllocator::CreatePlan} does, placed by {@link TflmGreedyPlanner}. Its arena size is what TFLM
 * reports as the planned head.
 */
public final class TflmBaseline {
    public static final int TFLM_ALIGNMENT = 16;
    public static final String NAME = "tflm-greedy";

    private TflmBaseline() {}

    public static Plan plan(Graph g) { return plan(g, Plans.fileOrder(g)); }

    public static Plan plan(Graph g, List<Integer> order) {
        List<BufferRequests.Request> requests = BufferRequests.of(g, order);
        TflmGreedyPlanner planner = new TflmGreedyPlanner();
        for (BufferRequests.Request r : requests) {
            planner.addBuffer(BufferRequests.align(r.rawBytes(), TFLM_ALIGNMENT), r.firstTime(), r.lastTime());
        }
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            buffers.add(new Buffer(i, r.tensor(), r.kind(), r.scratchOp(), r.scratchIndex(), r.name(), r.rawBytes(),
                    BufferRequests.align(r.rawBytes(), TFLM_ALIGNMENT), planner.offsetOf(i), r.firstStep(), r.lastStep()));
        }
        return new Plan(g, order, buffers, requests.isEmpty() ? 0 : planner.arenaSize(), TFLM_ALIGNMENT, NAME);
    }
}
