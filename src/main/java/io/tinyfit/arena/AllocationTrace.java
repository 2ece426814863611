package io.tinyfit.arena;

import io.tinyfit.arena.ArenaEvent.Persistent;
import io.tinyfit.arena.ArenaEvent.PlannerScratch;
import io.tinyfit.arena.ArenaEvent.ResetTemp;
import io.tinyfit.arena.ArenaEvent.ResizeHead;
import io.tinyfit.arena.ArenaEvent.TailPart;
import io.tinyfit.arena.ArenaEvent.Temp;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sequence of arena calls TFLM makes from {@code MicroInterpreter}'s constructor to the end of
 * {@code AllocateTensors()}, for one model and data model. The order is the code's:
 * <ol>
 *   <li>micro_allocator.cc {@code MicroAllocator::Create}: the buffer allocator, the greedy planner and the
 *       MicroAllocator itself, each in the tail;</li>
 *   <li>{@code StartModelAllocation}: the builtin-data allocator, the head reserved for 12 scratch requests, the
 *       SubgraphAllocations array, each subgraph's TfLiteEvalTensor array, then each subgraph's
 *       NodeAndRegistration array;</li>
 *   <li>micro_interpreter.cc {@code PrepareNodeAndRegistrationDataFromFlatbuffer}: each operator's options;</li>
 *   <li>micro_interpreter_graph.cc {@code InitSubgraphs} (OpData) and {@code PrepareSubgraphs} (temporaries,
 *       persistent buffers; after each node {@code FinishPrepareNodeAllocations} resets the temporaries and grows
 *       the head to hold 12 more scratch requests);</li>
 *   <li>{@code FinishModelAllocation}: the scratch handles, then {@code CommitStaticMemoryPlan}: subgraph offsets
 *       and the AllocationInfo array as temporaries, the variable tensors in the tail, all the rest for the
 *       planner, then the head set to the plan;</li>
 *   <li>the interpreter's persistent TfLiteTensors for the inputs and outputs.</li>
 * </ol>
 */
final class AllocationTrace {
    private final RuntimeStructs rs;
    private final KernelFootprints kernels;

    AllocationTrace(DataModel dm) { this(dm, KernelTarget.REFERENCE); }

    AllocationTrace(DataModel dm, KernelTarget target) {
        this.rs = new RuntimeStructs(dm);
        this.kernels = new KernelFootprints(dm, target);
    }

    /** Every operator kind without an allocation model, in first-seen order; the trace needs none of them. */
    List<String> unmodelled(Graph g) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < g.subgraphs().size(); s++) {
            Graph view = g.withMain(g.subgraphs().get(s));
            for (Op op : view.ops()) {
                if (kernels.of(view, op).isEmpty() && !out.contains(op.kind())) out.add(op.kind());
            }
        }
        return out;
    }

    List<ArenaEvent> of(Graph g, long plannedHeadBytes) {
        List<ArenaEvent> ev = new ArrayList<>();
        int p = rs.dataModel().pointerBytes();
        persistent(ev, rs.singleArenaBufferAllocator(), TailPart.ALLOCATOR);
        persistent(ev, rs.greedyMemoryPlanner(), TailPart.ALLOCATOR);
        persistent(ev, rs.microAllocator(), TailPart.ALLOCATOR);

        persistent(ev, rs.builtinDataAllocator(), TailPart.ALLOCATOR);
        CType request = rs.scratchBufferRequest();
        ev.add(new ResizeHead(RuntimeStructs.MAX_SCRATCH_REQUESTS_PER_OP * request.size()));
        persistent(ev, rs.subgraphAllocations().times(g.subgraphs().size()), TailPart.ALLOCATOR);
        for (Subgraph s : g.subgraphs()) persistent(ev, rs.evalTensor().times(s.tensors().size()), TailPart.EVAL_TENSORS);
        for (Subgraph s : g.subgraphs()) persistent(ev, rs.nodeAndRegistration().times(s.ops().size()), TailPart.NODES);

        List<List<KernelFootprint>> footprints = new ArrayList<>();
        for (Subgraph s : g.subgraphs()) {
            Graph view = g.withMain(s);
            List<KernelFootprint> f = new ArrayList<>();
            for (Op op : s.ops()) {
                f.add(kernels.of(view, op).orElseThrow(() -> new IllegalStateException(g.source() + ": operator " + op.kind() + " has no TFLM allocation model")));
            }
            footprints.add(f);
        }
        for (List<KernelFootprint> f : footprints) {
            for (KernelFootprint k : f) if (k.builtinParams() != null) persistent(ev, k.builtinParams(), TailPart.BUILTIN_DATA);
        }
        for (List<KernelFootprint> f : footprints) {
            for (KernelFootprint k : f) if (k.opData() != null) ev.add(new Persistent(k.opData().size(), RuntimeStructs.ARENA_ALIGNMENT, TailPart.OP_DATA));
        }
        int requests = 0;
        for (int si = 0; si < g.subgraphs().size(); si++) {
            Subgraph s = g.subgraphs().get(si);
            for (KernelFootprint k : footprints.get(si)) {
                for (KernelFootprint.PrepareStep step : k.prepare()) {
                    if (step instanceof KernelFootprint.TempTensor t) tempTensor(ev, s.tensor(t.tensor()));
                    else if (step instanceof KernelFootprint.Persistent q) ev.add(new Persistent(q.bytes(), RuntimeStructs.ARENA_ALIGNMENT, TailPart.OP_DATA));
                }
                requests += k.scratchRequests();
                ev.add(new ResetTemp());
                ev.add(new ResizeHead((requests + RuntimeStructs.MAX_SCRATCH_REQUESTS_PER_OP) * request.size()));
            }
        }

        if (requests > 0) persistent(ev, rs.scratchBufferHandle().times(requests), TailPart.SCRATCH_HANDLES);
        ev.add(new Temp(rs.sizeT().size() * g.subgraphs().size(), rs.sizeT().align()));
        CType info = rs.allocationInfo();
        ev.add(new Temp(info.size() * (g.totalTensorCount() + requests), info.align()));
        // Variables with an offline offset live in the head (micro_allocator.cc AllocateVariables).
        Map<Integer, Long> offline = OfflineMemoryAllocation.read(g).orElse(Map.of());
        int plannedBuffers = requests;
        for (int si = 0; si < g.subgraphs().size(); si++) {
            for (Tensor t : g.subgraphs().get(si).tensors()) {
                if (t.variable() && !(si == 0 && offline.containsKey(t.id()))) {
                    ev.add(new Persistent(t.bytes(), RuntimeStructs.ARENA_ALIGNMENT, TailPart.VARIABLES));
                }
                if (!t.isConstant() && !t.variable() && t.bytes() != 0) plannedBuffers++;
            }
        }
        ev.add(new PlannerScratch(plannedBuffers, rs.plannerBytesPerBuffer()));
        ev.add(new ResetTemp());
        ev.add(new ResizeHead(0));
        ev.add(new ResizeHead(plannedHeadBytes));

        for (List<Integer> io : List.of(g.inputs(), g.outputs())) {
            ev.add(new Persistent((long) p * io.size(), RuntimeStructs.ARENA_ALIGNMENT, TailPart.IO_TENSORS));
            for (int t : io) persistentTensor(ev, g.tensor(t));
        }
        return ev;
    }

    private static void persistent(List<ArenaEvent> ev, CType t, TailPart part) {
        ev.add(new Persistent(t.size(), t.align(), part));
    }

    /** micro_allocator.cc {@code AllocateTempTfLiteTensor}: the struct, then its quantisation when it has one. */
    private void tempTensor(List<ArenaEvent> ev, Tensor t) {
        CType tensor = rs.tensor();
        ev.add(new Temp(tensor.size(), tensor.align()));
        if (hasAffineQuantization(t)) {
            CType q = rs.affineQuantization();
            ev.add(new Temp(q.size(), q.align()));
            CType zeroPoints = rs.intArray(t.quant().channels());
            ev.add(new Temp(zeroPoints.size(), zeroPoints.align()));
        }
    }

    /** micro_allocator.cc {@code AllocatePersistentTfLiteTensor}, the same in the tail. */
    private void persistentTensor(List<ArenaEvent> ev, Tensor t) {
        persistent(ev, rs.tensor(), TailPart.IO_TENSORS);
        if (hasAffineQuantization(t)) {
            persistent(ev, rs.affineQuantization(), TailPart.IO_TENSORS);
            persistent(ev, rs.intArray(t.quant().channels()), TailPart.IO_TENSORS);
        }
    }

    /** InitializeTfLiteTensorFromFlatbuffer copies quantisation only when both scale and zero point are non-empty. */
    private static boolean hasAffineQuantization(Tensor t) {
        return t.quant().hasScale() && t.quant().zeroPoints().length > 0;
    }
}
