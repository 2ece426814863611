package io.tinyfit.dmo;

import io.tinyfit.kernels.Window;

/**
 * The exact DMO bound of the window operators (CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D).
 *
 * <p>Their loop nests (batch, out_y, out_x, out_c, then the window) produce output element s in step s, after the
 * reads of step s, so when step s reads, exactly the output bytes {@code [0, s * so)} have been written. With O at
 * {@code delta} below I, that is safe for every read of step s iff {@code s * so - lowestRead(s) <= delta}, hence
 * {@code minDelta = max(0, max over steps s that read of s * so - lowestRead(s))}. The lowest byte step s reads
 * is its first in-image row, first in-image column and first input channel, so with
 * {@code s = ((b * OH + oy) * OW + ox) * OC + oc} the quantity splits into four independent terms:
 * <pre>
 *   b  * (OH*OW*OC*so - IH*IW*IC*si)             batch
 * + oy * OW*OC*so - firstRow(oy) * IW*IC*si      row
 * + ox * OC*so    - firstCol(ox) * IC*si         column
 * + oc * so       - firstChannel(oc) * si        channel
 * </pre>
 * and the maximum of the sum is the sum of the maxima, since the steps that read at all are exactly the product
 * of the rows and the columns with an in-image tap. The batch term is linear (max at b = 0 or B-1); the row and
 * column terms are linear wherever the window starts inside the image (max at either end of that range) and are
 * enumerated over the few leading positions whose window starts in the padding, where dilation makes the first
 * in-image tap jump; the channel term is a sawtooth over groups, maximal at the end of the first or last group.
 * Evaluation is O(top padding / stride + left padding / stride). A row-granular bound (every write of an output
 * row against the first input row that row reads) would overshoot by up to one output row; this loses nothing.
 */
final class WindowBound {
    private WindowBound() {}

    static AnalyticalMethod.Bound of(Window w, int si, int so) {
        long outRow = (long) w.x().out() * w.outDepth() * so;
        long inRow = (long) w.x().in() * w.inDepth() * si;
        Long row = axisMax(w.y(), outRow, inRow);
        Long col = axisMax(w.x(), (long) w.outDepth() * so, (long) w.inDepth() * si);
        if (row == null || col == null) return new AnalyticalMethod.Bound(0, true, "no tap falls inside the image: the input is never read");
        long perBatch = w.y().out() * outRow - w.y().in() * inRow;
        long batch = Math.max(0, (w.batches() - 1) * perBatch);
        long channel = channelMax(w, si, so);
        long lag = batch + row + col + channel;
        String formula = String.format("exact: max_s (s*so - lowestRead(s)) = batch %d + row %d + column %d + channel %d", batch, row, col, channel);
        return new AnalyticalMethod.Bound(Math.max(0, lag), true, formula);
    }

    /**
     * max over output positions o with an in-image tap of {@code o * outStep - firstTap(o) * inStep}, or null when
     * no position has one.
     */
    private static Long axisMax(Window.Axis a, long outStep, long inStep) {
        Long best = null;
        // positions whose window starts in the padding (origin < 0): few, and the first tap is not linear in o
        int linearFrom = Math.min(a.out(), (a.pad() + a.stride() - 1) / a.stride());
        for (int o = 0; o < linearFrom; o++) best = better(best, a, o, outStep, inStep);
        // from there on the first tap is the origin itself, a linear function, while it stays inside the image
        int linearTo = Math.min(a.out() - 1, (a.in() + a.pad() + a.stride() - 1) / a.stride() - 1);
        if (linearFrom <= linearTo) {
            best = better(best, a, linearFrom, outStep, inStep);
            best = better(best, a, linearTo, outStep, inStep);
        }
        return best;
    }

    private static Long better(Long best, Window.Axis a, int o, long outStep, long inStep) {
        int first = a.firstTap(o);
        if (first < 0) return best;
        long v = o * outStep - first * inStep;
        return best == null ? v : Math.max(best, v);
    }

    private static long channelMax(Window w, int si, int so) {
        long best = 0; // oc = 0
        for (int oc : new int[] {w.groupWidth() - 1, w.outDepth() - 1}) {
            if (oc > 0) best = Math.max(best, (long) oc * so - (long) w.firstChannel(oc) * si);
        }
        return best;
    }
}
