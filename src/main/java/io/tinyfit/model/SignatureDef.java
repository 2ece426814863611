package io.tinyfit.model;

import java.util.List;

/** A signature: named input and output tensors of one subgraph. */
public record SignatureDef(String key, int subgraphIndex, List<TensorMap> inputs, List<TensorMap> outputs) {
    public SignatureDef {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** A signature entry: a name for tensor {@code tensorIndex}. */
    public record TensorMap(String name, int tensorIndex) {}
}
