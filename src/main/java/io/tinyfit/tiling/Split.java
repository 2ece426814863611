package io.tinyfit.tiling;

import java.util.Locale;

/**
 * One fused path of a plan run in parts: the operators at positions {@code first..last} (inclusive) of the operator
 * order, split along one kind of dimension into {@code parts} (times {@code columns} for a grid), with the halo of
 * neighbouring spatial parts recomputed, cached or streamed.
 *
 * @param first   position of the path's first operator in the order
 * @param last    position of its last operator (whose output is written whole, part by part)
 * @param kind    what is split
 * @param parts   parts along the split dimension (rows for a grid)
 * @param columns column parts of a grid, else 1
 * @param halo    how neighbouring spatial parts share the rows their windows both read
 */
public record Split(int first, int last, Kind kind, int parts, int columns, Halo halo) {
    public enum Kind {
        /** Bands of rows of the last operator's output (FFMT, 1-D). */
        ROWS(1),
        /** Bands of columns. */
        COLUMNS(2),
        /** Rows × columns cells (FFMT, 2-D); halos recomputed. */
        GRID(1),
        /** Channel slices of the last operator's output through channel-local operators (FDT). */
        CHANNELS(3),
        /**
         * Channel slices of the last operator's input: the path before it runs per slice and the last operator (a
         * convolution) adds each slice's int32 partial sums into an accumulator, finished once.
         */
        INPUT_CHANNELS(3);

        final int dim;

        Kind(int dim) { this.dim = dim; }

        public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    public enum Halo {
        /** Every part computes all it reads (FFMT): extra MACs, small tiles. */
        RECOMPUTE,
        /** Each tile starts with the rows the previous tile already holds, copied; only new rows are computed. */
        CACHE,
        /** Every intermediate is one buffer written a band at a time; rows are freed byte by byte once read. */
        STREAM,
        /**
         * Cached, but each intermediate advances one row at a time, pulled by what its consumers need next (a line
         * buffer): the first output band no longer computes its whole receptive field into one tile per operator,
         * and the path's first operator frees its input rows as it goes.
         */
        PIPELINE,
        /** Channel splits: parts share nothing. */
        NONE;

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    public int length() { return last - first + 1; }

    public int totalParts() { return parts * columns; }

    public boolean overlaps(Split o) { return !(o.last < first || last < o.first); }

    /** For people: {@code rows x8 (cache), ops 3..9}. */
    public String describe() {
        return kind.label() + " x" + (kind == Kind.GRID ? parts + "x" + columns : String.valueOf(parts)) + (halo == Halo.NONE ? "" : " (" + halo.label() + ")")
                + ", steps " + first + ".." + last;
    }
}
