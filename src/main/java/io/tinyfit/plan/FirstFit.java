package io.tinyfit.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers one after another at the lowest aligned offset where none of their live bytes meets live bytes of
 * a buffer already placed in the same bank at the same step ({@link Liveness}, per byte). Per-byte liveness is what
 * lets a later tile land on the rows of an input that earlier tiles have consumed; {@link #wholeBuffers} coarsens
 * it to one rectangle per buffer (all its bytes over its whole span), the conventional model, for comparison.
 */
public final class FirstFit {
    private FirstFit() {}

    /** A live rectangle relative to its buffer's start. */
    public record Shape(long lo, long hi, int first, int last) {}

    /** Per buffer, its live rectangles relative to its offset. */
    public static List<List<Shape>> shapes(Plan p, Liveness live) {
        List<List<Shape>> out = new ArrayList<>();
        for (Buffer b : p.buffers()) {
            List<Shape> s = new ArrayList<>();
            for (Liveness.Live r : live.of(b.id())) s.add(new Shape(r.lo() - b.offset(), r.hi() - b.offset(), r.first(), r.last()));
            out.add(s);
        }
        return out;
    }

    /** The same buffers, each one rectangle: all its bytes over the span from its first write to its last read. */
    public static List<List<Shape>> wholeBuffers(Plan p, List<List<Shape>> shapes) {
        List<List<Shape>> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            List<Shape> s = shapes.get(i);
            if (s.isEmpty()) {
                out.add(s);
                continue;
            }
            int first = s.stream().mapToInt(Shape::first).min().orElseThrow(), last = s.stream().mapToInt(Shape::last).max().orElseThrow();
            out.add(List.of(new Shape(0, p.buffers().get(i).bytes(), first, last)));
        }
        return out;
    }

    /**
     * Offsets for the buffers not fixed yet ({@code fixed[i] < 0}), placed largest first at the lowest aligned offset
     * that fits among the fixed ones and those placed before, bank by bank.
     */
    public static long[] place(Plan p, List<List<Shape>> shapes, long[] fixed, int alignment) {
        return place(p, shapes, fixed, alignment, Comparator.comparingLong((Integer i) -> -p.buffers().get(i).bytes()).thenComparingInt(i -> i));
    }

    /** As {@link #place}, the buffers not fixed placed in the given order (e.g. by first live step). */
    public static long[] place(Plan p, List<List<Shape>> shapes, long[] fixed, int alignment, Comparator<Integer> order) {
        int n = p.buffers().size();
        long[] offset = fixed.clone();
        boolean[] placed = new boolean[n];
        for (int i = 0; i < n; i++) placed[i] = offset[i] >= 0;
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] < 0) todo.add(i);
        todo.sort(order);
        Conflicts c = Conflicts.cached(p, shapes);
        Intervals forbidden = new Intervals();
        for (int i : todo) {
            forbidden.clear();
            for (int k = c.start[i]; k < c.start[i + 1]; k++) {
                for (int q : c.with[k]) {
                    int j = c.owner[q];
                    if (!placed[j]) continue;
                    // offset o collides when o + r.lo < offset_j + q.hi and o + r.hi > offset_j + q.lo
                    forbidden.add(offset[j] + c.lo[q] - c.hi[k] + 1, offset[j] + c.hi[q] - c.lo[k]);
                }
            }
            offset[i] = forbidden.lowestFree(alignment);
            placed[i] = true;
        }
        return offset;
    }

    /**
     * Every live rectangle of every buffer, numbered buffer by buffer, with the rectangles of other buffers in the
     * same bank that share a step with it: placing a buffer only ever looks at those, instead of every rectangle of
     * every buffer placed before it. The offsets are the same: the lowest free offset depends only on the set of
     * forbidden intervals, not on the order in which they are found.
     */
    private static final class Conflicts {
        /** Buffer i's rectangles are {@code start[i] .. start[i+1]-1}. */
        final int[] start;
        final int[] owner;
        final long[] lo, hi;
        final int[][] with;

        private Conflicts(int[] start, int[] owner, long[] lo, long[] hi, int[][] with) {
            this.start = start;
            this.owner = owner;
            this.lo = lo;
            this.hi = hi;
            this.with = with;
        }

        /**
         * The last index built, for the same plan and the same shapes (by identity): {@code ByteFit} places one plan's
         * shapes in many orders. Shapes are values; a caller never changes a list it has placed.
         */
        private static final java.util.concurrent.atomic.AtomicReference<Object[]> LAST = new java.util.concurrent.atomic.AtomicReference<>();

        static Conflicts cached(Plan p, List<List<Shape>> shapes) {
            Object[] last = LAST.get();
            if (last != null && last[0] == p && last[1] == shapes) return (Conflicts) last[2];
            Conflicts c = of(p, shapes);
            LAST.set(new Object[] {p, shapes, c});
            return c;
        }

        static Conflicts of(Plan p, List<List<Shape>> shapes) {
            int n = shapes.size();
            int[] start = new int[n + 1];
            for (int i = 0; i < n; i++) start[i + 1] = start[i] + shapes.get(i).size();
            int m = start[n];
            int[] owner = new int[m], first = new int[m], last = new int[m], bank = new int[m];
            long[] lo = new long[m], hi = new long[m];
            java.util.Map<String, Integer> banks = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                int b = banks.computeIfAbsent(p.buffers().get(i).bank(), x -> banks.size());
                int k = start[i];
                for (Shape s : shapes.get(i)) {
                    owner[k] = i;
                    first[k] = s.first();
                    last[k] = s.last();
                    lo[k] = s.lo();
                    hi[k] = s.hi();
                    bank[k] = b;
                    k++;
                }
            }
            // a sweep over the rectangles in order of their earliest step, each met by those still live then; the
            // exact test below is the one the placement always used (a rectangle's steps may even be reversed)
            int[] low = new int[m], high = new int[m];
            for (int k = 0; k < m; k++) {
                low[k] = Math.min(first[k], last[k]);
                high[k] = Math.max(first[k], last[k]);
            }
            Integer[] byLow = new Integer[m];
            for (int k = 0; k < m; k++) byLow[k] = k;
            java.util.Arrays.sort(byLow, Comparator.comparingInt((Integer k) -> low[k]));
            IntList[] pairs = new IntList[m];
            for (int k = 0; k < m; k++) pairs[k] = new IntList();
            int[] active = new int[m];
            int size = 0;
            for (int a : byLow) {
                int kept = 0;
                for (int x = 0; x < size; x++) {
                    int b = active[x];
                    if (high[b] < low[a]) continue;
                    active[kept++] = b;
                    if (owner[b] == owner[a] || bank[b] != bank[a]) continue;
                    if (first[b] > last[a] || first[a] > last[b]) continue;
                    pairs[a].add(b);
                    pairs[b].add(a);
                }
                size = kept;
                active[size++] = a;
            }
            int[][] with = new int[m][];
            for (int k = 0; k < m; k++) with[k] = pairs[k].toArray();
            return new Conflicts(start, owner, lo, hi, with);
        }
    }

    private static final class IntList {
        private int[] a = new int[4];
        private int n;

        void add(int x) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = x;
        }

        int[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    /** Half-open intervals of forbidden offsets, in primitive arrays. */
    private static final class Intervals {
        private long[] from = new long[16], to = new long[16];
        private int n;

        void clear() { n = 0; }

        void add(long a, long b) {
            if (n == from.length) {
                from = java.util.Arrays.copyOf(from, n * 2);
                to = java.util.Arrays.copyOf(to, n * 2);
            }
            from[n] = a;
            to[n] = b;
            n++;
        }

        /**
         * The lowest multiple of {@code alignment}, at least 0, outside every interval. One sweep in order of start: an
         * interval starting above o leaves o free (every later one starts higher), and o only moves past the ends of
         * intervals already seen, so none of them can contain it again.
         */
        long lowestFree(int alignment) {
            if (n == 0) return 0;
            // an interval ending at or below 0 never holds o; one starting below 0 holds it as one starting at 0
            int live = 0;
            for (int k = 0; k < n; k++) {
                if (to[k] <= 0) continue;
                from[live] = Math.max(0, from[k]);
                to[live] = to[k];
                live++;
            }
            n = live;
            long o = 0;
            if (n < (1 << INDEX_BITS) && maxFrom() < (1L << (63 - INDEX_BITS))) {
                // sorted by start as one primitive array: start and index packed in a long
                long[] key = new long[n];
                for (int k = 0; k < n; k++) key[k] = (from[k] << INDEX_BITS) | k;
                java.util.Arrays.sort(key);
                for (long x : key) {
                    int k = (int) (x & ((1 << INDEX_BITS) - 1));
                    if (from[k] > o) break;
                    if (o < to[k]) o = (to[k] + alignment - 1) / alignment * alignment;
                }
                return o;
            }
            int[] perm = sortByStart();
            for (int x = 0; x < n; x++) {
                int k = perm[x];
                if (from[k] > o) break;
                if (o < to[k]) o = (to[k] + alignment - 1) / alignment * alignment;
            }
            return o;
        }

        private static final int INDEX_BITS = 22;

        private long maxFrom() {
            long m = 0;
            for (int k = 0; k < n; k++) m = Math.max(m, from[k]);
            return m;
        }

        private int[] sortByStart() {
            int[] perm = new int[n];
            for (int k = 0; k < n; k++) perm[k] = k;
            // a merge sort on primitive indices (stable, no boxing)
            int[] tmp = new int[n];
            mergeSort(perm, tmp, 0, n);
            return perm;
        }

        private void mergeSort(int[] a, int[] tmp, int lo, int hi) {
            if (hi - lo < 16) {
                for (int i = lo + 1; i < hi; i++) {
                    int v = a[i];
                    int j = i - 1;
                    while (j >= lo && from[a[j]] > from[v]) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = v;
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            mergeSort(a, tmp, lo, mid);
            mergeSort(a, tmp, mid, hi);
            if (from[a[mid - 1]] <= from[a[mid]]) return;
            System.arraycopy(a, lo, tmp, lo, hi - lo);
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) a[k++] = from[tmp[j]] < from[tmp[i]] ? tmp[j++] : tmp[i++];
            while (i < mid) a[k++] = tmp[i++];
            while (j < hi) a[k++] = tmp[j++];
        }
    }
}
