package io.tinyfit.kernels;

import java.util.Set;

/**
 * What a kernel allows when its output shares bytes with its input, as TFLM's kernels behave: the planners, the
 * DMO analysis and the verifier all ask here, so the three cannot disagree. (Which models TFLM refuses outright,
 * hybrid and uint8 ones, is {@code arena.TflmSupport}'s to say.)
 */
public final class InPlace {
    /** Kinds TFLM always copies, even onto the same bytes ({@code memcpy} of overlapping buffers is undefined in C). */
    private static final Set<String> ALWAYS_COPY = Set.of("SQUEEZE", "EXPAND_DIMS");

    private InPlace() {}

    /** The output may be the very bytes of its input (same offset, same size): TFLM's RESHAPE skips its copy then. */
    public static boolean mayAlias(String kind) { return kind.equals("RESHAPE"); }

    /** TFLM's kernel copies unconditionally, so the output needs bytes of its own. */
    public static boolean alwaysCopies(String kind) { return ALWAYS_COPY.contains(kind); }

    /** The output may partially overlap its input, at a delta a trace proves safe: the kernel follows TFLM's order. */
    public static boolean mayOverlapPartially(String kind) {
        return !mayAlias(kind) && !alwaysCopies(kind) && ReferenceOrders.has(kind);
    }
}
