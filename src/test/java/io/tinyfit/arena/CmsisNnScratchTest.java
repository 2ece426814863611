package io.tinyfit.arena;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each CMSIS-NN size function against a worked example: the formula of the CMSIS-NN source (file named in
 * {@link CmsisNnScratch}) evaluated by hand, and the cases of Apache TVM's
 * {@code tests/cpp/relay/backend/contrib/cmsisnn/buffer_size_test.cc}, which mirror the same CMSIS-NN release
 * ({@code Conv2dBufferSizeInt8.Default}: {@code 2 * C * w * h * sizeof(int16_t)} without MVE and DSP alike,
 * {@code 4 * ceil(C*w*h / 8) * 8} with MVE; {@code Conv1xN}: the same without MVE, 0 with it; {@code Conv1x1}: 0
 * everywhere; {@code DepthwiseConv2dBufferSizeInt8.Default}: 0, {@code C*w*h*2}, {@code 4 * 124 * w * h};
 * {@code AvgPoolBufferSize}: 0, {@code C * 4}, 0).
 */
class CmsisNnScratchTest {
    @Test
    void im2colBufferIsAskedWithoutDspToo() {
        // 3x3 filter over 3 channels: 27 columns, aligned to 28, two int16 columns: 2 * 28 * 2 = 112 bytes
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M0, 3, 3, 3)).isEqualTo(112);
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M4, 3, 3, 3)).isEqualTo(112);
        // MVE: 4 int8 columns of ceil(27 / 8) * 8 = 32 lanes: 128 bytes
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M55, 3, 3, 3)).isEqualTo(128);
        // TVM's Default case with C=12, 5x5 (300 columns, a multiple of 4): 2 * 300 * 2 = 1200; MVE 4 * 38 * 8 = 1216
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M0, 12, 5, 5)).isEqualTo(1200);
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M7, 12, 5, 5)).isEqualTo(1200);
        assertThat(CmsisNnScratch.convolveS8(Cpu.CORTEX_M55, 12, 5, 5)).isEqualTo(1216);
    }

    @Test
    void wrapperBranches() {
        // 1x1, no padding, no dilation: arm_convolve_1x1_s8_fast (stride 1) or arm_convolve_1x1_s8: no buffer
        for (Cpu c : new Cpu[] {Cpu.CORTEX_M0, Cpu.CORTEX_M4, Cpu.CORTEX_M55}) {
            assertThat(CmsisNnScratch.convolveWrapperS8(c, 10, 16, 1, 1, 1, 1, 0, 0, 1, 1)).isZero();
            assertThat(CmsisNnScratch.convolveWrapperS8(c, 10, 16, 1, 1, 2, 2, 0, 0, 1, 1)).isZero();
        }
        // a padded 1x1 is a general convolution: 16 columns, 2 * 16 * 2 = 64
        assertThat(CmsisNnScratch.convolveWrapperS8(Cpu.CORTEX_M4, 10, 16, 1, 1, 1, 1, 1, 1, 1, 1)).isEqualTo(64);
        // 1xN (input height 1, filter height 1, stride.w * C % 4 == 0): 1x3 over 4 channels: 12 columns: 48; MVE 0
        assertThat(CmsisNnScratch.convolveWrapperS8(Cpu.CORTEX_M0, 1, 4, 1, 3, 1, 1, 1, 0, 1, 1)).isEqualTo(48);
        assertThat(CmsisNnScratch.convolveWrapperS8(Cpu.CORTEX_M55, 1, 4, 1, 3, 1, 1, 1, 0, 1, 1)).isZero();
        // stride.w * C = 3 is not a multiple of 4: the general path, MVE size 4 * ceil(9 / 8) * 8 = 64
        assertThat(CmsisNnScratch.convolveWrapperS8(Cpu.CORTEX_M55, 1, 3, 1, 3, 1, 1, 1, 0, 1, 1)).isEqualTo(64);
        // arm_cnn_s_kws's first conv: 10x4 filter (h=10, w=4) over 1 channel: 40 columns: 2 * 40 * 2 = 160
        assertThat(CmsisNnScratch.convolveWrapperS8(Cpu.CORTEX_M4, 49, 1, 10, 4, 2, 2, 1, 4, 1, 1)).isEqualTo(160);
    }

    @Test
    void depthwise() {
        // TVM's Default case: C=12 in and out, 5x5: DSP 12 * 25 * 2 = 600, MVE 4 * 124 * 25 = 12,400, plain C 0
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M0, 1, 12, 12, 5, 5, 2, 2, 1, 1)).isZero();
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M4, 1, 12, 12, 5, 5, 2, 2, 1, 1)).isEqualTo(600);
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M55, 1, 12, 12, 5, 5, 2, 2, 1, 1)).isEqualTo(12_400);
        // 3x3 with padding <= 1 takes arm_depthwise_conv_3x3_s8 (no buffer) unless MVE: 4 * 124 * 9 = 4,464
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M7, 1, 64, 64, 3, 3, 1, 1, 1, 1)).isZero();
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M55, 1, 64, 64, 3, 3, 1, 1, 1, 1)).isEqualTo(4_464);
        // TVM's UnEvenChannels (multiplier > 1) and MultipleBatches: 0 everywhere
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M4, 1, 4, 8, 5, 5, 2, 2, 1, 1)).isZero();
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M55, 2, 8, 8, 5, 5, 2, 2, 1, 1)).isZero();
        // dilation 2: arm_depthwise_conv_s8, no buffer
        assertThat(CmsisNnScratch.depthwiseConvWrapperS8(Cpu.CORTEX_M4, 1, 8, 8, 5, 5, 2, 2, 2, 2)).isZero();
    }

    @Test
    void fullyConnectedAndAveragePool() {
        assertThat(CmsisNnScratch.fullyConnectedS8()).isZero();
        // 64 channels: 64 int32 sums with DSP; none on plain C or MVE
        assertThat(CmsisNnScratch.avgpoolS8(Cpu.CORTEX_M4, 64)).isEqualTo(256);
        assertThat(CmsisNnScratch.avgpoolS8(Cpu.CORTEX_M0, 64)).isZero();
        assertThat(CmsisNnScratch.avgpoolS8(Cpu.CORTEX_M55, 64)).isZero();
    }
}
