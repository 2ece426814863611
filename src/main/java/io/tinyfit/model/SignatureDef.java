package io.tinyfit.model;

import java.util.List;

/**
 * A signature: named input and output tensors of one subgraph.
 *
 * @param presence which of {@code inputs}, {@code outputs} the file had
 */
public record SignatureDef(String key, int subgraphIndex, List<TensorMap> inputs, List<TensorMap> outputs, Presence presence) {
    public SignatureDef {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        presence = presence == null ? Presence.BUILT : presence;
    }

    /** A signature entry: a name for tensor {@code tensorIndex}. */
    public record TensorMap(String name, int tensorIndex) {}
}
