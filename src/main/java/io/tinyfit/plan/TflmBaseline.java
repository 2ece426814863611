package io.tinyfit.plan;

import io.tinyfit.kernels.InPlace;
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
    /** Appended to the planner name of a plan that honours the file's offline plan. */
    public static final String OFFLINE_PLAN = "+offline-plan";

    private TflmBaseline() {}

    public static Plan plan(Graph g) { return plan(g, Plans.fileOrder(g)); }

    public static Plan plan(Graph g, List<Integer> order) {
        Map<Integer, Long> offline = OfflineMemoryAllocation.read(g).orElse(Map.of());
        if (offline.isEmpty()) return withFixedTensors(g, order, BufferRequests.of(g, order), offline, NAME, false);
        Plan p = withFixedTensors(g, order, BufferRequests.of(g, order), offline, NAME + OFFLINE_PLAN, false);
        return p.withOverlaps(offlineOverlaps(p));
    }

    /** TFLM's own greedy plan of {@code g} in {@code order}, ignoring any offline plan the file carries. */
    public static Plan online(Graph g, List<Integer> order) {
        return withFixedTensors(g, order, BufferRequests.of(g, order), Map.of(), NAME, false);
    }

    /**
     * TFLM's greedy placement of {@code order} when the graph inputs must stay intact until the inference ends:
     * their buffers live to the last step, so nothing takes their bytes. Stock TFLM cannot plan that by itself;
     * an offline plan with these offsets makes it. Any offline plan the file already carries is ignored, since
     * it may place outputs over the inputs.
     */
    public static Plan keepingInputs(Graph g, List<Integer> order) {
        return withFixedTensors(g, order, BufferRequests.of(g, order, true), Map.of(), NAME, true);
    }

    /**
     * An offline plan written with DMO places some outputs over their inputs. The metadata carries offsets only,
     * so the overlaps are read back from them: every input/output pair of a step whose buffers share bytes is
     * declared at its offset difference, and the verifier then proves each one (it re-traces the kernel and never
     * trusts the declared delta). A pair that is not a legal overlap is still caught there.
     */
    static List<Overlap> offlineOverlaps(Plan p) {
        Map<Integer, Buffer> byTensor = p.tensorBuffers();
        List<Overlap> out = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) {
            var op = p.graph().ops().get(p.order().get(s));
            for (int in : new java.util.LinkedHashSet<>(op.inputs())) {
                Buffer i = in < 0 ? null : byTensor.get(in);
                if (i == null) continue;
                for (int o : op.outputs()) {
                    Buffer b = byTensor.get(o);
                    if (b == null || !b.sharesBytesWith(i)) continue;
                    String method = io.tinyfit.kernels.InPlace.mayAlias(op.kind()) ? Overlap.ALIAS : Overlap.TRACE;
                    out.add(new Overlap(s, in, o, i.offset() - b.offset(), method));
                }
            }
        }
        return out;
    }

    /**
     * TFLM's greedy placement when the tensors in {@code fixedOffsets} sit at fixed (offline) offsets: everything
     * else, scratch buffers included, is fitted around them in TFLM's AddBuffer order.
     *
     * @param keepInputs whether {@code requests} keep the graph inputs to the end (the plan records it)
     */
    public static Plan withFixedTensors(Graph g, List<Integer> order, List<BufferRequests.Request> requests,
                                        Map<Integer, Long> fixedOffsets, String plannerName, boolean keepInputs) {
        TflmGreedyPlanner planner = new TflmGreedyPlanner();
        for (BufferRequests.Request r : requests) {
            long size = BufferRequests.align(r.rawBytes(), TFLM_ALIGNMENT);
            Long fixed = r.kind() == Buffer.Kind.TENSOR ? fixedOffsets.get(r.tensor()) : null;
            if (fixed != null) planner.addBuffer(size, r.firstTime(), r.lastTime(), fixed);
            else planner.addBuffer(size, r.firstTime(), r.lastTime());
        }
        long[] offsets = new long[requests.size()];
        for (int i = 0; i < offsets.length; i++) offsets[i] = planner.offsetOf(i);
        return Plans.of(g, order, requests, offsets, requests.isEmpty() ? 0 : planner.arenaSize(), TFLM_ALIGNMENT, plannerName, keepInputs);
    }
}
