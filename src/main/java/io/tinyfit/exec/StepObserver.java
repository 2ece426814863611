package io.tinyfit.exec;

import io.tinyfit.kernels.View;
import io.tinyfit.model.Op;

import java.util.List;

/** Called after each step with the operator's output views (read them before the next step overwrites them). */
@FunctionalInterface
public interface StepObserver {
    StepObserver NONE = (step, opIndex, op, outputs) -> {};

    void afterStep(int step, int opIndex, Op op, List<View> outputs);
}
