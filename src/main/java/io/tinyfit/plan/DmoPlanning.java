package io.tinyfit.plan;

import io.tinyfit.dmo.DmoAnalysis;
import io.tinyfit.layout.Layout;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out one operator order with its legal DMO overlaps: every planner of the suite sees each legal pair as an
 * overlap allowance at its traced delta, and each aliased RESHAPE as one buffer spanning both tensors' lifetimes.
 * The tensors go to the best layout's offsets, scratch buffers are fitted by TFLM's rules around them (what stock
 * TFLM does with an offline plan), and the plan declares exactly the pairs whose bytes ended up shared.
 */
final class DmoPlanning {
    private DmoPlanning() {}

    record Result(Plan plan, PlannerSuite.Result layoutRun) {}

    /** @param keepInputs whether {@code requests} keep the graph inputs to the end (the plan records it) */
    static Result plan(Graph g, List<Integer> order, List<BufferRequests.Request> requests, List<DmoAnalysis.Candidate> candidates,
                       PlannerSuite.Options options, boolean keepInputs) {
        Map<Integer, Integer> requestOfTensor = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) if (requests.get(i).kind() == Buffer.Kind.TENSOR) requestOfTensor.put(requests.get(i).tensor(), i);
        // aliases: union of request indices, one layout buffer per group
        int[] parent = new int[requests.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        List<DmoAnalysis.Candidate> usable = new ArrayList<>();
        for (DmoAnalysis.Candidate c : candidates) {
            Integer in = requestOfTensor.get(c.inputTensor());
            Integer out = requestOfTensor.get(c.outputTensor());
            if (!c.legal() || in == null || out == null) continue;
            usable.add(c);
            if (c.alias()) parent[find(parent, out)] = find(parent, in);
        }
        int[] group = new int[requests.size()];
        List<long[]> groups = new ArrayList<>(); // {rawBytes, firstTime, lastTime}
        Map<Integer, Integer> groupOfRoot = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            int root = find(parent, i);
            Integer k = groupOfRoot.get(root);
            if (k == null) {
                k = groups.size();
                groupOfRoot.put(root, k);
                groups.add(new long[] {r.rawBytes(), r.firstTime(), r.lastTime()});
            } else {
                long[] gr = groups.get(k);
                gr[0] = Math.max(gr[0], r.rawBytes());
                gr[1] = Math.min(gr[1], r.firstTime());
                gr[2] = Math.max(gr[2], r.lastTime());
            }
            group[i] = k;
        }
        LayoutProblem.Builder pb = LayoutProblem.builder(TflmBaseline.TFLM_ALIGNMENT);
        for (long[] gr : groups) pb.addBuffer(gr[0], (int) gr[1], (int) gr[2]);
        for (DmoAnalysis.Candidate c : usable) {
            if (c.alias()) continue;
            int out = group[requestOfTensor.get(c.outputTensor())];
            int in = group[requestOfTensor.get(c.inputTensor())];
            if (out != in && c.plannedDelta() < c.outputBytes()) pb.allowOverlap(out, in, c.plannedDelta());
        }
        PlannerSuite.Result run = PlannerSuite.run(pb.build(), options);
        Layout layout = run.best();
        Map<Integer, Long> tensorOffsets = new HashMap<>();
        boolean anyScratch = false;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).kind() == Buffer.Kind.TENSOR) tensorOffsets.put(requests.get(i).tensor(), layout.offset(group[i]));
            else anyScratch = true;
        }
        String name = run.bestStrategy() + (run.bestStrategy().endsWith("+dmo") ? "" : "+dmo") + (anyScratch ? "+tflm-scratch" : "");
        Plan placed = TflmBaseline.withFixedTensors(g, order, requests, tensorOffsets, name, keepInputs);
        return new Result(placed.withOverlaps(declared(placed, usable)), run);
    }

    /** The usable pairs whose buffers really share bytes in the placed plan. */
    private static List<Overlap> declared(Plan p, List<DmoAnalysis.Candidate> usable) {
        Map<Integer, Buffer> byTensor = p.tensorBuffers();
        List<Overlap> out = new ArrayList<>();
        for (DmoAnalysis.Candidate c : usable) {
            Buffer in = byTensor.get(c.inputTensor());
            Buffer o = byTensor.get(c.outputTensor());
            if (in.sharesBytesWith(o)) {
                out.add(new Overlap(c.step(), c.inputTensor(), c.outputTensor(), c.plannedDelta(), c.alias() ? Overlap.ALIAS : Overlap.TRACE));
            }
        }
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
