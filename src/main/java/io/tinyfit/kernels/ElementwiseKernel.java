package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;

import java.util.ArrayList;
import java.util.List;

/**
 * An element-wise kind (unary, binary with broadcast, QUANTIZE, DEQUANTIZE): output element x depends on input
 * element x only, so every output dimension splits and each input needs the output region, its broadcast
 * dimensions whole ({@link ElementOrder#inputRegion}). Kernels walk the region with {@link ElementOrder}.
 */
abstract class ElementwiseKernel implements Kernel {
    @Override public final boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    @Override public final List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] outDims = graph.tensor(op.output(0)).shape().toArray();
        List<Region> regions = new ArrayList<>();
        for (int t : op.inputs()) {
            regions.add(t < 0 ? null : ElementOrder.inputRegion(graph.tensor(t).shape().toArray(), outDims, output));
        }
        return regions;
    }
}
