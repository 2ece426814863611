package io.tinyfit.verify;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every operator runs, computes no element twice into one buffer, and a graph output whole; each finish is preceded by accumulate steps into the same accumulator region whose input-channel
 * slices are disjoint and together all input channels, and no accumulate into a region follows its finish.
 */
final class Coverage {
    private Coverage() {}

    static List<String> problems(Plan p) {
        Graph g = p.graph();
        List<String> out = new ArrayList<>();
        Map<Integer, List<Integer>> stepsOf = new HashMap<>();
        for (int s = 0; s < p.stepCount(); s++) {
            int op = p.step(s).op();
            if (op >= 0 && op < g.ops().size()) stepsOf.computeIfAbsent(op, k -> new ArrayList<>()).add(s);
        }
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            String name = GraphValidator.describe(op, i);
            List<Integer> steps = stepsOf.getOrDefault(i, List.of());
            if (steps.isEmpty()) {
                out.add(name + " never runs");
                continue;
            }
            if (op.outputs().isEmpty()) continue;
            Region whole = Region.whole(g.tensor(op.output(0)).shape());
            outputCovered(p, name, whole, steps, out);
            accumulated(p, i, name, steps, out);
        }
        return out;
    }

    /**
     * Compute and finish regions: two of them may cover the same elements only into different buffers (a halo
     * recomputed for the next band), never into the same one. A graph output must be computed whole (the application
     * reads all of it: a tile nobody computes is missing); an intermediate only where a later step reads it, which
     * the per-byte liveness checks (a strided or VALID window leaves rows nobody reads, and nobody need compute them).
     */
    private static void outputCovered(Plan p, String name, Region whole, List<Integer> steps, List<String> out) {
        List<Integer> writers = steps.stream().filter(s -> p.step(s).kind() == StepKind.COMPUTE || p.step(s).kind() == StepKind.FINISH).toList();
        List<Region> regions = new ArrayList<>();
        for (int a = 0; a < writers.size(); a++) {
            Step sa = p.step(writers.get(a));
            Region ra = region(sa, whole);
            if (ra.rank() != whole.rank() || !whole.contains(ra)) continue; // reported by the step accesses
            regions.add(ra);
            for (int b = 0; b < a; b++) {
                Step sb = p.step(writers.get(b));
                Region rb = region(sb, whole);
                boolean sameBuffer = !sa.outputs().isEmpty() && sa.outputs().equals(sb.outputs());
                if (sameBuffer && rb.rank() == ra.rank() && !ra.intersect(rb).isEmpty()) {
                    out.add(name + " computes " + describe(ra.intersect(rb), whole) + " of its output twice into buffer " + sa.outputs().get(0)
                            + " (steps " + writers.get(b) + " and " + writers.get(a) + ")");
                }
            }
        }
        if (op(p, writers) == null || !p.graph().outputs().contains(op(p, writers))) return;
        int[] hole = Regions.uncovered(regions, whole);
        if (hole != null) out.add(name + ": no step computes element " + java.util.Arrays.toString(hole) + " of its output" + (writers.isEmpty() ? "" : " (a tile is missing)"));
    }

    /** Accumulate steps per (accumulator, region), each group closed by one finish after all of its slices. */
    private static void accumulated(Plan p, int opIndex, String name, List<Integer> steps, List<String> out) {
        Graph g = p.graph();
        Op op = g.ops().get(opIndex);
        Region whole = Region.whole(g.tensor(op.output(0)).shape());
        Map<List<Object>, List<Integer>> open = new HashMap<>();
        int cin = KernelRegistry.find(op.kind()).filter(k -> k instanceof PartialSums).map(k -> ((PartialSums) k).inputChannels(g, op)).orElse(-1);
        for (int s : steps) {
            Step st = p.step(s);
            List<Object> key = List.of(st.accumulator(), region(st, whole));
            if (st.kind() == StepKind.ACCUMULATE) open.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            if (st.kind() != StepKind.FINISH) continue;
            List<Integer> slices = open.remove(key);
            if (slices == null) {
                out.add(name + ": finish at step " + s + " reads accumulator buffer " + st.accumulator() + " over " + describe(region(st, whole), whole) + ", which no accumulate step filled");
                continue;
            }
            channelsOnce(p, name, s, slices, cin, out);
        }
        for (var e : open.entrySet()) {
            int last = e.getValue().get(e.getValue().size() - 1);
            boolean finishedBefore = steps.stream().anyMatch(s -> s < last && p.step(s).kind() == StepKind.FINISH
                    && p.step(s).accumulator() == p.step(last).accumulator() && region(p.step(s), whole).equals(e.getKey().get(1)));
            out.add(name + ": " + (finishedBefore
                    ? "accumulate at step " + last + " adds into accumulator buffer " + p.step(last).accumulator() + " after its finish"
                    : "accumulate steps " + e.getValue() + " into accumulator buffer " + p.step(last).accumulator() + " are never finished"));
        }
    }

    /** The slices of one finish: disjoint, and all input channels. */
    private static void channelsOnce(Plan p, String name, int finish, List<Integer> slices, int cin, List<String> out) {
        long total = 0;
        for (int a = 0; a < slices.size(); a++) {
            int[] ca = p.step(slices.get(a)).inChannels();
            total += ca[1] - ca[0];
            for (int b = 0; b < a; b++) {
                int[] cb = p.step(slices.get(b)).inChannels();
                if (Math.max(ca[0], cb[0]) < Math.min(ca[1], cb[1])) {
                    out.add(name + ": accumulate steps " + slices.get(b) + " and " + slices.get(a) + " both add input channels "
                            + Math.max(ca[0], cb[0]) + ".." + Math.min(ca[1], cb[1]) + " before the finish at step " + finish);
                }
            }
        }
        if (cin >= 0 && total < cin) {
            out.add(name + ": the accumulate steps before the finish at step " + finish + " add " + total + " of its " + cin + " input channels");
        }
    }

    /** The output tensor the writers compute, null without writers. */
    private static Integer op(Plan p, List<Integer> writers) {
        return writers.isEmpty() ? null : p.graph().ops().get(p.step(writers.get(0)).op()).output(0);
    }

    private static Region region(Step st, Region whole) { return st.region() != null ? st.region() : whole; }

    private static String describe(Region r, Region whole) { return r.equals(whole) ? "all" : "region " + r; }

}
