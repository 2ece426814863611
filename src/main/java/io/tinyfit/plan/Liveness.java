package io.tinyfit.plan;

import io.tinyfit.kernels.View;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which bytes of which buffer hold live data at which steps, derived from the {@link StepAccesses} alone (DESIGN.md,
 * "steps over regions"): a byte is live from the step that writes it to the last step that reads it. Liveness is per
 * byte, not per buffer: the rows of a graph input the first band has consumed are dead while the rows the second band
 * still needs are live, so a later buffer may take the first ones. Every byte is written once (an accumulator's
 * later partial sums update it in place); a read of a byte no step has written yet, and a second write, are
 * problems.
 *
 * <p>The result is a list of {@link Live} rectangles, bytes of a bank over a closed range of steps. The graph inputs
 * are written at step 0 (before it runs), the graph outputs (and inputs the plan keeps) are read at {@link #after()},
 * one past the last step. A scratch buffer is live at each step of its operator.
 */
public final class Liveness {
    /** Bytes {@code [lo, hi)} of a bank hold buffer {@code buffer}'s live data during steps {@code [first, last]}. */
    public record Live(int buffer, String bank, long lo, long hi, int first, int last) {
        public boolean sharesBytesWith(Live o) { return bank.equals(o.bank) && lo < o.hi && o.lo < hi; }

        public boolean sharesStepsWith(Live o) { return first <= o.last && o.first <= last; }
    }

    private final StepAccesses.Result accesses;
    private final List<Live> rects;
    private final List<List<Live>> byBuffer;
    private final List<String> problems;
    private final int after;
    /** Per copy step {step, source buffer, destination buffer}: where a tile may slide in place ({@link SlidingCopies}). */
    private final List<int[]> copies;

    private Liveness(StepAccesses.Result accesses, List<Live> rects, List<List<Live>> byBuffer, List<String> problems, int after, List<int[]> copies) {
        this.copies = copies;
        this.accesses = accesses;
        this.rects = List.copyOf(rects);
        this.byBuffer = byBuffer;
        this.problems = List.copyOf(problems);
        this.after = after;
    }

    public static Liveness of(Plan p) { return of(p, StepAccesses.of(p)); }

    public static Liveness of(Plan p, StepAccesses.Result accesses) { return of(p, accesses, Segments.SEGMENTS_BEFORE_BYTES); }

    /** As {@link #of(Plan, StepAccesses.Result)}, a buffer turning per-byte above the given count of segments (tests). */
    static Liveness of(Plan p, StepAccesses.Result accesses, int segmentsBeforeBytes) {
        Graph g = p.graph();
        List<String> problems = new ArrayList<>(accesses.problems());
        int n = p.buffers().size();
        Segments[] seg = new Segments[n];
        for (int i = 0; i < n; i++) {
            Buffer b = p.buffers().get(i);
            if (b.kind() != Buffer.Kind.SCRATCH) seg[i] = new Segments(StepAccesses.heldRegion(g, b), StepAccesses.elementBytes(g, b), segmentsBeforeBytes);
        }
        int after = p.stepCount();
        apply(p, seg, accesses.before(), 0, problems);
        for (int s = 0; s < p.stepCount(); s++) apply(p, seg, accesses.steps().get(s), s, problems);
        apply(p, seg, accesses.after(), after, problems);
        List<Live> rects = new ArrayList<>();
        List<List<Live>> byBuffer = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Buffer b = p.buffers().get(i);
            List<Live> mine = new ArrayList<>();
            if (b.kind() == Buffer.Kind.SCRATCH) {
                int run = -1;
                for (int s = 0; s <= p.stepCount(); s++) {
                    boolean uses = s < p.stepCount() && p.step(s).op() == b.scratchOp() && p.step(s).kind() != StepKind.COPY;
                    if (uses && run < 0) run = s;
                    if (!uses && run >= 0) {
                        mine.add(new Live(i, b.bank(), b.offset(), b.end(), run, s - 1));
                        run = -1;
                    }
                }
                if (mine.isEmpty()) problems.add("scratch buffer " + b.id() + " (" + b.name() + ") belongs to operator " + b.scratchOp() + ", which the plan never runs");
            } else {
                seg[i].rects(b, mine);
            }
            rects.addAll(mine);
            byBuffer.add(List.copyOf(mine));
        }
        List<int[]> copies = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) {
            Step st = p.step(s);
            if (st.kind() == StepKind.COPY && st.from() != st.to() && st.from() >= 0 && st.to() >= 0 && st.from() < n && st.to() < n) copies.add(new int[] {s, st.from(), st.to()});
        }
        return new Liveness(accesses, rects, byBuffer, problems, after, copies);
    }

    private static void apply(Plan p, Segments[] seg, List<StepAccesses.Access> list, int step, List<String> problems) {
        // a step's reads come before its writes: an operand it reads and the output it writes are different buffers
        for (int pass = 0; pass < 2; pass++) {
            for (StepAccesses.Access a : list) {
                boolean read = a.mode() == StepAccesses.Mode.READ;
                if ((pass == 0) != read || seg[a.buffer()] == null) continue;
                String bad = seg[a.buffer()].touch(a.region(), a.mode(), step);
                if (bad != null) {
                    Buffer b = p.buffers().get(a.buffer());
                    String who = step >= p.stepCount() ? "the application (after the inference)" : StepAccesses.describe(p, step);
                    problems.add(who + " " + bad + " buffer " + b.id() + " (" + b.name() + ")");
                }
            }
        }
    }

    public StepAccesses.Result accesses() { return accesses; }

    /** Every live rectangle, buffer by buffer. */
    public List<Live> rects() { return rects; }

    /**
     * The most bytes of {@code bank} live at one step, byte by byte, the bytes a copy step's source frees and its
     * destination takes counted once: no placement of these buffers can need less (for
     * a plan over regions this is far below the sum of whole buffers live at a step, which counts a tensor whose rows
     * die one band at a time as whole until its last reader).
     */
    public long peakBytes(String bank) {
        java.util.TreeMap<Integer, Long> delta = new java.util.TreeMap<>();
        for (Live r : rects) {
            if (!r.bank().equals(bank)) continue;
            delta.merge(r.first(), r.hi() - r.lo(), Long::sum);
            delta.merge(r.last() + 1, r.lo() - r.hi(), Long::sum);
        }
        // a copy's destination may share the bytes its source frees at that step (a tile sliding in place): at
        // most the smaller of the two counts once
        for (int[] c : copies) {
            long dying = 0, born = 0;
            for (Live r : byBuffer.get(c[1])) if (r.bank().equals(bank) && r.last() == c[0] && r.first() < c[0]) dying += r.hi() - r.lo();
            for (Live r : byBuffer.get(c[2])) if (r.bank().equals(bank) && r.first() == c[0]) born += r.hi() - r.lo();
            long shared = Math.min(dying, born);
            if (shared == 0) continue;
            delta.merge(c[0], -shared, Long::sum);
            delta.merge(c[0] + 1, shared, Long::sum);
        }
        long live = 0, peak = 0;
        for (long d : delta.values()) peak = Math.max(peak, live += d);
        return peak;
    }

    /** The live rectangles of one buffer (none for a buffer no step touches). */
    public List<Live> of(int buffer) { return byBuffer.get(buffer); }

    /** Steps {@code {first, last}} from the first write to the last read of any of the buffer's bytes; null if unused. */
    public int[] span(int buffer) {
        List<Live> l = byBuffer.get(buffer);
        if (l.isEmpty()) return null;
        int first = Integer.MAX_VALUE, last = Integer.MIN_VALUE;
        for (Live r : l) {
            first = Math.min(first, r.first);
            last = Math.max(last, r.last);
        }
        return new int[] {first, last};
    }

    public List<String> problems() { return problems; }

    /** The step index of the application's reads after the inference: one past the last step. */
    public int after() { return after; }

    /**
     * Per-byte state of one buffer: disjoint segments of its byte range with the step that wrote them and the last
     * step that read them (the write step when none did). A whole buffer touched whole stays one segment.
     */
    private static final class Segments {
        private final Region held;
        private final int elementBytes;
        private final int[] strides;
        /** start byte to {end, write step (-1: unwritten), last read step}. */
        private final TreeMap<Long, long[]> map = new TreeMap<>();

        Segments(Region held, int elementBytes, int segmentsBeforeBytes) {
            this.segmentsBeforeBytes = segmentsBeforeBytes;
            this.held = held;
            this.elementBytes = elementBytes;
            this.strides = View.rowMajor(held.extents());
            map.put(0L, new long[] {held.elements() * elementBytes, -1, -1});
        }

        /**
         * Above this many segments (a tensor written or read by channel slices: a run per pixel and slice) the
         * buffer keeps the write and last-read step of every byte instead: the same bytes, steps and rectangles,
         * without a map entry per run.
         */
        static final int SEGMENTS_BEFORE_BYTES = 2048;
        private final int segmentsBeforeBytes;
        /** Per byte, once fragmented: the write step (-1: unwritten) and the last read step. */
        private int[] writeStep, readStep;

        /** Applies one access; a description of what went wrong, or null. */
        String touch(Region r, StepAccesses.Mode mode, int step) {
            String bad = null;
            for (long[] run : runs(r)) {
                String b = writeStep != null ? touchBytes(run, mode, step) : touchSegments(run, mode, step);
                if (bad == null) bad = b;
                if (writeStep == null && map.size() > segmentsBeforeBytes) toBytes();
            }
            return bad;
        }

        private String touchSegments(long[] run, StepAccesses.Mode mode, int step) {
            String bad = null;
            split(run[0]);
            split(run[1]);
            for (Map.Entry<Long, long[]> e : map.subMap(run[0], true, run[1], false).entrySet()) {
                long[] v = e.getValue();
                boolean written = v[1] >= 0;
                switch (mode) {
                    case READ -> {
                        if (!written) bad = bad != null ? bad : "reads bytes [" + e.getKey() + ", " + v[0] + ") not yet written of";
                        else v[2] = Math.max(v[2], step);
                    }
                    case WRITE -> {
                        if (written) bad = bad != null ? bad : "writes bytes [" + e.getKey() + ", " + v[0] + ") already written at step " + v[1] + " of";
                        else {
                            v[1] = step;
                            v[2] = step;
                        }
                    }
                    case ACCUMULATE -> {
                        if (!written) {
                            v[1] = step;
                            v[2] = step;
                        } else v[2] = Math.max(v[2], step);
                    }
                }
            }
            return bad;
        }

        /** As {@link #touchSegments}, byte by byte (a problem names the bytes of the run in the same state). */
        private String touchBytes(long[] run, StepAccesses.Mode mode, int step) {
            String bad = null;
            int from = (int) run[0], to = (int) run[1];
            for (int x = from; x < to; x++) {
                boolean written = writeStep[x] >= 0;
                switch (mode) {
                    case READ -> {
                        if (!written) bad = bad != null ? bad : "reads bytes [" + x + ", " + sameUntil(x, to) + ") not yet written of";
                        else readStep[x] = Math.max(readStep[x], step);
                    }
                    case WRITE -> {
                        if (written) bad = bad != null ? bad : "writes bytes [" + x + ", " + sameUntil(x, to) + ") already written at step " + writeStep[x] + " of";
                        else {
                            writeStep[x] = step;
                            readStep[x] = step;
                        }
                    }
                    case ACCUMULATE -> {
                        if (!written) {
                            writeStep[x] = step;
                            readStep[x] = step;
                        } else readStep[x] = Math.max(readStep[x], step);
                    }
                }
            }
            return bad;
        }

        /** The end of the bytes from x (before {@code to}) with x's write and read steps. */
        private int sameUntil(int x, int to) {
            int y = x + 1;
            while (y < to && writeStep[y] == writeStep[x] && readStep[y] == readStep[x]) y++;
            return y;
        }

        private void toBytes() {
            long size = held.elements() * elementBytes;
            writeStep = new int[(int) size];
            readStep = new int[(int) size];
            for (Map.Entry<Long, long[]> e : map.entrySet()) {
                long[] v = e.getValue();
                java.util.Arrays.fill(writeStep, (int) (long) e.getKey(), (int) v[0], (int) v[1]);
                java.util.Arrays.fill(readStep, (int) (long) e.getKey(), (int) v[0], (int) v[2]);
            }
            map.clear();
        }

        private void split(long at) {
            Map.Entry<Long, long[]> e = map.floorEntry(at);
            if (e == null || e.getKey() == at || e.getValue()[0] <= at) return;
            long[] v = e.getValue();
            map.put(at, new long[] {v[0], v[1], v[2]});
            v[0] = at;
        }

        /** Written segments as rectangles in the buffer's bank, neighbours with the same steps merged. */
        void rects(Buffer b, List<Live> out) {
            if (writeStep != null) {
                for (int x = 0; x < writeStep.length; ) {
                    int y = sameUntil(x, writeStep.length);
                    if (writeStep[x] >= 0) out.add(new Live(b.id(), b.bank(), b.offset() + x, b.offset() + y, writeStep[x], readStep[x]));
                    x = y;
                }
                return;
            }
            long lo = -1, hi = -1;
            long w = 0, r = 0;
            for (Map.Entry<Long, long[]> e : map.entrySet()) {
                long[] v = e.getValue();
                if (v[1] < 0) continue;
                if (lo >= 0 && e.getKey() == hi && v[1] == w && v[2] == r) {
                    hi = v[0];
                    continue;
                }
                if (lo >= 0) out.add(new Live(b.id(), b.bank(), b.offset() + lo, b.offset() + hi, (int) w, (int) r));
                lo = e.getKey();
                hi = v[0];
                w = v[1];
                r = v[2];
            }
            if (lo >= 0) out.add(new Live(b.id(), b.bank(), b.offset() + lo, b.offset() + hi, (int) w, (int) r));
        }

        /** The byte runs {start, end} of region r inside the held region's dense row-major storage, adjacent runs merged. */
        List<long[]> runs(Region r) {
            List<long[]> out = new ArrayList<>();
            if (r.isEmpty()) return out;
            int rank = held.rank();
            if (rank == 0) {
                out.add(new long[] {0, elementBytes});
                return out;
            }
            // the innermost dimensions r spans whole are one contiguous run with the first one it does not
            int d = rank - 1;
            while (d > 0 && r.extent(d) == held.extent(d)) d--;
            long runElements = (long) r.extent(d) * strides[d];
            int[] x = r.lo();
            long[] last = null;
            do {
                long start = 0;
                for (int k = 0; k < rank; k++) start += (long) (x[k] - held.lo(k)) * strides[k];
                long a = start * elementBytes, z = (start + runElements) * elementBytes;
                if (last != null && last[1] == a) last[1] = z;
                else {
                    last = new long[] {a, z};
                    out.add(last);
                }
            } while (r.next(x, d));
            return out;
        }
    }
}
