package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.kernels.Window;

/**
 * The loop nests of TFLM's window kernels, as access events only: CONV_2D ({@code ConvPerChannel} / {@code Conv}),
 * DEPTHWISE_CONV_2D ({@code DepthwiseConvPerChannel} / {@code DepthwiseConv}) and the pooling kernels
 * ({@code AveragePool} / {@code MaxPool}). Written from the reference sources, independently of the Java kernels,
 * so that comparing the two streams checks the kernels' order.
 */
final class WindowOrders {
    private WindowOrders() {}

    /** Element offset of (b, y, x, c) in an NHWC tensor of height h, width w, depth d. */
    private static long nhwc(int b, int y, int x, int c, int h, int w, int d) {
        return (((long) b * h + y) * w + x) * d + c;
    }

    /** batch > out_y > out_x > out_c > filter_y > filter_x > in_c of out_c's group; taps outside the image skipped. */
    static void conv(Window w, int si, int so, AccessListener reads, AccessListener writes) {
        Window.Axis ay = w.y(), ax = w.x();
        for (int b = 0; b < w.batches(); b++)
            for (int oy = 0; oy < ay.out(); oy++)
                for (int ox = 0; ox < ax.out(); ox++)
                    for (int oc = 0; oc < w.outDepth(); oc++) {
                        for (int fy = 0; fy < ay.taps(); fy++)
                            for (int fx = 0; fx < ax.taps(); fx++) {
                                if (!ax.inside(ox, fx) || !ay.inside(oy, fy)) continue;
                                int iy = ay.origin(oy) + fy * ay.dilation(), ix = ax.origin(ox) + fx * ax.dilation();
                                for (int ic = 0; ic < w.tapDepth(); ic++) {
                                    read(reads, nhwc(b, iy, ix, w.firstChannel(oc) + ic, ay.in(), ax.in(), w.inDepth()), si);
                                }
                            }
                        write(writes, nhwc(b, oy, ox, oc, ay.out(), ax.out(), w.outDepth()), so);
                    }
    }

    /** batch > out_y > out_x > in_c > m > filter_y > filter_x; taps outside the image skipped; output in_c*M + m. */
    static void depthwise(Window w, int si, int so, AccessListener reads, AccessListener writes) {
        Window.Axis ay = w.y(), ax = w.x();
        int multiplier = w.groupWidth();
        for (int b = 0; b < w.batches(); b++)
            for (int oy = 0; oy < ay.out(); oy++)
                for (int ox = 0; ox < ax.out(); ox++)
                    for (int ic = 0; ic < w.inDepth(); ic++)
                        for (int m = 0; m < multiplier; m++) {
                            for (int fy = 0; fy < ay.taps(); fy++)
                                for (int fx = 0; fx < ax.taps(); fx++) {
                                    if (!ax.inside(ox, fx) || !ay.inside(oy, fy)) continue;
                                    int iy = ay.origin(oy) + fy * ay.dilation(), ix = ax.origin(ox) + fx * ax.dilation();
                                    read(reads, nhwc(b, iy, ix, ic, ay.in(), ax.in(), w.inDepth()), si);
                                }
                            write(writes, nhwc(b, oy, ox, ic * multiplier + m, ay.out(), ax.out(), w.outDepth()), so);
                        }
    }

    /** batch > out_y > out_x > channel > filter_y > filter_x over the window clipped to the image. */
    static void pool(Window w, int si, int so, AccessListener reads, AccessListener writes) {
        Window.Axis ay = w.y(), ax = w.x();
        for (int b = 0; b < w.batches(); b++)
            for (int oy = 0; oy < ay.out(); oy++)
                for (int ox = 0; ox < ax.out(); ox++)
                    for (int c = 0; c < w.outDepth(); c++) {
                        int y0 = ay.origin(oy), x0 = ax.origin(ox);
                        for (int iy = Math.max(0, y0); iy < Math.min(y0 + ay.taps(), ay.in()); iy++)
                            for (int ix = Math.max(0, x0); ix < Math.min(x0 + ax.taps(), ax.in()); ix++) {
                                read(reads, nhwc(b, iy, ix, c, ay.in(), ax.in(), w.inDepth()), si);
                            }
                        write(writes, nhwc(b, oy, ox, c, ay.out(), ax.out(), w.outDepth()), so);
                    }
    }

    static void read(AccessListener l, long element, int width) { l.read(Math.toIntExact(element * width), width); }

    static void write(AccessListener l, long element, int width) { l.write(Math.toIntExact(element * width), width); }
}
