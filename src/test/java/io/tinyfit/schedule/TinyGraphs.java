package io.tinyfit.schedule;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds small synthetic graphs straight from the model records (int8 tensors, so bytes = elements). Operator
 * kinds are made-up names with no kernel, so no scratch buffers appear and the tests do not depend on what the
 * kernel registry requests.
 */
final class TinyGraphs {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ConstData> buffers = new ArrayList<>(List.of(ConstData.EMPTY));
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();

    /** A non-constant activation tensor of {@code bytes} bytes. */
    int tensor(String name, int bytes) {
        int id = tensors.size();
        tensors.add(new Tensor(id, name, DType.INT8, Shape.of(bytes), null, null, 0, null, false, true));
        return id;
    }

    /** A constant (weights): never planned in the arena. */
    int constant(String name, int bytes) {
        int id = tensors.size();
        buffers.add(ConstData.copyOf(new byte[bytes]));
        tensors.add(new Tensor(id, name, DType.INT8, Shape.of(bytes), null, null, buffers.size() - 1,
                buffers.get(buffers.size() - 1), false, true));
        return id;
    }

    int input(String name, int bytes) {
        int id = tensor(name, bytes);
        inputs.add(id);
        return id;
    }

    void output(int tensor) {
        outputs.add(tensor);
    }

    /** Adds an operator; returns its index. */
    int op(String kind, List<Integer> in, List<Integer> out) {
        ops.add(new Op(0, kind, in, out, null));
        return ops.size() - 1;
    }

    Graph build(String name) {
        Subgraph main = new Subgraph("main", tensors, ops, inputs, outputs);
        return new Graph(name, 3, "", List.of(new OpCode(OpCode.CUSTOM, OpCode.CUSTOM, 32, "TEST", 1)),
                List.of(main), buffers, List.of(), List.of(), List.of());
    }

    /**
     * A random DAG of {@code opCount} operators listed in a valid (file) order: each reads one to three earlier
     * tensors (graph inputs or outputs of earlier ops, sometimes a constant, sometimes the same tensor twice),
     * writes one or two tensors; some tensors end up unread, some are graph outputs, some graph inputs unused.
     */
    static Graph random(Random rnd, int opCount) {
        TinyGraphs b = new TinyGraphs();
        List<Integer> available = new ArrayList<>();
        int graphInputs = 1 + rnd.nextInt(2);
        for (int i = 0; i < graphInputs; i++) available.add(b.input("in" + i, size(rnd)));
        java.util.Set<Integer> read = new java.util.HashSet<>();
        for (int k = 0; k < opCount; k++) {
            List<Integer> in = new ArrayList<>();
            int reads = 1 + rnd.nextInt(3);
            for (int r = 0; r < reads; r++) {
                // bias towards recent tensors so graphs look like networks (mostly chains, some skips)
                int pick = available.size() - 1 - Math.min(available.size() - 1, (int) Math.abs(rnd.nextGaussian() * 2));
                int t = available.get(pick);
                in.add(t);
                read.add(t);
            }
            if (rnd.nextInt(4) == 0) in.add(b.constant("w" + k, 8));
            if (rnd.nextInt(8) == 0) in.add(-1);
            List<Integer> out = new ArrayList<>();
            int writes = rnd.nextInt(5) == 0 ? 2 : 1;
            for (int w = 0; w < writes; w++) out.add(b.tensor("t" + k + "_" + w, size(rnd)));
            b.op("TEST_OP", in, out);
            available.addAll(out);
        }
        for (int t : available) {
            boolean isInput = b.inputs.contains(t);
            if (isInput) continue;
            if (!read.contains(t) ? rnd.nextInt(3) != 0 : rnd.nextInt(6) == 0) b.output(t);
        }
        if (b.outputs.isEmpty()) b.output(available.get(available.size() - 1));
        return b.build("random");
    }

    private static int size(Random rnd) {
        // sizes that are not multiples of 16 exercise the alignment
        return 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 600);
    }
}
