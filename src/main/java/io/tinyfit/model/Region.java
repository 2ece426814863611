package io.tinyfit.model;

import java.util.Arrays;

/**
 * A box of a tensor: per dimension the half-open range {@code [lo, hi)} in the tensor's global coordinates
 * ({@code SCHEMA.md}: {@code {"lo": [...], "hi": [...]}}). A whole tensor is {@code lo = 0, hi = shape}. Every empty
 * box (some extent 0) is the one canonical empty region of its rank, all bounds 0, so that two computations that
 * both find nothing compare equal.
 */
public final class Region {
    private final int[] lo;
    private final int[] hi;

    private Region(int[] lo, int[] hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** The box {@code [lo, hi)}; an empty one (some {@code hi <= lo}) becomes the canonical empty region. */
    public static Region of(int[] lo, int[] hi) {
        if (lo.length != hi.length) throw new IllegalArgumentException("lo " + Arrays.toString(lo) + " and hi " + Arrays.toString(hi) + " differ in rank");
        for (int d = 0; d < lo.length; d++) {
            if (hi[d] <= lo[d]) return empty(lo.length);
        }
        return new Region(lo.clone(), hi.clone());
    }

    public static Region whole(Shape shape) { return of(new int[shape.rank()], shape.toArray()); }

    public static Region empty(int rank) { return new Region(new int[rank], new int[rank]); }

    public int rank() { return lo.length; }

    public int lo(int d) { return lo[d]; }

    public int hi(int d) { return hi[d]; }

    public int extent(int d) { return hi[d] - lo[d]; }

    public int[] lo() { return lo.clone(); }

    public int[] hi() { return hi.clone(); }

    public int[] extents() {
        int[] e = new int[lo.length];
        for (int d = 0; d < e.length; d++) e[d] = hi[d] - lo[d];
        return e;
    }

    public boolean isEmpty() {
        for (int d = 0; d < lo.length; d++) if (hi[d] <= lo[d]) return true;
        return false;
    }

    public long elements() {
        long n = 1;
        for (int d = 0; d < lo.length; d++) n *= hi[d] - lo[d];
        return n;
    }

    /** True when this is the whole of a tensor of that shape. */
    public boolean isWhole(Shape shape) { return equals(whole(shape)); }

    public boolean contains(Region other) {
        if (other.rank() != rank()) return false;
        if (other.isEmpty()) return true;
        for (int d = 0; d < lo.length; d++) if (other.lo[d] < lo[d] || other.hi[d] > hi[d]) return false;
        return true;
    }

    /** True when the global coordinate lies in the box. */
    public boolean contains(int[] coordinate) {
        for (int d = 0; d < lo.length; d++) if (coordinate[d] < lo[d] || coordinate[d] >= hi[d]) return false;
        return true;
    }

    public Region intersect(Region other) {
        requireRank(other);
        int[] l = new int[lo.length], h = new int[lo.length];
        for (int d = 0; d < lo.length; d++) {
            l[d] = Math.max(lo[d], other.lo[d]);
            h[d] = Math.min(hi[d], other.hi[d]);
        }
        return of(l, h);
    }

    /** The smallest box holding both (an empty region adds nothing). */
    public Region union(Region other) {
        requireRank(other);
        if (isEmpty()) return other;
        if (other.isEmpty()) return this;
        int[] l = new int[lo.length], h = new int[lo.length];
        for (int d = 0; d < lo.length; d++) {
            l[d] = Math.min(lo[d], other.lo[d]);
            h[d] = Math.max(hi[d], other.hi[d]);
        }
        return of(l, h);
    }

    /**
     * Steps {@code coordinate} to the next one of the box in row-major order over dimensions {@code [0, dims)} (the
     * others left alone); false, with the coordinate back at lo, after the last one.
     */
    public boolean next(int[] coordinate, int dims) {
        for (int d = dims - 1; d >= 0; d--) {
            if (++coordinate[d] < hi[d]) return true;
            coordinate[d] = lo[d];
        }
        return false;
    }

    /** The same box with dimension d replaced by {@code [from, to)}. */
    public Region with(int d, int from, int to) {
        int[] l = lo.clone(), h = hi.clone();
        l[d] = from;
        h[d] = to;
        return of(l, h);
    }

    private void requireRank(Region other) {
        if (other.rank() != rank()) throw new IllegalArgumentException("region " + other + " is not of rank " + rank());
    }

    @Override public boolean equals(Object o) { return o instanceof Region r && Arrays.equals(lo, r.lo) && Arrays.equals(hi, r.hi); }

    @Override public int hashCode() { return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi); }

    @Override public String toString() { return "{lo " + Arrays.toString(lo) + ", hi " + Arrays.toString(hi) + "}"; }
}
