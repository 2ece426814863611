package io.tinyfit.plan;

import java.util.List;

/**
 * Order-independent DMO knowledge: per operator, the (input tensor, output tensor, safe min delta) pairs whose
 * overlap is safe whenever that operator is the last reader of the input in the order. Pairs are already
 * filtered for order-independent legality (constants, graph inputs/outputs, ...) by the caller.
 *
 * <p>The order-dependent part is applied here: a pair counts only in orders where its operator is the input's
 * last reader, since a later reader would see bytes the output overwrote. Pairs naming a tensor the operator
 * does not read or write, or one without an arena buffer, are ignored.
 */
public interface OverlapModel {

    /**
     * The output may start {@code minDeltaBytes} or more below the input and share the rest (see
     * {@link io.tinyfit.layout.MemoryPlanner#allowOverlap}).
     */
    record Pair(int inputTensor, int outputTensor, long minDeltaBytes) {
        public Pair {
            if (minDeltaBytes < 0) throw new IllegalArgumentException("minDeltaBytes must be >= 0: " + minDeltaBytes);
        }
    }

    /** The pairs of one operator; {@code opIndex} indexes {@code graph.ops()}. */
    List<Pair> pairs(int opIndex);

    OverlapModel NONE = op -> List.of();
}
