package io.tinyfit.model;

import java.util.Arrays;

/**
 * Affine quantisation parameters: per tensor (one scale) or per channel along {@code quantizedDimension}.
 * {@code min}/{@code max} are kept only so that a written model round-trips.
 */
public final class Quantization {
    private final float[] min;
    private final float[] max;
    private final float[] scales;
    private final long[] zeroPoints;
    private final int quantizedDimension;
    private final Presence presence;

    /**
     * @param presence which of {@code min}, {@code max}, {@code scale}, {@code zero_point} the file had (a table may
     *                 carry empty vectors)
     */
    public Quantization(float[] min, float[] max, float[] scales, long[] zeroPoints, int quantizedDimension, Presence presence) {
        this.min = min == null ? new float[0] : min.clone();
        this.max = max == null ? new float[0] : max.clone();
        this.scales = scales == null ? new float[0] : scales.clone();
        this.zeroPoints = zeroPoints == null ? new long[0] : zeroPoints.clone();
        this.quantizedDimension = quantizedDimension;
        this.presence = presence == null ? Presence.BUILT : presence;
    }

    public Quantization(float[] min, float[] max, float[] scales, long[] zeroPoints, int quantizedDimension) {
        this(min, max, scales, zeroPoints, quantizedDimension, Presence.BUILT);
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(null, null, new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    public static Quantization perChannel(float[] scales, long[] zeroPoints, int dim) {
        return new Quantization(null, null, scales, zeroPoints, dim);
    }

    public int channels() { return scales.length; }
    public boolean isPerChannel() { return scales.length > 1; }
    public boolean hasScale() { return scales.length > 0; }
    public float scale() { return scales.length == 0 ? 0f : scales[0]; }
    public float scale(int channel) { return scales[channel]; }
    public int zeroPoint() { return zeroPoints.length == 0 ? 0 : (int) zeroPoints[0]; }
    public long zeroPoint(int channel) { return zeroPoints[channel]; }
    public int quantizedDimension() { return quantizedDimension; }
    public float[] scales() { return scales.clone(); }
    public long[] zeroPoints() { return zeroPoints.clone(); }
    public float[] min() { return min.clone(); }
    public float[] max() { return max.clone(); }
    public Presence presence() { return presence; }

    /** True when nothing is set (the schema allows an empty table). */
    public boolean isEmpty() {
        return min.length == 0 && max.length == 0 && scales.length == 0 && zeroPoints.length == 0 && quantizedDimension == 0;
    }

    /** A copy with every zero point shifted, e.g. -128 to turn a uint8 model into its int8 twin. */
    public Quantization shiftZeroPoints(long delta) {
        long[] z = zeroPoints.clone();
        for (int i = 0; i < z.length; i++) z[i] += delta;
        return new Quantization(min, max, scales, z, quantizedDimension, presence);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Quantization q && Arrays.equals(min, q.min) && Arrays.equals(max, q.max)
                && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints)
                && quantizedDimension == q.quantizedDimension && presence.equals(q.presence);
    }

    @Override public int hashCode() { return Arrays.hashCode(scales) * 31 + Arrays.hashCode(zeroPoints); }

    @Override public String toString() {
        return scales.length == 1 ? "q(" + scales[0] + "," + zeroPoints[0] + ")" : "q(" + scales.length + " channels, dim " + quantizedDimension + ")";
    }
}
