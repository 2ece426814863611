package io.tinyfit.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a layout against its problem from first principles, sharing no code with the
 * planners (no conflict graph, no forbidden-interval arithmetic), so a planner bug cannot hide
 * behind the same bug in its checker. A layout is valid when:
 *
 * <ul>
 *   <li>there is one offset per buffer, none negative;</li>
 *   <li>every offset is a multiple of the alignment;</li>
 *   <li>offline buffers sit exactly at their fixed offsets;</li>
 *   <li>no two buffers live at a common step share a byte, unless they are a declared
 *       (output, input) pair with {@code offset(input) - offset(output) >= minDelta};</li>
 *   <li>the recorded arena size is the largest {@code offset + aligned size}.</li>
 * </ul>
 */
public final class LayoutChecker {

    private LayoutChecker() {
    }

    /** What went wrong, with the buffers involved (one or two ids, none for whole-layout issues). */
    public record Violation(Kind kind, List<Integer> buffers, String message) {
        public Violation {
            buffers = List.copyOf(buffers);
        }
    }

    public enum Kind { WRONG_COUNT, NEGATIVE_OFFSET, MISALIGNED, OFFLINE_MOVED, OVERLAP, WRONG_ARENA }

    /** All violations found; empty means valid. */
    public record Report(List<Violation> violations) {
        public Report {
            violations = List.copyOf(violations);
        }

        public boolean valid() {
            return violations.isEmpty();
        }

        @Override
        public String toString() {
            return valid() ? "valid" : violations.size() + " violation(s): " + violations;
        }
    }

    public static Report check(LayoutProblem problem, Layout layout) {
        Report report = check(problem, layout.offsetArray());
        long arena = 0;
        for (Buffer b : problem.buffers()) {
            if (b.id() < layout.offsets().size()) {
                arena = Math.max(arena, layout.offset(b.id()) + b.size());
            }
        }
        if (report.valid() && arena != layout.arenaSize()) {
            return new Report(List.of(new Violation(Kind.WRONG_ARENA, List.of(),
                    "arena recorded as " + layout.arenaSize() + " but the buffers reach " + arena)));
        }
        return report;
    }

    public static Report check(LayoutProblem problem, long[] offsets) {
        List<Violation> found = new ArrayList<>();
        List<Buffer> buffers = problem.buffers();
        if (offsets.length != buffers.size()) {
            found.add(new Violation(Kind.WRONG_COUNT, List.of(),
                    offsets.length + " offsets for " + buffers.size() + " buffers"));
            return new Report(found);
        }
        for (Buffer b : buffers) {
            long at = offsets[b.id()];
            if (at < 0) {
                found.add(new Violation(Kind.NEGATIVE_OFFSET, List.of(b.id()), "buffer " + b.id() + " at " + at));
            }
            if (at % problem.alignment() != 0) {
                found.add(new Violation(Kind.MISALIGNED, List.of(b.id()),
                        "buffer " + b.id() + " at " + at + " is not a multiple of " + problem.alignment()));
            }
            if (b.isOffline() && at != b.offlineOffset()) {
                found.add(new Violation(Kind.OFFLINE_MOVED, List.of(b.id()),
                        "buffer " + b.id() + " fixed at " + b.offlineOffset() + " but placed at " + at));
            }
        }
        Map<List<Integer>, Long> minDelta = new HashMap<>();
        for (OverlapAllowance a : problem.allowances()) {
            minDelta.merge(List.of(a.output(), a.input()), a.minDelta(), Math::min);
        }
        for (int i = 0; i < buffers.size(); i++) {
            Buffer a = buffers.get(i);
            for (int j = i + 1; j < buffers.size(); j++) {
                Buffer b = buffers.get(j);
                boolean sameTime = a.firstStep() <= b.lastStep() && b.firstStep() <= a.lastStep();
                long aEnd = offsets[i] + a.size();
                long bEnd = offsets[j] + b.size();
                boolean shareBytes = a.size() > 0 && b.size() > 0 && offsets[i] < bEnd && offsets[j] < aEnd;
                if (!sameTime || !shareBytes || allowed(minDelta, offsets, i, j) || allowed(minDelta, offsets, j, i)) {
                    continue;
                }
                found.add(new Violation(Kind.OVERLAP, List.of(i, j), String.format(
                        "buffers %d [%d,%d) and %d [%d,%d) share bytes during steps %d..%d",
                        i, offsets[i], aEnd, j, offsets[j], bEnd,
                        Math.max(a.firstStep(), b.firstStep()), Math.min(a.lastStep(), b.lastStep()))));
            }
        }
        return new Report(found);
    }

    private static boolean allowed(Map<List<Integer>, Long> minDelta, long[] offsets, int output, int input) {
        Long delta = minDelta.get(List.of(output, input));
        return delta != null && offsets[input] - offsets[output] >= delta;
    }
}
