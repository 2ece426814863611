package io.tinyfit.kernels;

import java.util.Map;

/** Registers the sequence kernel family: UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF. */
final class SequenceKernels {
    private SequenceKernels() {}

    static void register(Map<String, Kernel> kernels) {
        kernels.put("UNIDIRECTIONAL_SEQUENCE_LSTM", new LstmKernel());
        kernels.put("SVDF", new SvdfKernel());
    }
}
