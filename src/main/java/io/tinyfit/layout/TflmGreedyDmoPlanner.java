package io.tinyfit.layout;

/**
 * TFLM's greedy planner plus diagonal memory optimisation: buffers go in exactly
 * {@link TflmGreedyPlanner}'s order (offline ones at their fixed offsets, then online ones largest
 * first with TFLM's tie rules), and each online buffer takes the lowest aligned offset that clears
 * every already placed buffer live at the same time, where an overlap allowance lets an output
 * sit below an already placed input and an input sit above an already placed output
 * ({@link ConflictGraph} folds both directions in).
 *
 * <p>TFLM's first-gap walk also returns the lowest such offset, so without allowances this
 * planner reproduces TFLM's offsets exactly. Its saving over {@link TflmGreedyPlanner} is
 * therefore what DMO alone buys a stock-style greedy, with no change of placement strategy mixed
 * in. {@link TflmGreedyPlanner} stays allowance-blind because it has to predict stock TFLM.
 */
public final class TflmGreedyDmoPlanner extends AbstractMemoryPlanner {

    public TflmGreedyDmoPlanner() {
        this(DEFAULT_ALIGNMENT);
    }

    public TflmGreedyDmoPlanner(int alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "tflm-greedy+dmo";
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        // TFLM also keeps new buffers from straddling empty ones; the graph has to see them to match it
        Placer placer = new Placer(problem, ConflictGraph.withEmptyBuffers(problem), Placer.Fit.LOWEST);
        return placer.place(PlacementOrders.tflm(problem));
    }
}
