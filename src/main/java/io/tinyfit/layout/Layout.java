package io.tinyfit.layout;

import java.util.Arrays;
import java.util.List;

/**
 * A computed layout: one offset per buffer (index = buffer id) and the arena it needs.
 *
 * @param strategy  name of the planner that produced it
 * @param offsets   offset of each buffer in bytes
 * @param arenaSize largest {@code offset + aligned size}, 0 without buffers
 */
public record Layout(String strategy, List<Long> offsets, long arenaSize) {

    public Layout {
        offsets = List.copyOf(offsets);
    }

    /** Builds a layout and derives its arena size from the problem's aligned sizes. */
    public static Layout of(String strategy, LayoutProblem problem, long[] offsets) {
        if (offsets.length != problem.bufferCount()) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + problem.bufferCount() + " buffers");
        }
        return new Layout(strategy, Arrays.stream(offsets).boxed().toList(), arenaOf(problem, offsets));
    }

    static long arenaOf(LayoutProblem problem, long[] offsets) {
        long arena = 0;
        for (Buffer b : problem.buffers()) {
            arena = Math.max(arena, offsets[b.id()] + b.size());
        }
        return arena;
    }

    public long offset(int buffer) {
        return offsets.get(buffer);
    }

    public long[] offsetArray() {
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }
}
