package io.tinyfit.layout;

import java.util.List;

/**
 * Exact reproduction of TFLM's {@code GreedyMemoryPlanner::CalculateOffsetsIfNeeded}
 * (tensorflow/lite/micro/memory_planner/greedy_memory_planner.cc), so tinyfit can predict the
 * offsets and arena size a stock TFLM build will compute:
 *
 * <ol>
 *   <li>offline buffers go first into the work list, in add order, at their fixed offsets;</li>
 *   <li>online buffers are written into the work list from its back (reverse add order), then
 *       bubble-sorted largest first, swapping only when strictly smaller, so equal sizes keep
 *       reverse add order;</li>
 *   <li>the first work-list buffer goes to offset 0 (if online); every next one walks the
 *       offset-ordered list of placed buffers, looking only at the ones overlapping it in time,
 *       and takes the first gap (between the highest end seen so far and the next such buffer)
 *       that is at least its size, else the end of the last overlapping buffer.</li>
 * </ol>
 *
 * Overlap allowances are ignored, as TFLM has none; ignoring them keeps such pairs disjoint.
 */
public final class TflmGreedyPlanner extends AbstractMemoryPlanner {

    public TflmGreedyPlanner() {
        this(DEFAULT_ALIGNMENT);
    }

    public TflmGreedyPlanner(int alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "tflm-greedy";
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        return plan(problem.buffers());
    }

    /** TFLM's {@code PrintMemoryPlan()}: one line per buffer, then an 80-column chart per step. */
    public String printMemoryPlan() {
        return MemoryPlanChart.render(problem(), layout().offsetArray());
    }

    /** The TFLM algorithm on aligned buffers; package-private so other strategies can seed from it. */
    static long[] plan(List<Buffer> buffers) {
        int n = buffers.size();
        long[] offsets = new long[n];
        if (n == 0) {
            return offsets;
        }
        for (Buffer b : buffers) {
            offsets[b.id()] = b.isOffline() ? b.offlineOffset() : Buffer.ONLINE;
        }
        int[] work = workList(buffers);
        OffsetOrderedList placed = new OffsetOrderedList(buffers, n);
        int firstId = work[0];
        if (!buffers.get(firstId).isOffline()) {
            offsets[firstId] = 0;
        }
        placed.insert(firstId, offsets[firstId]);

        for (int i = 1; i < n; i++) {
            Buffer wanted = buffers.get(work[i]);
            long candidate = wanted.isOffline() ? wanted.offlineOffset() : placed.firstFit(wanted);
            offsets[wanted.id()] = candidate;
            placed.insert(wanted.id(), candidate);
        }
        return offsets;
    }

    /**
     * TFLM's placement order ({@code buffer_sizes_sorted_} / {@code buffer_ids_sorted_}): offline
     * buffers first in add order, then the online ones written from the back (reverse add order)
     * and bubble-sorted largest first by {@link #reverseSortInPlace}. Shared by every strategy
     * that places in TFLM's order, so the tie rules live in one place.
     */
    static int[] workList(List<Buffer> buffers) {
        int n = buffers.size();
        long[] sortedSizes = new long[n];
        int[] sortedIds = new int[n];
        int fromTail = n;
        int fromHead = 0;
        for (Buffer b : buffers) {
            if (b.isOffline()) {
                sortedSizes[fromHead] = b.size();
                sortedIds[fromHead] = b.id();
                fromHead++;
            } else {
                fromTail--;
                sortedSizes[fromTail] = b.size();
                sortedIds[fromTail] = b.id();
            }
        }
        reverseSortInPlace(sortedSizes, sortedIds, fromHead, n - fromHead);
        return sortedIds;
    }

    /**
     * TFLM's {@code ReverseSortInPlace}: a bubble sort, descending, that swaps neighbours only
     * when the left one is strictly smaller, which makes it stable. Sorts
     * {@code values[from, from + count)} and permutes {@code ids} alongside.
     */
    static void reverseSortInPlace(long[] values, int[] ids, int from, int count) {
        boolean anySwapped;
        do {
            anySwapped = false;
            for (int i = from + 1; i < from + count; i++) {
                if (values[i - 1] < values[i]) {
                    long v = values[i - 1];
                    values[i - 1] = values[i];
                    values[i] = v;
                    int id = ids[i - 1];
                    ids[i - 1] = ids[i];
                    ids[i] = id;
                    anySwapped = true;
                }
            }
        } while (anySwapped);
    }

    /**
     * TFLM's {@code buffers_sorted_by_offset_}: a singly linked list of placed buffers in
     * ascending offset order, where a new entry goes after all entries with an equal offset.
     * Both tie rules matter for reproducing TFLM's choices exactly.
     */
    private static final class OffsetOrderedList {
        private static final int NONE = -1;
        private final List<Buffer> buffers;
        private final long[] offset;
        private final int[] bufferId;
        private final int[] next;
        private int head = NONE;
        private int used;

        OffsetOrderedList(List<Buffer> buffers, int capacity) {
            this.buffers = buffers;
            this.offset = new long[capacity];
            this.bufferId = new int[capacity];
            this.next = new int[capacity];
        }

        void insert(int id, long at) {
            int e = used++;
            offset[e] = at;
            bufferId[e] = id;
            if (head == NONE) {
                next[e] = NONE;
                head = e;
            } else if (offset[head] > at) {
                next[e] = head;
                head = e;
            } else {
                int current = head;
                while (next[current] != NONE && offset[next[current]] <= at) {
                    current = next[current];
                }
                next[e] = next[current];
                next[current] = e;
            }
        }

        /** TFLM's gap search for one online buffer. */
        long firstFit(Buffer wanted) {
            long candidate = 0;
            int prior = NONE;
            while (true) {
                int nextActive = nextSimultaneouslyActive(prior, wanted);
                if (prior != NONE) {
                    // the running maximum matters: a lower-starting buffer may end higher up
                    candidate = Math.max(candidate, offset[prior] + buffers.get(bufferId[prior]).size());
                }
                if (nextActive == NONE) {
                    return candidate;
                }
                if (offset[nextActive] - candidate >= wanted.size()) {
                    return candidate;
                }
                prior = nextActive;
            }
        }

        private int nextSimultaneouslyActive(int start, Buffer wanted) {
            int e = start == NONE ? head : next[start];
            while (e != NONE && !buffers.get(bufferId[e]).overlapsInTime(wanted)) {
                e = next[e];
            }
            return e;
        }
    }
}
