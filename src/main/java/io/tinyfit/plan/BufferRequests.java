package io.tinyfit.plan;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The buffers a model needs in the arena for a given operator order, with their lifetimes, following TFLM's
 * {@code AllocationInfoBuilder} (micro_allocation_info.cc) exactly:
 * <ul>
 *   <li>planned: non-constant, non-variable tensors of non-zero size, in tensor-index order, then every scratch
 *       buffer the kernels request, in operator order and request order;</li>
 *   <li>times: subgraph inputs are created at time 0, the operator at step s runs at time s + 1; an operator's
 *       outputs are created at its time (first write only), its inputs and outputs are used at its time;
 *       subgraph outputs are used until the final time; scratch buffers live for their operator's time;</li>
 *   <li>intervals are closed.</li>
 * </ul>
 * A plan that keeps graph inputs intact for the caller ({@code keepInputs}) also uses them until the final time,
 * like outputs, so no other buffer takes their bytes; TFLM itself does not (its inputs end at their last reader).
 * {@link #steps} converts TFLM times to steps (time - 1, inputs at step 0), as the JSON reports them.
 */
public final class BufferRequests {
    private BufferRequests() {}

    /** One buffer to place: TFLM times, raw bytes. */
    public record Request(int tensor, Buffer.Kind kind, int scratchOp, int scratchIndex, String name, long rawBytes,
                          int firstTime, int lastTime) {
        public int firstStep() { return Math.max(0, firstTime - 1); }
        public int lastStep() { return Math.max(0, lastTime - 1); }
    }

    /** TFLM's lifetimes: a graph input's bytes are free after its last reader. */
    public static List<Request> of(Graph g, List<Integer> order) {
        return of(g, order, false);
    }

    /** @param keepInputs graph inputs live until the final time, so the caller's data survives the inference */
    public static List<Request> of(Graph g, List<Integer> order, boolean keepInputs) {
        return of(g, order, keepInputs, (graph, op) -> KernelRegistry.find(op.kind()).map(k -> k.scratchBytes(graph, op)).orElse(List.of()));
    }

    /**
     * As {@link #of(Graph, List, boolean)}, with the scratch buffers another kernel library's kernels request
     * ({@code io.tinyfit.arena.KernelTarget#scratchBytes}) instead of the reference kernels'.
     */
    public static List<Request> of(Graph g, List<Integer> order, boolean keepInputs, java.util.function.BiFunction<Graph, Op, List<Long>> scratchOf) {
        List<Tensor> tensors = g.tensors();
        int n = tensors.size();
        int[] first = new int[n];
        int[] last = new int[n];
        java.util.Arrays.fill(first, -1);
        java.util.Arrays.fill(last, -1);
        for (int t : g.inputs()) {
            first[t] = 0;
            last[t] = 0;
        }
        List<Request> scratch = new ArrayList<>();
        int time = 0;
        for (int s = 0; s < order.size(); s++) {
            time++;
            int opIndex = order.get(s);
            Op op = g.ops().get(opIndex);
            for (int t : op.outputs()) if (first[t] == -1) first[t] = time;
            for (int t : op.inputs()) if (t >= 0) last[t] = time;
            for (int t : op.outputs()) last[t] = time;
            List<Long> sizes = scratchOf.apply(g, op);
            for (int i = 0; i < sizes.size(); i++) {
                scratch.add(new Request(-1, Buffer.Kind.SCRATCH, opIndex, i, op.kind() + "#" + opIndex + " scratch " + i, sizes.get(i), time, time));
            }
        }
        for (int t : g.outputs()) last[t] = time;
        if (keepInputs) for (int t : g.inputs()) last[t] = time;
        List<Request> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Tensor x = tensors.get(t);
            if (x.isConstant() || x.variable() || x.bytes() == 0) continue;
            if (first[t] == -1 && last[t] == -1) continue; // not used by the main graph at all
            if (first[t] == -1 || last[t] == -1) {
                throw new IllegalStateException(g.source() + ": tensor " + t + " (" + x.label() + ") is read before any operator writes it");
            }
            out.add(new Request(t, Buffer.Kind.TENSOR, -1, -1, x.label(), x.bytes(), first[t], last[t]));
        }
        out.addAll(scratch);
        return out;
    }

    public static long align(long bytes, int alignment) {
        return (bytes + alignment - 1) / alignment * alignment;
    }
}
