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
            int first = Integer.MAX_VALUE, last = Integer.MIN_VALUE;
            for (Shape x : s) {
                first = Math.min(first, x.first());
                last = Math.max(last, x.last());
            }
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
        List<Integer> todoList = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] < 0) todoList.add(i);
        todoList.sort(order);
        int[] todo = todoList.stream().mapToInt(Integer::intValue).toArray();
        int[] rank = new int[n];
        java.util.Arrays.fill(rank, -1);
        for (int t = 0; t < todo.length; t++) rank[todo[t]] = t;
        Conflicts c = Conflicts.cached(p, shapes, rank);
        // too many rectangles meeting each other to index (plans of channel slices: one rectangle per pixel): the
        // same placement without the index, slower but in constant memory
        if (c == null) return placePlain(p, shapes, offset, placed, todo, alignment);
        // the buffers an earlier placement of the same shapes placed first, in the same order, land where they did
        int from = c.resume(fixed, alignment, todo, offset);
        for (int x = 0; x < from; x++) placed[todo[x]] = true;
        Intervals forbidden = new Intervals();
        for (int t = from; t < todo.length; t++) {
            int i = todo[t];
            forbidden.clear();
            for (int k = c.start[i]; k < c.start[i + 1]; k++) {
                int[] js = c.withOwner[k];
                long[] qlo = c.withLo[k], qhi = c.withHi[k];
                for (int x = 0; x < js.length; x++) {
                    int j = js[x];
                    if (!placed[j]) continue;
                    // offset o collides when o + r.lo < offset_j + q.hi and o + r.hi > offset_j + q.lo
                    forbidden.add(offset[j] + qlo[x] - c.hi[k] + 1, offset[j] + qhi[x] - c.lo[k]);
                }
            }
            offset[i] = forbidden.lowestFree(alignment);
            placed[i] = true;
        }
        c.remember(fixed, alignment, todo, offset);
        return offset;
    }

    /** {@link #place} without the index: each buffer against every rectangle placed before it (the same offsets). */
    private static long[] placePlain(Plan p, List<List<Shape>> shapes, long[] offset, boolean[] placed, int[] todo, int alignment) {
        Intervals forbidden = new Intervals();
        for (int i : todo) {
            forbidden.clear();
            String bank = p.buffers().get(i).bank();
            for (int j = 0; j < shapes.size(); j++) {
                if (!placed[j] || j == i || !p.buffers().get(j).bank().equals(bank)) continue;
                for (Shape r : shapes.get(i)) {
                    for (Shape q : shapes.get(j)) {
                        if (q.first() > r.last() || r.first() > q.last()) continue;
                        forbidden.add(offset[j] + q.lo() - r.hi() + 1, offset[j] + q.hi() - r.lo());
                    }
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
        final long[] lo, hi;
        /**
         * Per rectangle, the bytes {@code [withLo, withHi)} of buffer {@code withOwner} live at one of its steps: the
         * rectangles of one buffer meeting it, those closer in bytes than its size merged (the offsets each forbids
         * overlap, so their union is one interval).
         */
        final int[][] withOwner;
        final long[][] withLo, withHi;

        private Conflicts(int[] start, long[] lo, long[] hi, int[][] withOwner, long[][] withLo, long[][] withHi) {
            this.start = start;
            this.lo = lo;
            this.hi = hi;
            this.withOwner = withOwner;
            this.withLo = withLo;
            this.withHi = withHi;
        }

        /** Recent placements with these shapes: what was fixed, the alignment, the order and the offsets. */
        private final java.util.ArrayDeque<Object[]> recent = new java.util.ArrayDeque<>();
        private static final int RECENT = 8;

        /**
         * Fills {@code offset} for the longest prefix of {@code todo} that a recent placement with the same fixed
         * offsets and alignment placed in the same order (each buffer's offset depends only on those before it), and
         * returns its length.
         */
        synchronized int resume(long[] fixed, int alignment, int[] todo, long[] offset) {
            int best = 0;
            Object[] from = null;
            for (Object[] r : recent) {
                if ((int) r[1] != alignment || !java.util.Arrays.equals((long[]) r[0], fixed)) continue;
                int[] o = (int[]) r[2];
                int l = java.util.Arrays.mismatch(o, todo);
                if (l < 0) l = todo.length;
                if (l > best) {
                    best = l;
                    from = r;
                }
            }
            if (from != null) {
                long[] off = (long[]) from[3];
                for (int x = 0; x < best; x++) offset[todo[x]] = off[todo[x]];
            }
            return best;
        }

        synchronized void remember(long[] fixed, int alignment, int[] todo, long[] offset) {
            if (recent.size() == RECENT) recent.removeFirst();
            recent.addLast(new Object[] {fixed.clone(), alignment, todo.clone(), offset.clone()});
        }

        /**
         * The last index built, for the same plan and the same shapes (by identity): {@code ByteFit} places one plan's
         * shapes in many orders. Shapes are values; a caller never changes a list it has placed. The first placement
         * of some shapes gets an index for its order alone (each rectangle meets only those placed before it: half
         * the pairs), the second one in another order the whole index.
         */
        private static final java.util.concurrent.atomic.AtomicReference<Object[]> LAST = new java.util.concurrent.atomic.AtomicReference<>();

        /** The placement order this index serves (buffer to position, -1 when fixed), or null: every order. */
        private int[] only;

        /** Pairs of rectangles meeting each other above which no index is built (memory: tens of bytes per pair). */
        static final int MAX_PAIRS = 12_000_000;

        /** The index, or null when it would hold more than {@link #MAX_PAIRS} pairs. */
        static Conflicts cached(Plan p, List<List<Shape>> shapes, int[] rank) {
            Object[] last = LAST.get();
            if (last != null && last[0] == p && last[1] == shapes) {
                Conflicts c = (Conflicts) last[2];
                if (c.only == null || java.util.Arrays.equals(c.only, rank)) return c;
                Conflicts all = of(p, shapes, null);
                if (all == null) {
                    LAST.set(null);
                    return null;
                }
                synchronized (c) {
                    all.recent.addAll(c.recent);
                }
                LAST.set(new Object[] {p, shapes, all});
                return all;
            }
            Conflicts c = of(p, shapes, rank);
            LAST.set(c == null ? null : new Object[] {p, shapes, c});
            return c;
        }

        /** @param rank buffer to placement position (-1: fixed), each rectangle then meeting only earlier ones; null: all */
        static Conflicts of(Plan p, List<List<Shape>> shapes, int[] rank) {
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
            long[] byLow = new long[m];
            for (int k = 0; k < m; k++) {
                low[k] = Math.min(first[k], last[k]);
                high[k] = Math.max(first[k], last[k]);
                byLow[k] = ((long) low[k] << 32) | k;
            }
            java.util.Arrays.sort(byLow);
            // the pairs (rectangle, rectangle it meets), then grouped by the first (counting sort)
            int[] pa = new int[Math.max(16, m)], pb = new int[pa.length];
            int pairs = 0;
            int[] active = new int[m];
            int size = 0;
            for (long key : byLow) {
                int a = (int) key;
                int kept = 0;
                for (int x = 0; x < size; x++) {
                    int b = active[x];
                    if (high[b] < low[a]) continue;
                    active[kept++] = b;
                    if (owner[b] == owner[a] || bank[b] != bank[a]) continue;
                    if (first[b] > last[a] || first[a] > last[b]) continue;
                    if (pairs + 2 > MAX_PAIRS) return null;
                    if (pairs + 2 > pa.length) {
                        pa = java.util.Arrays.copyOf(pa, pa.length * 2);
                        pb = java.util.Arrays.copyOf(pb, pb.length * 2);
                    }
                    if (rank == null || rank[owner[b]] < rank[owner[a]]) {
                        pa[pairs] = a;
                        pb[pairs++] = b;
                    }
                    if (rank == null || rank[owner[a]] < rank[owner[b]]) {
                        pa[pairs] = b;
                        pb[pairs++] = a;
                    }
                }
                size = kept;
                active[size++] = a;
            }
            // two stable counting sorts, by the rectangle met then by the one meeting it: each one's list comes out in
            // order of rectangle number, so each buffer's rectangles together
            int[] byMet = new int[pairs];
            int[] count = new int[m + 1];
            for (int x = 0; x < pairs; x++) count[pb[x] + 1]++;
            for (int k = 0; k < m; k++) count[k + 1] += count[k];
            for (int x = 0; x < pairs; x++) byMet[count[pb[x]]++] = x;
            int[] from = new int[m + 1];
            for (int x = 0; x < pairs; x++) from[pa[x] + 1]++;
            for (int k = 0; k < m; k++) from[k + 1] += from[k];
            int[] fill = java.util.Arrays.copyOf(from, m);
            int[] met = new int[pairs];
            for (int x : byMet) met[fill[pa[x]]++] = pb[x];
            int[][] withOwner = new int[m][];
            long[][] withLo = new long[m][], withHi = new long[m][];
            for (int k = 0; k < m; k++) {
                int[] q = java.util.Arrays.copyOfRange(met, from[k], from[k + 1]);
                // (sorted by number: each buffer's together) then by first byte
                sortRunsByLo(q, owner, lo);
                long bytes = hi[k] - lo[k];
                int[] os = new int[q.length];
                long[] ls = new long[q.length], hs = new long[q.length];
                int blocks = 0;
                for (int x = 0; x < q.length; x++) {
                    int b = q[x];
                    // offsets [o_j + q.lo - size_r + 1 + ..., o_j + q.hi - ...): the next rectangle's start the previous
                    // one's end when it begins less than size_r bytes past it
                    if (blocks > 0 && os[blocks - 1] == owner[b] && bytes > 0 && lo[b] - hs[blocks - 1] <= bytes - 1) {
                        hs[blocks - 1] = Math.max(hs[blocks - 1], hi[b]);
                        continue;
                    }
                    os[blocks] = owner[b];
                    ls[blocks] = lo[b];
                    hs[blocks] = hi[b];
                    blocks++;
                }
                withOwner[k] = java.util.Arrays.copyOf(os, blocks);
                withLo[k] = java.util.Arrays.copyOf(ls, blocks);
                withHi[k] = java.util.Arrays.copyOf(hs, blocks);
            }
            Conflicts c = new Conflicts(start, lo, hi, withOwner, withLo, withHi);
            c.only = rank == null ? null : rank.clone();
            return c;
        }

        /** Each run of one owner's rectangles in {@code q} ordered by first byte (already so for liveness's). */
        private static void sortRunsByLo(int[] q, int[] owner, long[] lo) {
            for (int a = 0; a < q.length; ) {
                int z = a + 1;
                boolean sorted = true;
                while (z < q.length && owner[q[z]] == owner[q[a]]) {
                    if (lo[q[z]] < lo[q[z - 1]]) sorted = false;
                    z++;
                }
                if (!sorted) {
                    Integer[] run = new Integer[z - a];
                    for (int x = a; x < z; x++) run[x - a] = q[x];
                    java.util.Arrays.sort(run, Comparator.comparingLong((Integer x) -> lo[x]));
                    for (int x = a; x < z; x++) q[x] = run[x - a];
                }
                a = z;
            }
        }
    }

    /**
     * Half-open intervals of forbidden offsets, in primitive arrays. The lowest free offset depends only on their
     * union above 0: an interval ending at or below 0 is dropped, one starting below 0 is kept as starting at 0.
     */
    private static final class Intervals {
        private static final int INDEX_BITS = 22;
        private long[] from = new long[16], to = new long[16];
        private int n;
        private long maxFrom;

        void clear() {
            n = 0;
            maxFrom = 0;
        }

        void add(long a, long b) {
            if (b <= 0) return;
            if (n == from.length) {
                from = java.util.Arrays.copyOf(from, n * 2);
                to = java.util.Arrays.copyOf(to, n * 2);
            }
            from[n] = Math.max(0, a);
            to[n] = b;
            maxFrom = Math.max(maxFrom, from[n]);
            n++;
        }

        /**
         * The lowest multiple of {@code alignment}, at least 0, outside every interval. One sweep in order of start: an
         * interval starting above o leaves o free (every later one starts higher), and o only moves past the ends of
         * intervals already seen, so none of them can contain it again. The intervals come off a heap by start, so
         * those starting above the answer are never sorted.
         */
        long lowestFree(int alignment) {
            if (n == 0) return 0;
            long o = 0;
            if (n < (1 << INDEX_BITS) && maxFrom < (1L << (63 - INDEX_BITS))) {
                // a min-heap of start and index packed in a long
                long[] heap = new long[n];
                for (int k = 0; k < n; k++) heap[k] = (from[k] << INDEX_BITS) | k;
                for (int k = n / 2 - 1; k >= 0; k--) down(heap, k, n);
                int size = n;
                long mask = (1L << INDEX_BITS) - 1;
                while (size > 0) {
                    int k = (int) (heap[0] & mask);
                    if (from[k] > o) break;
                    if (o < to[k]) o = (to[k] + alignment - 1) / alignment * alignment;
                    heap[0] = heap[--size];
                    down(heap, 0, size);
                }
                return o;
            }
            Integer[] perm = new Integer[n];
            for (int k = 0; k < n; k++) perm[k] = k;
            java.util.Arrays.sort(perm, Comparator.comparingLong((Integer k) -> from[k]));
            for (int k : perm) {
                if (from[k] > o) break;
                if (o < to[k]) o = (to[k] + alignment - 1) / alignment * alignment;
            }
            return o;
        }

        private static void down(long[] heap, int k, int size) {
            long x = heap[k];
            while (true) {
                int c = 2 * k + 1;
                if (c >= size) break;
                if (c + 1 < size && heap[c + 1] < heap[c]) c++;
                if (heap[c] >= x) break;
                heap[k] = heap[c];
                k = c;
            }
            heap[k] = x;
        }
    }
}
