package io.tinyfit.schedule;

import java.util.List;

/** Order-independent DMO knowledge: per operator, the (input tensor, output tensor, safe min delta) pairs whose
 *  overlap is safe whenever that operator is the last reader of the input in the order. Pairs are already
 *  filtered for order-independent legality (constants, graph inputs/outputs, ...) by the caller. */
public interface OverlapModel {
    record Pair(int inputTensor, int outputTensor, long minDeltaBytes) {}

    List<Pair> pairs(int opIndex);

    OverlapModel NONE = op -> List.of();
}
