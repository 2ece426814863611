package io.tinyfit.arena;

import io.tinyfit.kernels.Window;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.List;
import java.util.Optional;

/**
 * The scratch buffer each CMSIS-NN kernel of TFLM asks for in {@code Prepare}: tflite-micro's
 * {@code kernels/cmsis_nn/*.cc} call CMSIS-NN's {@code *_get_buffer_size} functions with the operator's dims and
 * request that many bytes with {@code RequestScratchBufferInArena} when it is above 0. The functions depend on how
 * CMSIS-NN was compiled: {@code ARM_MATH_MVEI} (Helium), else {@code ARM_MATH_DSP}, else plain C.
 *
 * <p>Mirrored from CMSIS-NN (ARM-software/CMSIS-NN) as of 2023:
 * {@code Source/ConvolutionFunctions/arm_convolve_get_buffer_sizes_s8.c} V.1.4.0,
 * {@code arm_depthwise_conv_get_buffer_sizes_s8.c} V.1.0.0 (20 January 2023),
 * {@code Source/FullyConnectedFunctions/arm_fully_connected_get_buffer_sizes_s8.c} V.1.0.0,
 * {@code Source/PoolingFunctions/arm_avgpool_get_buffer_sizes_s8.c} V.1.0.0 (25 January 2023). Later releases
 * changed two figures: {@code arm_convolve_s8_get_buffer_size_mve} rounds to 16 lanes instead of 8 (V.2.x), and
 * the DSP 1x1 fast path asks {@code 4 * C} bytes when built with Arm Compiler 6 (0 with GCC, which this assumes).
 * Only int8 activations are modelled (the {@code _s8} functions); other types keep the reference kernels' scratch.
 */
public final class CmsisNnScratch {
    /** {@code CH_IN_BLOCK_MVE} of {@code arm_nnsupportfunctions.h}: channels per block of the MVE depthwise kernel. */
    static final int CH_IN_BLOCK_MVE = 124;

    private CmsisNnScratch() {}

    /**
     * {@code arm_convolve_wrapper_s8_get_buffer_size} (the DSP variant calls the generic one; the MVE variant takes
     * the same branches with MVE sizes): 1x1 kernels without padding or dilation ask nothing (the fast path's
     * buffer is 0 with GCC); a 1xN row ({@code input h == 1}, {@code filter h == 1}, {@code dilation.w == 1},
     * {@code stride.w * C % 4 == 0}) asks the im2col size on plain C and DSP, 0 on MVE; everything else the im2col
     * buffer of {@link #convolveS8}. There is no DSP condition: a Cortex-M0 asks for im2col too.
     */
    public static int convolveWrapperS8(Cpu cpu, int inH, int inC, int filterH, int filterW, int strideW, int strideH,
                                        int padW, int padH, int dilationW, int dilationH) {
        if (padW == 0 && padH == 0 && filterW == 1 && filterH == 1 && dilationW == 1 && dilationH == 1) {
            return 0;   // stride 1: arm_convolve_1x1_s8_fast_get_buffer_size (0); other strides: arm_convolve_1x1_s8, no buffer
        }
        if (inH == 1 && dilationW == 1 && filterH == 1 && (strideW * inC) % 4 == 0) {
            return cpu.mve() ? 0 : convolveS8(cpu, inC, filterH, filterW);   // arm_convolve_1_x_n_s8_get_buffer_size
        }
        return convolveS8(cpu, inC, filterH, filterW);
    }

    /**
     * {@code arm_convolve_s8_get_buffer_size}: two im2col columns of int16, the column length rounded up to 4
     * ({@code (2 * aligned_rhs_cols) * sizeof(int16_t)}); with MVE four int8 columns rounded up to 8 lanes
     * ({@code 4 * ceil(C*kw*kh / 8) * 8}).
     */
    public static int convolveS8(Cpu cpu, int inC, int filterH, int filterW) {
        int cols = filterW * filterH * inC;
        if (cpu.mve()) return 4 * ((cols + 7) / 8) * 8;
        int aligned = cols % 4 != 0 ? cols + 4 - cols % 4 : cols;
        return 2 * aligned * 2;
    }

    /**
     * {@code arm_depthwise_conv_wrapper_s8_get_buffer_size}: only the optimised path ({@code arm_depthwise_conv_s8_opt},
     * taken when input and output channels are equal, one batch, no dilation) has a buffer; without MVE a 3x3 filter
     * with padding at most 1 takes {@code arm_depthwise_conv_3x3_s8}, which has none. The opt buffer is
     * {@code C * kw * kh * sizeof(int16_t)} with DSP, {@code 4 * CH_IN_BLOCK_MVE * kw * kh} with MVE, 0 on plain C.
     */
    public static int depthwiseConvWrapperS8(Cpu cpu, int batches, int inC, int outC, int filterH, int filterW, int padW, int padH,
                                             int dilationW, int dilationH) {
        if (inC != outC || batches != 1 || dilationW != 1 || dilationH != 1) return 0;
        if (!cpu.mve() && filterW == 3 && filterH == 3 && padH <= 1 && padW <= 1) return 0;
        if (cpu.mve()) return 4 * CH_IN_BLOCK_MVE * filterW * filterH;
        if (cpu.dsp()) return inC * filterW * filterH * 2;
        return 0;
    }

    /** {@code arm_fully_connected_s8_get_buffer_size}: 0 on every build. */
    public static int fullyConnectedS8() { return 0; }

    /** {@code arm_avgpool_s8_get_buffer_size}: {@code C * sizeof(int32_t)} with DSP and without MVE, else 0. */
    public static int avgpoolS8(Cpu cpu, int channels) {
        return cpu.dsp() && !cpu.mve() ? channels * 4 : 0;
    }

    /**
     * What the CMSIS-NN kernel of {@code op} requests in TFLM's {@code Prepare}, empty when its kind or type is not
     * modelled (the caller keeps the reference kernel's figure and says so). tflite-micro
     * {@code kernels/cmsis_nn/conv.cc}, {@code depthwise_conv.cc}, {@code fully_connected.cc}, {@code pooling.cc}:
     * the dims come from the input, filter and output tensors, the padding from {@code CalculateOpData}'s
     * {@code ComputePaddingHeightWidth} (the window's leading padding), one request when the size is above 0.
     * Softmax, add, mul, max pooling, maximum/minimum, pad and transpose request nothing.
     */
    static Optional<List<Long>> of(Graph g, Op op, Cpu cpu) {
        DType in = g.tensor(op.input(0)).dtype();
        switch (op.kind()) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                if (in != DType.INT8) return Optional.empty();   // other types: the reference kernels' figure
                Window w = Window.of(g, op);
                int[] fd = g.tensor(op.input(1)).shape().extended(4);
                int[] id = g.tensor(op.input(0)).shape().extended(4);
                int[] od = g.tensor(op.output(0)).shape().extended(4);
                if (g.tensor(op.input(1)).dtype() != DType.INT8) return Optional.empty();   // int4 filters: the _s4 functions
                int size = op.kind().equals("CONV_2D")
                        ? convolveWrapperS8(cpu, id[1], id[3], fd[1], fd[2], w.x().stride(), w.y().stride(), w.x().pad(), w.y().pad(),
                                w.x().dilation(), w.y().dilation())
                        : depthwiseConvWrapperS8(cpu, id[0], id[3], od[3], fd[1], fd[2], w.x().pad(), w.y().pad(), w.x().dilation(), w.y().dilation());
                return Optional.of(size > 0 ? List.of((long) size) : List.of());
            }
            case "FULLY_CONNECTED" -> {
                return in == DType.INT8 ? Optional.of(List.of()) : Optional.empty();
            }
            case "AVERAGE_POOL_2D" -> {
                if (in != DType.INT8) return Optional.empty();   // other types: the reference kernels' figure
                int size = avgpoolS8(cpu, g.tensor(op.output(0)).shape().extended(4)[3]);
                return Optional.of(size > 0 ? List.of((long) size) : List.of());
            }
            case "MAX_POOL_2D", "SOFTMAX", "ADD", "MUL", "MAXIMUM", "MINIMUM", "PAD", "TRANSPOSE" -> {
                return Optional.of(List.of());
            }
            default -> {
                return Optional.empty();   // SVDF, LSTM, TRANSPOSE_CONV, BATCH_MATMUL: not modelled
            }
        }
    }
}
