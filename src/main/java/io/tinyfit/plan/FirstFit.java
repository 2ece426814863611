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
        List<Integer> placed = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] >= 0) placed.add(i);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) if (offset[i] < 0) todo.add(i);
        todo.sort(order);
        for (int i : todo) {
            String bank = p.buffers().get(i).bank();
            List<long[]> forbidden = new ArrayList<>();
            for (Shape r : shapes.get(i)) {
                for (int j : placed) {
                    if (!p.buffers().get(j).bank().equals(bank)) continue;
                    for (Shape q : shapes.get(j)) {
                        if (q.first() > r.last() || r.first() > q.last()) continue;
                        // offset o collides when o + r.lo < offset_j + q.hi and o + r.hi > offset_j + q.lo
                        forbidden.add(new long[] {offset[j] + q.lo() - r.hi() + 1, offset[j] + q.hi() - r.lo()});
                    }
                }
            }
            offset[i] = lowestFree(forbidden, alignment);
            placed.add(i);
        }
        return offset;
    }

    /** The lowest multiple of {@code alignment}, at least 0, outside every half-open interval. */
    private static long lowestFree(List<long[]> forbidden, int alignment) {
        // one sweep in order of start: an interval starting above o leaves o free (every later one starts higher),
        // and o only moves past the ends of intervals already seen, so none of them can contain it again
        forbidden.sort(Comparator.comparingLong(a -> a[0]));
        long o = 0;
        for (long[] f : forbidden) {
            if (f[0] > o) break;
            if (o < f[1]) o = (f[1] + alignment - 1) / alignment * alignment;
        }
        return o;
    }
}
