package io.tinyfit.layout;

import java.util.Arrays;
import java.util.List;

/**
 * Text rendering of a layout in the format of TFLM's {@code GreedyMemoryPlanner::PrintMemoryPlan}:
 * a line per buffer, then one 80-column row per step where each column is a slice of the arena,
 * '.' is free, a buffer's ordinal character (0-9, a-z, A-Z, then '*') marks its bytes, '*' marks
 * single-step buffers (scratch buffers, subgraph outputs) and '!' marks a column two buffers share.
 * Works for any strategy's layout, so charts from different planners can be compared side by side.
 */
public final class MemoryPlanChart {

    private static final int LINE_WIDTH = 80;

    private MemoryPlanChart() {
    }

    public static String render(LayoutProblem problem, long[] offsets) {
        List<Buffer> buffers = problem.buffers();
        StringBuilder out = new StringBuilder();
        for (Buffer b : buffers) {
            out.append(String.format("%c (id=%d): size=%d, offset=%d, first_used=%d last_used=%d%n",
                    symbol(b), b.id(), b.size(), offsets[b.id()], b.firstStep(), b.lastStep()));
        }
        long maxSize = LINE_WIDTH;
        int maxTime = 0;
        for (Buffer b : buffers) {
            maxSize = Math.max(maxSize, offsets[b.id()] + b.size());
            maxTime = Math.max(maxTime, b.lastStep());
        }
        char[] line = new char[LINE_WIDTH];
        for (int t = 0; t <= maxTime; t++) {
            Arrays.fill(line, '.');
            long memoryUse = 0;
            for (Buffer b : buffers) {
                if (!b.liveAt(t) || offsets[b.id()] < 0) {
                    continue;
                }
                memoryUse += b.size();
                int start = (int) (offsets[b.id()] * LINE_WIDTH / maxSize);
                int end = (int) ((offsets[b.id()] + b.size()) * LINE_WIDTH / maxSize);
                for (int c = start; c < end; c++) {
                    line[c] = line[c] == '.' ? symbol(b) : '!';
                }
            }
            out.append(String.format("%4d: %s (%dk)%n", t, new String(line), (memoryUse + 1023) / 1024));
        }
        return out.toString();
    }

    private static char symbol(Buffer b) {
        return b.firstStep() == b.lastStep() ? '*' : ordinal(b.id());
    }

    static char ordinal(int i) {
        if (i < 10) {
            return (char) ('0' + i);
        } else if (i < 36) {
            return (char) ('a' + (i - 10));
        } else if (i < 62) {
            return (char) ('A' + (i - 36));
        }
        return '*';
    }
}
