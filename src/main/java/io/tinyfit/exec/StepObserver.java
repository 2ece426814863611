package io.tinyfit.exec;

import io.tinyfit.kernels.View;
import io.tinyfit.model.Op;
import io.tinyfit.plan.Step;

import java.util.List;

/**
 * Called around each step: before it with the operator's input views, after it with its output views (read them
 * before the next step overwrites them). The input views are the last chance to see an input the step itself
 * overwrites, e.g. one its output overlaps. A view holds what its buffer holds: for a tile, only its region of the
 * tensor. An accumulate step reports its inputs only (its accumulator is not a tensor); a copy step reports the
 * buffer it wrote.
 */
@FunctionalInterface
public interface StepObserver {
    StepObserver NONE = (step, opIndex, op, outputs) -> {};

    void afterStep(int step, int opIndex, Op op, List<View> outputs);

    /** @param inputs one view per operand position, null where an optional operand is omitted */
    default void beforeStep(int step, int opIndex, Op op, List<View> inputs) {}

    /** After a copy step, with the view of the buffer it wrote into. */
    default void afterCopy(int step, Step copy, View target) {}
}
