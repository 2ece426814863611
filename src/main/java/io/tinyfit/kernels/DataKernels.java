package io.tinyfit.kernels;

import java.util.Map;

/** Registers the data kernel family: RESHAPE, SQUEEZE, EXPAND_DIMS, PAD, PADV2, CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK, TRANSPOSE, STRIDED_SLICE, SLICE, SHAPE, GATHER. */
final class DataKernels {
    private DataKernels() {}

    static void register(Map<String, Kernel> kernels) {
        kernels.put("RESHAPE", new ReshapeKernel());
        kernels.put("SQUEEZE", new SqueezeKernel());
        kernels.put("EXPAND_DIMS", new ExpandDimsKernel());
        // TFLM registers the same kernel for PAD and PADV2; PADV2 just has the constant_values operand.
        PadKernel pad = new PadKernel();
        kernels.put("PAD", pad);
        kernels.put("PADV2", pad);
        kernels.put("CONCATENATION", new ConcatenationKernel());
        kernels.put("SPLIT", new SplitKernel());
        kernels.put("SPLIT_V", new SplitVKernel());
        kernels.put("PACK", new PackKernel());
        kernels.put("UNPACK", new UnpackKernel());
        kernels.put("TRANSPOSE", new TransposeKernel());
        kernels.put("STRIDED_SLICE", new StridedSliceKernel());
        kernels.put("SLICE", new SliceKernel());
        kernels.put("SHAPE", new ShapeKernel());
        kernels.put("GATHER", new GatherKernel());
    }
}
