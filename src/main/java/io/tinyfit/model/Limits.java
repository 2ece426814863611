package io.tinyfit.model;

/**
 * How much memory a model may ask tinyfit for. The bound is checked when a model is loaded, before anything is
 * allocated for it: no single tensor, and not all of its activation tensors and kernel scratch buffers together
 * (the arena of the no-reuse reference run that verifies every optimised plan, which bounds every plan tinyfit
 * derives from the file), may need more than {@code maxArenaBytes}; nor may a tensor of the file's own offline plan
 * end beyond it. A corrupt dimension scaled by 65,536 is then refused in microseconds instead of allocating
 * gigabytes and running kernels over them for minutes.
 *
 * @param maxArenaBytes the bound in bytes (the command line's {@code --max-arena-bytes})
 */
public record Limits(long maxArenaBytes) {
    /** 2 GiB: far above any microcontroller's SRAM, and about the largest single array Java can allocate. */
    public static final long DEFAULT_MAX_ARENA_BYTES = 2L << 30;

    /** The largest limit that can be set (2^50 bytes, a petabyte). */
    public static final long MAX = 1L << 50;

    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_ARENA_BYTES);

    public Limits {
        // the upper cap keeps every sum of sizes below it far from long overflow
        if (maxArenaBytes <= 0 || maxArenaBytes > MAX) throw new IllegalArgumentException("the arena limit must be between 1 and " + MAX + " bytes, not " + maxArenaBytes);
    }

    /** The limit as the messages state it, with the option that changes it. */
    public String describe() {
        return "the limit of " + String.format(java.util.Locale.ROOT, "%,d", maxArenaBytes) + " bytes (--max-arena-bytes)";
    }
}
