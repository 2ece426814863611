package io.tinyfit.tiling;

import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Candidate fused paths around a peak: runs of consecutive operators of the order that contain the peak operator,
 * whose intermediates nobody outside the run reads, and whose operators the split kind can pass through (the
 * kernels' splittable dimensions; for channel splits every operator after the first channel-local). Each path's
 * "ends" — what it reads from outside plus its output — must be smaller than the peak's live bytes, or tiling it
 * cannot lower the peak; the paths with the smallest ends come first (moiopt cuts a path to begin at its smallest
 * input and end at its smallest output).
 */
final class PathDiscovery {
    private PathDiscovery() {}

    /** A run of positions {@code first..last} of the order and what its ends weigh. */
    record Path(int first, int last, long ends) {}

    static List<Path> around(Graph g, List<Integer> order, int peakPos, long peakBytes, List<Split> taken, Split.Kind kind, int maxLength, int keep, int perStartKept) {
        Map<Integer, List<Integer>> readers = readers(g);
        Set<Integer> outputs = new HashSet<>(g.outputs());
        List<Path> out = new ArrayList<>();
        for (int a = peakPos; a >= 0 && peakPos - a < maxLength; a--) {
            if (inside(taken, a)) break;
            for (int z = peakPos; z < order.size() && z - a < maxLength; z++) {
                if (inside(taken, z)) break;
                if (z == a && kind != Split.Kind.ROWS && kind != Split.Kind.COLUMNS && kind != Split.Kind.GRID && kind != Split.Kind.CHANNELS) continue;
                Optional<Long> ends = valid(g, order, a, z, kind, readers, outputs);
                if (ends.isPresent() && ends.get() < peakBytes) out.add(new Path(a, z, ends.get()));
            }
        }
        // the two best ends per first operator, so that a path starting at a large graph input (whose rows tiles
        // free as they go) is tried next to paths whose ends are smaller
        out.sort(Comparator.comparingLong(Path::ends).thenComparingInt(p -> p.first() - p.last()));
        Map<Integer, Integer> perStart = new HashMap<>();
        List<Path> kept = new ArrayList<>();
        for (Path p : out) {
            if (kept.size() >= keep) break;
            if (perStart.merge(p.first(), 1, Integer::sum) <= perStartKept) kept.add(p);
        }
        return kept;
    }

    private static boolean inside(List<Split> taken, int pos) {
        for (Split s : taken) if (s.first() <= pos && pos <= s.last()) return true;
        return false;
    }

    /** The ends' bytes when positions a..z form a path the kind can split, else empty. */
    static Optional<Long> valid(Graph g, List<Integer> order, int a, int z, Split.Kind kind, Map<Integer, List<Integer>> readers, Set<Integer> outputs) {
        Set<Integer> inPath = new HashSet<>(order.subList(a, z + 1));
        Set<Integer> produced = new HashSet<>();
        long ends = 0;
        Set<Integer> counted = new HashSet<>();
        for (int pos = a; pos <= z; pos++) {
            int opIndex = order.get(pos);
            Op op = g.ops().get(opIndex);
            Optional<Kernel> k = KernelRegistry.find(op.kind());
            if (k.isEmpty() || op.outputs().size() != 1 || op.output(0) < 0) return Optional.empty();
            Tensor out = g.tensor(op.output(0));
            if (out.shape().rank() != 4 || out.variable()) return Optional.empty();
            boolean isLast = pos == z;
            boolean accumulating = kind == Split.Kind.INPUT_CHANNELS && isLast;
            if (accumulating) {
                if (!(KernelRegistry.forOp(g, opIndex) instanceof PartialSums) || !produced.contains(op.input(0))) return Optional.empty();
            } else {
                boolean[] dims;
                try {
                    dims = KernelRegistry.forOp(g, opIndex).splittableDims(g, op);
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
                int d = kind.dim;
                if (!dims[d] || (kind == Split.Kind.GRID && !dims[2])) return Optional.empty();
                if ((kind == Split.Kind.CHANNELS || kind == Split.Kind.INPUT_CHANNELS) && pos > a && !channelLocal(g, opIndex, produced)) return Optional.empty();
            }
            for (int i = 0; i < op.inputs().size(); i++) {
                int t = op.input(i);
                if (t < 0 || g.tensor(t).isConstant() || g.tensor(t).variable() || produced.contains(t)) continue;
                if (counted.add(t)) ends += g.tensor(t).bytes();
            }
            if (!isLast) {
                if (outputs.contains(op.output(0))) return Optional.empty();
                for (int r : readers.getOrDefault(op.output(0), List.of())) if (!inPath.contains(r)) return Optional.empty();
                if (readers.getOrDefault(op.output(0), List.of()).isEmpty()) return Optional.empty();
            }
            produced.add(op.output(0));
        }
        ends += g.tensor(g.ops().get(order.get(z)).output(0)).bytes();
        return Optional.of(ends);
    }

    /** A channel slice of the output needs only the same channels of every input the path produced. */
    private static boolean channelLocal(Graph g, int opIndex, Set<Integer> produced) {
        Op op = g.ops().get(opIndex);
        Region whole = Region.whole(g.tensor(op.output(0)).shape());
        if (whole.extent(3) < 2) return false;
        List<Region> in;
        try {
            in = KernelRegistry.forOp(g, opIndex).inputRegions(g, op, whole.with(3, 0, 1));
        } catch (RuntimeException e) {
            return false;
        }
        for (int i = 0; i < op.inputs().size(); i++) {
            if (!produced.contains(op.input(i))) continue;
            Region r = in.get(i);
            if (r == null || r.rank() != 4 || r.extent(3) > 1 || g.tensor(op.input(i)).shape().fromEnd(1) != whole.extent(3)) return false;
        }
        return true;
    }

    static Map<Integer, List<Integer>> readers(Graph g) {
        Map<Integer, List<Integer>> m = new HashMap<>();
        for (int i = 0; i < g.ops().size(); i++) for (int t : g.ops().get(i).inputs()) if (t >= 0) m.computeIfAbsent(t, x -> new ArrayList<>()).add(i);
        return m;
    }
}
