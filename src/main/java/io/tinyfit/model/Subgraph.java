package io.tinyfit.model;

import java.util.List;

/** One subgraph: its tensors, operators in execution order, and its input and output tensor ids. */
public record Subgraph(String name, List<Tensor> tensors, List<Op> ops, List<Integer> inputs, List<Integer> outputs) {
    public Subgraph {
        tensors = List.copyOf(tensors);
        ops = List.copyOf(ops);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Tensor tensor(int id) { return tensors.get(id); }

    public Subgraph withOps(List<Op> newOps) { return new Subgraph(name, tensors, newOps, inputs, outputs); }

    public Subgraph withTensors(List<Tensor> newTensors) { return new Subgraph(name, newTensors, ops, inputs, outputs); }
}
