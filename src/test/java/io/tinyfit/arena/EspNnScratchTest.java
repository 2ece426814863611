package io.tinyfit.arena;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each ESP-NN size function against a worked example of its source's formula (files named in {@link EspNnScratch}). */
class EspNnScratchTest {
    @Test
    void pointwiseConvolution() {
        // 1x1 over 10x10x16 to 32: channels stay 16 (multiple of 8): no input copy, filter 16 * 32 = 512,
        // transpose 2 * 8 * 16 = 256, alignment 32: 800
        assertThat(EspNnScratch.convEsp32s3(10, 10, 16, 32, 1, 1, 0, 0, 1, 1)).isEqualTo(800);
        // 3 channels: rounded to 8, so the input is copied too: 100 * 8 = 800, filter 8 * 32 = 256, transpose 128, 32: 1,216
        assertThat(EspNnScratch.convEsp32s3(10, 10, 3, 32, 1, 1, 0, 0, 1, 1)).isEqualTo(1216);
        // fewer than 8 pixels: no transpose buffer: 0 + 16 * 4 + 0 + 32 = 96
        assertThat(EspNnScratch.convEsp32s3(2, 3, 16, 4, 1, 1, 0, 0, 1, 1)).isEqualTo(96);
    }

    @Test
    void generalConvolution() {
        // 3x3, padding 1, 10x10x3 to 8: channels rounded to 16; padded input 12 * 12 * 3 = 432, filter 9 * 16 * 8 = 1,152,
        // alignment 32, per-channel offsets 8 * 4 = 32: 1,648
        assertThat(EspNnScratch.convEsp32s3(10, 10, 3, 8, 3, 3, 1, 1, 1, 1)).isEqualTo(1648);
        // unpadded: no input copy: 1,152 + 32 + 32 = 1,216
        assertThat(EspNnScratch.convEsp32s3(10, 10, 3, 8, 3, 3, 0, 0, 1, 1)).isEqualTo(1216);
    }

    @Test
    void depthwise() {
        // 3x3, 16 channels, multiplier 1, padding 1: filter 144 + padded input (10 + 2) * (10 + 2) * 16 = 2,304 + 16 = 2,464
        assertThat(EspNnScratch.depthwiseEsp32s3(10, 10, 16, 1, 3, 3, 10, 10, 1, 1, 1, 1)).isEqualTo(2464);
        // unpadded, stride 1, 8x8 output of a 10x10 input: (8 + 2) - 10 = 0 extra: filter + 16 = 160
        assertThat(EspNnScratch.depthwiseEsp32s3(10, 10, 16, 1, 3, 3, 8, 8, 0, 0, 1, 1)).isEqualTo(160);
        // 8 channels (not 16): 2 * (72 + 800) + 16 = 1,760
        assertThat(EspNnScratch.depthwiseEsp32s3(10, 10, 8, 1, 3, 3, 10, 10, 1, 1, 1, 1)).isEqualTo(1760);
        // multiplier 4 over 3 channels, 3x3: filter 108, input 300: 2 * 408 + 16 = 832
        assertThat(EspNnScratch.depthwiseEsp32s3(10, 10, 3, 4, 3, 3, 10, 10, 1, 1, 1, 1)).isEqualTo(832);
        // anything else: 32
        assertThat(EspNnScratch.depthwiseEsp32s3(10, 10, 3, 1, 3, 3, 10, 10, 1, 1, 1, 1)).isEqualTo(32);
    }

    @Test
    void softmax() {
        assertThat(EspNnScratch.softmaxOpt(12)).isEqualTo(48);
    }
}
