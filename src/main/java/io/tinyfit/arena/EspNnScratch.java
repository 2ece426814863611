package io.tinyfit.arena;

import io.tinyfit.kernels.Window;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.List;
import java.util.Optional;

/**
 * The scratch buffer each ESP-NN kernel of TFLM asks for in {@code Prepare}: espressif/esp-tflite-micro's
 * {@code kernels/esp_nn/conv.cc}, {@code depthwise_conv.cc} and {@code softmax.cc} call
 * {@code esp_nn_get_conv_scratch_size}, {@code esp_nn_get_depthwise_conv_scratch_size} and
 * {@code esp_nn_get_softmax_scratch_size} (int8 only) and request the size when it is above 0; add, mul, fully
 * connected and pooling request nothing. Which function runs depends on the chip: on the ESP32 ESP-NN's
 * {@code esp_nn_generic_opt.h} maps them to the {@code _opt} versions, on the ESP32-S3 {@code esp_nn_esp32s3.h} to
 * its SIMD ones (softmax stays {@code _opt} on both).
 *
 * <p>Mirrored from espressif/esp-nn as of 2023: {@code src/convolution/esp_nn_conv_esp32s3.c} and
 * {@code esp_nn_depthwise_conv_s8_esp32s3.c} (© 2020-2023), {@code esp_nn_conv_opt.c},
 * {@code esp_nn_depthwise_conv_opt.c} (both 0), {@code src/softmax/esp_nn_softmax_opt.c}. Later releases (2025-2026)
 * rewrote the ESP32-S3 size functions (im2col and 3x3 paths); those are not modelled.
 */
public final class EspNnScratch {
    private EspNnScratch() {}

    /**
     * {@code esp_nn_get_conv_scratch_size_esp32s3}: for a 1x1, stride-1, unpadded filter, the channels rounded up
     * to 8 ({@code new_channels}): an input copy when C is not a multiple of 8, the filter ({@code new_channels *
     * out_ch}), a transpose buffer of {@code 2 * 8 * new_channels} (none below 8 pixels), 32 for alignment;
     * otherwise, the channels rounded up to 16: a padded input copy {@code (w + 2 pad_w) * (h + 2 pad_h) * C} when
     * padded, the filter {@code kw * kh * new_channels * out_ch}, 32 for alignment and {@code 4 * out_ch}.
     */
    public static int convEsp32s3(int inW, int inH, int inC, int outC, int filterW, int filterH, int padW, int padH, int strideW, int strideH) {
        int align = 32;
        if (filterW == 1 && filterH == 1 && padW == 0 && padH == 0 && strideW == 1 && strideH == 1) {
            int ch = (inC + 7) & ~7;
            int transpose = inW * inH < 8 ? 0 : 2 * (8 * ch);
            int input = inC % 8 != 0 ? inW * inH * ch : 0;
            return input + ch * outC + transpose + align;
        }
        int ch = (inC + 15) & ~15;
        int input = padW == 0 && padH == 0 ? 0 : (inW + 2 * padW) * (inH + 2 * padH) * inC;
        return input + filterW * filterH * ch * outC + align + outC * 4;
    }

    /**
     * {@code esp_nn_get_depthwise_conv_scratch_size_esp32s3}: multiplier 1, C a multiple of 8, 3x3: with C a
     * multiple of 16, the filter plus a padded input copy (padding doubled, or the right/bottom padding the stride
     * needs) plus 16, or the filter plus 16 when no padding is needed; else {@code 2 * (filter + input) + 16};
     * a multiplier that is a multiple of 4: {@code 2 * (filter + input) + 16}; anything else 32.
     */
    public static int depthwiseEsp32s3(int inW, int inH, int channels, int chMult, int filterW, int filterH, int outW, int outH,
                                       int padW, int padH, int strideW, int strideH) {
        int filter = filterW * filterH * channels * chMult;
        if (chMult == 1 && channels % 8 == 0 && filterW == 3 && filterH == 3) {
            if (channels % 16 == 0) {
                int pw, ph;
                if (padW != 0 || padH != 0) {
                    pw = padW * 2;
                    ph = padH * 2;
                } else {
                    pw = (outW * strideW + filterW - 1) - inW;
                    ph = (outH * strideH + filterH - 1) - inH;
                }
                if (pw != 0 || ph != 0) return filter + (inW + pw) * (inH + ph) * channels + 16;
                return filter + 16;
            }
            return 2 * (filter + inW * inH * channels) + 16;
        }
        if (chMult % 4 == 0) return 2 * (filter + inW * inH * channels) + 16;
        return 32;
    }

    /** {@code esp_nn_get_softmax_scratch_size_opt(width, height)}: {@code width * 4}. */
    public static int softmaxOpt(int width) { return width * 4; }

    /**
     * What the ESP-NN kernel of {@code op} requests in TFLM's {@code Prepare}; empty when not modelled. The conv
     * and depthwise Prepare pass the input's width, height and channels, the output's, the filter's width and
     * height, the strides and {@code CalculateOpData}'s leading padding; softmax passes {@code dims->data[1]} as the
     * width (for a {@code [1, N]} input, N).
     */
    static Optional<List<Long>> of(Graph g, Op op, Cpu cpu) {
        DType in = g.tensor(op.input(0)).dtype();
        switch (op.kind()) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                if (in != DType.INT8) return Optional.empty();   // other types: the reference kernels' figure
                if (cpu != Cpu.ESP32_S3) return Optional.of(List.of());   // the _opt size functions return 0
                Window w = Window.of(g, op);
                int[] fd = g.tensor(op.input(1)).shape().extended(4);
                int[] id = g.tensor(op.input(0)).shape().extended(4);
                int[] od = g.tensor(op.output(0)).shape().extended(4);
                int size;
                if (op.kind().equals("CONV_2D")) {
                    size = convEsp32s3(id[2], id[1], id[3], od[3], fd[2], fd[1], w.x().pad(), w.y().pad(), w.x().stride(), w.y().stride());
                } else {
                    int option = op.options().getInt("depthMultiplier", 0);
                    int mult = option > 0 ? option : id[3] == 0 ? 1 : od[3] / id[3];   // params.depth_multiplier
                    size = depthwiseEsp32s3(id[2], id[1], id[3], mult, fd[2], fd[1], od[2], od[1], w.x().pad(), w.y().pad(), w.x().stride(), w.y().stride());
                }
                return Optional.of(size > 0 ? List.of((long) size) : List.of());
            }
            case "SOFTMAX" -> {
                if (in != DType.INT8 || g.tensor(op.output(0)).dtype() != DType.INT8) return Optional.of(List.of());
                io.tinyfit.model.Shape shape = g.tensor(op.input(0)).shape();
                int width = shape.rank() > 1 ? shape.dim(1) : 0;   // input->dims->data[1]
                int size = softmaxOpt(width);
                return Optional.of(size > 0 ? List.of((long) size) : List.of());
            }
            case "ADD", "MUL", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D" -> {
                return Optional.of(List.of());
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
