package io.tinyfit.model;

import java.util.Arrays;

/** An immutable tensor shape. Rank 0 is a scalar with one element. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) { this.dims = dims; }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }

    public int dim(int i) { return dims[i]; }

    /** Dimension counted from the end: {@code fromEnd(1)} is the last (innermost) dimension. */
    public int fromEnd(int i) { return dims[dims.length - i]; }

    public int[] toArray() { return dims.clone(); }

    /** Element count; dynamic (-1) dimensions count as 1 and zero dimensions give 0. */
    public long numElements() {
        long n = 1;
        for (int d : dims) n *= Math.max(d, d < 0 ? 1 : d);
        return n;
    }

    public boolean isDynamic() {
        for (int d : dims) if (d < 0) return true;
        return false;
    }

    /** The dims as a 4-D NHWC-style shape, left-padded with ones (TFLite's {@code RuntimeShape::ExtendedShape}). */
    public int[] extended(int rank) {
        if (dims.length > rank) throw new IllegalArgumentException("shape " + this + " has rank above " + rank);
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(dims, 0, out, rank - dims.length, dims.length);
        return out;
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
