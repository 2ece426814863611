package io.tinyfit.layout;

/**
 * Buffers with the heaviest conflicts first (own size plus the sizes of all buffers live at the
 * same time), each into the best-fitting hole. Size order misjudges a mid-sized buffer that
 * lives through the model's peak; conflict weight places it early, while the peak is empty.
 */
public final class GreedyByConflicts extends AbstractMemoryPlanner {

    public GreedyByConflicts() {
        this(DEFAULT_ALIGNMENT);
    }

    public GreedyByConflicts(int alignment) {
        super(alignment);
    }

    @Override
    public String name() {
        return "greedy-conflicts";
    }

    @Override
    protected long[] computeOffsets(LayoutProblem problem) {
        ConflictGraph graph = new ConflictGraph(problem);
        Placer placer = new Placer(problem, graph);
        return placer.place(PlacementOrders.byConflictWeight(problem, graph, placer.onlineBuffers()));
    }
}
