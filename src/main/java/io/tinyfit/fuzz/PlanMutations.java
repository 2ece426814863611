package io.tinyfit.fuzz;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Offline memory plans edited the way a hand or another tool gets them wrong: TFLM's own plan of the model, written
 * as {@code OfflineMemoryAllocation} metadata, then one entry moved so that two live tensors overlap, an output
 * placed over the input of a windowed operator (a DMO pair beyond its safe delta), every offset set to 0, an offset
 * made unaligned or negative, or one moved a gigabyte up.
 */
final class PlanMutations {
    /** Kinds whose outputs overwrite input bytes they still need when placed right over their input. */
    private static final Set<String> WINDOWED = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
            "FULLY_CONNECTED", "TRANSPOSE_CONV", "TRANSPOSE", "SOFTMAX", "MEAN", "RESIZE_NEAREST_NEIGHBOR", "PAD", "CONCATENATION");

    private final String model;
    private final Graph graph;
    private final Plan plan;

    PlanMutations(String model, Graph graph) {
        this.model = model;
        this.graph = graph;
        this.plan = TflmBaseline.online(graph, io.tinyfit.plan.Plans.fileOrder(graph));
    }

    Mutation mutate(MutationKind kind, Random rng) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (Buffer b : plan.buffers()) if (b.kind() == Buffer.Kind.TENSOR) offsets.put(b.tensor(), b.offset());
        List<Integer> tensors = new ArrayList<>(offsets.keySet());
        tensors.sort(null);
        String what;
        long raw = 0;
        int rawTensor = -1;
        switch (kind) {
            case PLAN_OVERLAP -> what = overlap(offsets, rng);
            case PLAN_DMO -> what = dmo(offsets, rng);
            case PLAN_ZERO -> {
                offsets.replaceAll((t, o) -> 0L);
                what = "every offset 0";
            }
            case PLAN_UNALIGNED -> {
                rawTensor = pick(tensors, rng);
                raw = offsets.get(rawTensor) + 1 + rng.nextInt(15);
                what = GraphValidator.describe(graph.tensor(rawTensor)) + " at offset " + raw;
            }
            case PLAN_NEGATIVE -> {
                rawTensor = pick(tensors, rng);
                raw = rng.nextBoolean() ? -16 : -2 - rng.nextInt(1000);
                what = GraphValidator.describe(graph.tensor(rawTensor)) + " at offset " + raw;
            }
            case PLAN_FAR -> {
                int t = pick(tensors, rng);
                offsets.put(t, 1L << 30);
                what = GraphValidator.describe(graph.tensor(t)) + " at offset 1 GiB";
            }
            default -> throw new IllegalArgumentException(kind + " is not a plan mutation");
        }
        byte[] metadata = OfflineMemoryAllocation.encode(graph, offsets);
        // an entry the encoder refuses to write (negative) is patched into its bytes: the file is what matters
        if (rawTensor >= 0) ByteBuffer.wrap(metadata).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * (3 + rawTensor), (int) raw);
        Graph g = graph.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, metadata);
        return new Mutation(kind, model, what, ModelWriter.toBytes(g));
    }

    /** Two tensors live at a common step, not an input/output pair of one operator, placed at one offset. */
    private String overlap(Map<Integer, Long> offsets, Random rng) {
        List<Buffer[]> pairs = new ArrayList<>();
        List<Buffer> tensors = plan.buffers().stream().filter(b -> b.kind() == Buffer.Kind.TENSOR && b.bytes() > 0).toList();
        for (int i = 0; i < tensors.size(); i++) {
            for (int j = i + 1; j < tensors.size(); j++) {
                Buffer a = tensors.get(i), b = tensors.get(j);
                if (a.conflictsWith(b) && !operandsOfOneOperator(a.tensor(), b.tensor())) pairs.add(new Buffer[] {a, b});
            }
        }
        if (pairs.isEmpty()) {
            offsets.replaceAll((t, o) -> 0L);
            return "no two live tensors to overlap: every offset 0";
        }
        Buffer[] p = pairs.get(rng.nextInt(pairs.size()));
        offsets.put(p[1].tensor(), p[0].offset());
        return GraphValidator.describe(graph.tensor(p[1].tensor())) + " moved onto " + GraphValidator.describe(graph.tensor(p[0].tensor()));
    }

    /** The output of a windowed operator placed exactly over its input (delta 0, below any such kernel's safe delta). */
    private String dmo(Map<Integer, Long> offsets, Random rng) {
        List<int[]> pairs = new ArrayList<>();
        for (int s = 0; s < graph.ops().size(); s++) {
            Op op = graph.ops().get(s);
            if (!WINDOWED.contains(op.kind()) || op.outputs().isEmpty() || !op.hasInput(0)) continue;
            int in = op.input(0), out = op.output(0);
            if (offsets.containsKey(in) && offsets.containsKey(out)) pairs.add(new int[] {s, in, out});
        }
        if (pairs.isEmpty()) return overlap(offsets, rng);
        int[] p = pairs.get(rng.nextInt(pairs.size()));
        offsets.put(p[2], offsets.get(p[1]));
        return "output of " + GraphValidator.describe(graph.ops().get(p[0]), p[0]) + " placed over its input";
    }

    private boolean operandsOfOneOperator(int a, int b) {
        for (Op op : graph.ops()) {
            if ((op.inputs().contains(a) && op.outputs().contains(b)) || (op.inputs().contains(b) && op.outputs().contains(a))) return true;
        }
        return false;
    }

    private static int pick(List<Integer> tensors, Random rng) { return tensors.get(rng.nextInt(tensors.size())); }
}
