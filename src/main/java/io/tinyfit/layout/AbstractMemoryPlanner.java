package io.tinyfit.layout;

/**
 * Shared bookkeeping for planners: collects buffers and allowances, aligns sizes, and computes
 * the layout lazily (once per change, like TFLM's {@code CalculateOffsetsIfNeeded}). A strategy
 * only implements {@link #computeOffsets(LayoutProblem)}.
 */
public abstract class AbstractMemoryPlanner implements MemoryPlanner {

    private final LayoutProblem.Builder builder;
    private LayoutProblem problem;
    private Layout layout;

    protected AbstractMemoryPlanner(int alignment) {
        this.builder = LayoutProblem.builder(alignment);
    }

    /**
     * Chooses an offset for every buffer of {@code problem}: offline buffers at their fixed
     * offsets, online ones at multiples of the alignment.
     */
    protected abstract long[] computeOffsets(LayoutProblem problem);

    @Override
    public final int addBuffer(long size, int firstStep, int lastStep) {
        invalidate();
        return builder.addBuffer(size, firstStep, lastStep);
    }

    @Override
    public final int addBuffer(long size, int firstStep, int lastStep, long offlineOffset) {
        invalidate();
        return builder.addBuffer(size, firstStep, lastStep, offlineOffset);
    }

    @Override
    public final void allowOverlap(int outputBuffer, int inputBuffer, long minDeltaBytes) {
        invalidate();
        builder.allowOverlap(outputBuffer, inputBuffer, minDeltaBytes);
    }

    @Override
    public final long offsetOf(int buffer) {
        if (buffer < 0 || buffer >= bufferCount()) {
            throw new IndexOutOfBoundsException("buffer index " + buffer + " is outside 0.." + (bufferCount() - 1));
        }
        return layout().offset(buffer);
    }

    @Override
    public final long arenaSize() {
        return layout().arenaSize();
    }

    @Override
    public final int bufferCount() {
        return builder.bufferCount();
    }

    @Override
    public final int alignment() {
        return builder.alignment();
    }

    @Override
    public final LayoutProblem problem() {
        if (problem == null) {
            problem = builder.build();
        }
        return problem;
    }

    @Override
    public final Layout layout() {
        if (layout == null) {
            LayoutProblem p = problem();
            layout = Layout.of(name(), p, computeOffsets(p));
        }
        return layout;
    }

    private void invalidate() {
        problem = null;
        layout = null;
    }

    @Override
    public String toString() {
        return name() + "[" + bufferCount() + " buffers, alignment " + alignment() + "]";
    }
}
