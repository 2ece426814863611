package io.tinyfit.layout;

import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/** Planner factories used across tests, with small budgets so tests stay fast. */
final class Planners {

    private Planners() {
    }

    /** Every strategy that honours overlap allowances. */
    static List<IntFunction<MemoryPlanner>> allowanceAware(Duration exactLimit) {
        return List.of(
                TflmGreedyDmoPlanner::new,
                GreedyBySizeBestFit::new,
                GreedyByConflicts::new,
                a -> new IteratedLocalSearch(a, 3_000, Duration.ofSeconds(1), 42),
                a -> new ExactChocoPlanner(a, exactLimit));
    }

    /** Every strategy, TFLM's first. */
    static List<IntFunction<MemoryPlanner>> all(Duration exactLimit) {
        return Stream.concat(Stream.<IntFunction<MemoryPlanner>>of(TflmGreedyPlanner::new),
                allowanceAware(exactLimit).stream()).toList();
    }

    static Layout plan(IntFunction<MemoryPlanner> factory, LayoutProblem problem) {
        return problem.feedInto(factory.apply(problem.alignment())).layout();
    }
}
