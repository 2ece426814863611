package io.tinyfit.kernels;

import java.util.Map;

/** Registers the reduction kernel family: AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, SUM, SOFTMAX, LOG_SOFTMAX, ARG_MAX, ARG_MIN, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR. */
final class ReductionKernels {
    private ReductionKernels() {}

    static void register(Map<String, Kernel> kernels) {
        kernels.put("AVERAGE_POOL_2D", new AveragePool2DKernel());
        kernels.put("MAX_POOL_2D", new MaxPool2DKernel());
        kernels.put("MEAN", new MeanKernel());
        kernels.put("SUM", new SumKernel());
        kernels.put("SOFTMAX", new SoftmaxKernel());
        kernels.put("LOG_SOFTMAX", new LogSoftmaxKernel());
        kernels.put("ARG_MAX", new ArgMaxKernel());
        kernels.put("ARG_MIN", new ArgMinKernel());
        kernels.put("RESIZE_NEAREST_NEIGHBOR", new ResizeNearestNeighborKernel());
        kernels.put("RESIZE_BILINEAR", new ResizeBilinearKernel());
    }
}
