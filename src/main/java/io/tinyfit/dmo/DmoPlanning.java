package io.tinyfit.dmo;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Placement;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out one operator order with its legal DMO overlaps: every planner of the suite sees each legal pair as an
 * overlap allowance at its traced delta, and each aliased RESHAPE as one buffer spanning both tensors' lifetimes.
 * The tensors go to the best layout's offsets, scratch buffers are fitted by TFLM's rules around them (what stock
 * TFLM does with an offline plan), and the plan declares exactly the pairs whose bytes ended up shared.
 */
public final class DmoPlanning {
    private DmoPlanning() {}

    public record Result(Plan plan, PlannerSuite.Result layoutRun) {}

    /** @param keepInputs whether {@code requests} keep the graph inputs to the end (the plan records it) */
    public static Result plan(Graph g, List<Integer> order, List<BufferRequests.Request> requests, List<DmoAnalysis.Candidate> candidates,
                              PlannerSuite.Options options, boolean keepInputs) {
        Set<Integer> planned = new HashSet<>();
        for (BufferRequests.Request r : requests) if (r.kind() == Buffer.Kind.TENSOR) planned.add(r.tensor());
        List<DmoAnalysis.Candidate> usable = new ArrayList<>();
        List<Placement.Alias> aliases = new ArrayList<>();
        List<Placement.Allowance> allowances = new ArrayList<>();
        for (DmoAnalysis.Candidate c : candidates) {
            if (!c.legal() || !planned.contains(c.inputTensor()) || !planned.contains(c.outputTensor())) continue;
            usable.add(c);
            if (c.alias()) aliases.add(new Placement.Alias(c.inputTensor(), c.outputTensor()));
            else if (c.plannedDelta() < c.outputBytes()) allowances.add(new Placement.Allowance(c.inputTensor(), c.outputTensor(), c.plannedDelta()));
        }
        Placement placement = Placement.of(requests, TflmBaseline.TFLM_ALIGNMENT, aliases, allowances);
        PlannerSuite.Result run = PlannerSuite.run(placement.problem(), options);
        String name = run.bestStrategy() + (run.bestStrategy().endsWith("+dmo") ? "" : "+dmo") + (placement.hasScratch() ? "+tflm-scratch" : "");
        Plan placed = TflmBaseline.withFixedTensors(g, order, requests, placement.tensorOffsets(run.best()), name, keepInputs);
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
}
