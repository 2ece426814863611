package io.tinyfit.layout;

/**
 * Largest buffer first, each into the best-fitting hole among the buffers it conflicts with
 * (the hole that least raises the arena, then the tightest). Unlike TFLM's first fit this keeps
 * big holes for big buffers, and it uses overlap allowances in both placement directions.
 */
public final class GreedyBySizeBestFit extends AbstractMemoryPlanner {

    public GreedyBySizeBestFit() {
        this(DEFAULT_ALIGNMENT);
    }

    public GreedyBySizeBestFit(int alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "greedy-size-bestfit";
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        Placer placer = new Placer(problem, new ConflictGraph(problem));
        return placer.place(PlacementOrders.bySize(problem, placer.onlineBuffers()));
    }
}
