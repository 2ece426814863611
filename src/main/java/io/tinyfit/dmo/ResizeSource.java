package io.tinyfit.dmo;

/**
 * The source coordinates of RESIZE_BILINEAR along one axis, as TFLite's reference kernels compute them: float32
 * ({@code ComputeInterpolationValues}, single precision) and int8 ({@code ResizeBilinearInteger}, 10-bit fixed
 * point). Both the DMO bound and the symbolic loop nest need the exact lower and upper source index of every
 * output index, so the arithmetic must match the kernel's bit for bit (float rounding included).
 */
final class ResizeSource {
    private ResizeSource() {}

    /** {lower, upper} source index of output index {@code v}. */
    static int[] of(int v, int inSize, int outSize, boolean alignCorners, boolean halfPixelCenters, boolean integer) {
        if (integer) {
            int scale10 = ((1 << 10) * inSize + outSize / 2) / outSize;
            if (alignCorners && outSize > 1) scale10 = ((1 << 10) * (inSize - 1) + (outSize - 1) / 2) / (outSize - 1);
            int input = halfPixelCenters ? v * scale10 + scale10 / 2 - (1 << 9) : v * scale10;
            int lo = Math.max(input / (1 << 10), 0);
            int hi = Math.min((input + (1 << 10) - 1) / (1 << 10), inSize - 1);
            return new int[] {lo, hi};
        }
        float scale = (float) inSize / outSize;
        if (alignCorners && outSize > 1) scale = (float) (inSize - 1) / (outSize - 1);
        float input = halfPixelCenters ? ((float) v + 0.5f) * scale - 0.5f : (float) v * scale;
        int lo = Math.max((int) (float) Math.floor(input), 0);
        int hi = Math.min((int) (float) Math.ceil(input), inSize - 1);
        return new int[] {lo, hi};
    }

    /** The lowest source index output index {@code v} reads. */
    static long lowest(int v, int inSize, int outSize, boolean alignCorners, boolean halfPixelCenters, boolean integer) {
        int[] s = of(v, inSize, outSize, alignCorners, halfPixelCenters, integer);
        return Math.min(s[0], s[1]);
    }
}
