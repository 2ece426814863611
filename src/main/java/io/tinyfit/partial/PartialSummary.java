package io.tinyfit.partial;

import java.util.List;

/**
 * What partial execution did, for the report: every region it found, the slice count it chose (1: run whole) and
 * how it ends, and the arena of the plan it was given against the arena of its own plan.
 *
 * @param arenaBefore the arena of the plan the pass was given
 * @param arenaAfter  the arena of the best sliced plan it built (kept only when smaller)
 * @param evaluations how many candidate plans were built and placed
 */
public record PartialSummary(List<Entry> regions, long arenaBefore, long arenaAfter, int evaluations, PruningAdvice advice) {
    public PartialSummary {
        regions = List.copyOf(regions);
    }

    /**
     * @param ops         the region's operators (original indices of the plan's graph), the accumulating one last
     * @param description operator kinds and how the region ends
     * @param channels    channels of the sliced tensors
     * @param slices      the chosen slice count (1: not sliced)
     * @param ending      "accumulate" (int32 partial sums finished once) or "in-place"
     * @param wholeBytes  the largest tensor of the region that exists only as slices, whole
     * @param sliceBytes  its largest slice under the chosen count
     */
    public record Entry(List<Integer> ops, String description, int channels, int slices, String ending, long wholeBytes, long sliceBytes) {}

    /** The plan JSON's {@code partial}: the regions, their slice counts and endings, the arenas. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("arena_before_bytes", arenaBefore);
        m.put("arena_after_bytes", arenaAfter);
        m.put("evaluations", evaluations);
        List<java.util.Map<String, Object>> rs = new java.util.ArrayList<>();
        for (Entry e : regions) {
            java.util.Map<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("ops", e.ops());
            x.put("description", e.description());
            x.put("channels", e.channels());
            x.put("slices", e.slices());
            x.put("ending", e.ending());
            x.put("sliced_tensor_bytes", e.wholeBytes());
            x.put("slice_bytes", e.sliceBytes());
            rs.add(x);
        }
        m.put("regions", rs);
        return m;
    }

    public PartialSummary withAdvice(PruningAdvice a) { return new PartialSummary(regions, arenaBefore, arenaAfter, evaluations, a); }
}
