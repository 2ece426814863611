package io.tinyfit.plan;

import io.tinyfit.layout.TflmGreedyPlanner;
import io.tinyfit.model.Graph;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TFLite Micro's own plan of the non-persistent (head) section, reproduced exactly: the buffers of
 * {@link BufferRequests} in TFLM's {@code AddBuffer} order, sizes rounded up to 16 bytes as
 * {@code MicroAllocator::CreatePlan} does, placed by {@link TflmGreedyPlanner}. Its arena size is what TFLM
 * reports as the planned head. A model that carries an {@code OfflineMemoryAllocation} plan is planned as TFLM
 * plans it: those tensors at their fixed offsets, everything else (and every scratch buffer) fitted around them.
 */
public final class TflmBaseline {
    public static final int TFLM_ALIGNMENT = 16;
    public static final String NAME = "tflm-greedy";

    private TflmBaseline() {}

    public static Plan plan(Graph g) { return plan(g, Plans.fileOrder(g)); }

    public static Plan plan(Graph g, List<Integer> order) {
        Map<Integer, Long> offline = OfflineMemoryAllocation.read(g).orElse(Map.of());
        return withFixedTensors(g, order, BufferRequests.of(g, order), offline, offline.isEmpty() ? NAME : NAME + "+offline-plan");
    }

    /**
     * TFLM's greedy placement when the tensors in {@code fixedOffsets} sit at fixed (offline) offsets: everything
     * else, scratch buffers included, is fitted around them in TFLM's AddBuffer order.
     */
    static Plan withFixedTensors(Graph g, List<Integer> order, List<BufferRequests.Request> requests,
                                 Map<Integer, Long> fixedOffsets, String plannerName) {
        TflmGreedyPlanner planner = new TflmGreedyPlanner();
        for (BufferRequests.Request r : requests) {
            long size = BufferRequests.align(r.rawBytes(), TFLM_ALIGNMENT);
            Long fixed = r.kind() == Buffer.Kind.TENSOR ? fixedOffsets.get(r.tensor()) : null;
            if (fixed != null) planner.addBuffer(size, r.firstTime(), r.lastTime(), fixed);
            else planner.addBuffer(size, r.firstTime(), r.lastTime());
        }
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            buffers.add(new Buffer(i, r.tensor(), r.kind(), r.scratchOp(), r.scratchIndex(), r.name(), r.rawBytes(),
                    BufferRequests.align(r.rawBytes(), TFLM_ALIGNMENT), planner.offsetOf(i), r.firstStep(), r.lastStep()));
        }
        return new Plan(g, order, buffers, requests.isEmpty() ? 0 : planner.arenaSize(), TFLM_ALIGNMENT, plannerName);
    }
}
