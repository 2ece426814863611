package io.tinyfit.kernels;

import io.tinyfit.model.Tensor;

/** What a kernel sees of one step: the operator, its tensors as views, and its scratch buffers. */
public interface OpContext extends Refusals {
    /** Input i as a view, or null when the input is omitted (-1). Variable tensors are in the persistent area. */
    View input(int i);

    View output(int i);

    /** Scratch buffer i, as requested by {@link Kernel#scratchBytes}; an int8 view of that many bytes. */
    View scratch(int i);

    default int inputCount() { return op().inputs().size(); }

    default int outputCount() { return op().outputs().size(); }

    default Tensor inputTensor(int i) { return graph().tensor(op().input(i)); }

    default Tensor outputTensor(int i) { return graph().tensor(op().output(i)); }
}
