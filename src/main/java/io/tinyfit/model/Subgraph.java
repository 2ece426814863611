package io.tinyfit.model;

import java.util.List;

/**
 * One subgraph: its tensors, operators in execution order, and its input and output tensor ids.
 *
 * @param presence which of {@code tensors}, {@code inputs}, {@code outputs}, {@code operators} the file had
 */
public record Subgraph(String name, List<Tensor> tensors, List<Op> ops, List<Integer> inputs, List<Integer> outputs,
                       Presence presence) {
    public Subgraph {
        tensors = List.copyOf(tensors);
        ops = List.copyOf(ops);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        presence = presence == null ? Presence.BUILT : presence;
    }

    /** A subgraph built in code. */
    public Subgraph(String name, List<Tensor> tensors, List<Op> ops, List<Integer> inputs, List<Integer> outputs) {
        this(name, tensors, ops, inputs, outputs, Presence.BUILT);
    }

    public Tensor tensor(int id) { return tensors.get(id); }

    public Subgraph withOps(List<Op> newOps) { return new Subgraph(name, tensors, newOps, inputs, outputs, presence); }

    public Subgraph withTensors(List<Tensor> newTensors) { return new Subgraph(name, newTensors, ops, inputs, outputs, presence); }
}
