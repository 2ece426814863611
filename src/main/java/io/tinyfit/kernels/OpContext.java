package io.tinyfit.kernels;

import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

/** What a kernel sees of one step: the operator, its tensors as views, and its scratch buffers. */
public interface OpContext extends Refusals {
    /** Input i as a view, or null when the input is omitted (-1). Variable tensors are in the persistent area. */
    View input(int i);

    View output(int i);

    /**
     * The region of output 0 this call computes, in the output's global coordinates: by default the region the
     * output view holds (the whole tensor for a whole view). Input views must hold at least the regions
     * {@link Kernel#inputRegions} gives for it.
     */
    default Region outputRegion() { return output(0).region(); }

    /** Scratch buffer i, as requested by {@link Kernel#scratchBytes}; an int8 view of that many bytes. */
    View scratch(int i);

    default int inputCount() { return op().inputs().size(); }

    default int outputCount() { return op().outputs().size(); }

    default Tensor inputTensor(int i) { return graph().tensor(op().input(i)); }

    default Tensor outputTensor(int i) { return graph().tensor(op().output(i)); }
}
