package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An {@link OpContext} for running one kernel outside a plan: the given input and output views, the output region
 * to compute (by default the output view's), and fresh scratch buffers of the sizes the kernel requests, filled with
 * random bytes (as a reused arena would be).
 */
final class SoloContext implements OpContext {
    private final Graph graph;
    private final Op op;
    private final int opIndex;
    private final List<View> inputs;
    private final List<View> outputs;
    private final List<View> scratch = new ArrayList<>();
    private final Region region;

    SoloContext(Graph graph, Op op, int opIndex, List<View> inputs, List<View> outputs) { this(graph, op, opIndex, inputs, outputs, null); }

    /** A context computing {@code region} of output 0 (null: the output view's region). */
    SoloContext(Graph graph, Op op, int opIndex, List<View> inputs, List<View> outputs, Region region) {
        this.region = region;
        this.graph = graph;
        this.op = op;
        this.opIndex = opIndex;
        this.inputs = inputs;
        this.outputs = outputs;
        List<Long> sizes = KernelRegistry.forOp(op, opIndex).scratchBytes(graph, op);
        SplittableRandom r = new SplittableRandom(42 + opIndex);
        for (int i = 0; i < sizes.size(); i++) {
            byte[] b = new byte[Math.toIntExact(sizes.get(i))];
            r.nextBytes(b);
            Tensor fake = new Tensor(-1, "scratch " + i, DType.INT8, Shape.of(b.length), null, null, 0, null, false, false);
            scratch.add(new ArenaView(b, 0, fake));
        }
    }

    List<View> scratchViews() { return scratch; }

    /**
     * A one-operator graph over the given tensors (tensor ids are list positions), for contexts that build views
     * by hand: kernels read operand tensors and name the graph's source in their errors.
     */
    static Graph graphOf(String source, Op op, List<Tensor> tensors) {
        return new Graph(source, 3, "", List.of(), List.of(new io.tinyfit.model.Subgraph("main", tensors, List.of(op), List.of(), List.of())),
                List.of(), List.of(), List.of(), List.of());
    }

    @Override public Graph graph() { return graph; }
    @Override public Op op() { return op; }
    @Override public int opIndex() { return opIndex; }
    @Override public View input(int i) { return i < inputs.size() ? inputs.get(i) : null; }
    @Override public View output(int i) { return outputs.get(i); }
    @Override public Region outputRegion() { return region != null ? region : OpContext.super.outputRegion(); }

    @Override public View scratch(int i) {
        if (i >= scratch.size()) throw unsupported("scratch buffer " + i + " was not requested");
        return scratch.get(i);
    }
}
