package io.tinyfit.layout;

/**
 * Plans the offsets of buffers inside one arena, modelled on TFLM's {@code MicroMemoryPlanner}.
 * A client adds every buffer with its lifetime, then reads the layout; each strategy is a
 * sibling class, so swapping strategies never touches client code:
 *
 * <pre>{@code
 * MemoryPlanner planner = new GreedyBySizeBestFit();  // or TflmGreedyPlanner, ...
 * int in = planner.addBuffer(100, 0, 1);               // buffer 0, live at steps 0..1
 * int out = planner.addBuffer(50, 1, 2);               // buffer 1, live at steps 1..2
 * planner.addBuffer(50, 2, 3, 0);                      // buffer 2, fixed (offline) offset 0
 * planner.allowOverlap(out, in, 32);                   // DMO: op 1 may write over its input
 * long offsetOfIn = planner.offsetOf(in);
 * long offsetOfOut = planner.offsetOf(out);
 * long arenaBytes = planner.arenaSize();
 * }</pre>
 *
 * <p>Lifetimes are closed step intervals: two buffers conflict unless one's first step is
 * after the other's last step. The layout is computed lazily on the first read after a change.
 *
 * <p><b>Alignment lives in the planner</b> (constructor argument, {@link #DEFAULT_ALIGNMENT} by
 * default): every size is rounded up to it when added, every offset the planner returns is a
 * multiple of it, and fixed offsets must already be multiples of it. TFLM rounds sizes the same
 * way before calling its planner ({@code AlignSizeUp} in {@code MicroAllocator::CreatePlan}), so
 * with alignment 16 a planner sees exactly what TFLM's planner sees; alignment 1 plans raw byte
 * sizes, as TFLM's own planner unit tests do.
 */
public interface MemoryPlanner {

    /** TFLM's {@code MicroArenaBufferAlignment()}. */
    int DEFAULT_ALIGNMENT = 16;

    /**
     * Adds a buffer the planner may place anywhere.
     *
     * @return the buffer's index, which is its add order
     */
    int addBuffer(long size, int firstStep, int lastStep);

    /**
     * Adds a buffer with a fixed offset, as in TFLM's offline memory plan (model metadata
     * {@code OfflineMemoryAllocation}). The planner places everything else around it.
     *
     * @return the buffer's index, which is its add order
     */
    int addBuffer(long size, int firstStep, int lastStep, long offlineOffset);

    /**
     * Declares that an op's output buffer may share bytes with one of its inputs (diagonal
     * memory optimisation): the layout may overlap them when
     * {@code offsetOf(inputBuffer) - offsetOf(outputBuffer) >= minDeltaBytes}, i.e. the output
     * starts at least {@code minDeltaBytes} below the input, so the op never overwrites input
     * bytes it still has to read. {@code minDeltaBytes >= size(output)} allows no sharing. A
     * planner may ignore allowances (plan the two buffers disjoint) but never violates them.
     */
    void allowOverlap(int outputBuffer, int inputBuffer, long minDeltaBytes);

    /** Offset of a buffer from the start of the arena, in bytes. */
    long offsetOf(int buffer);

    /** Bytes the layout needs: the largest {@code offset + aligned size}; 0 without buffers. */
    long arenaSize();

    /** Number of buffers added so far. */
    int bufferCount();

    /** Short stable name of the strategy, used in reports. */
    String name();

    /** Alignment in bytes applied to sizes and offsets. */
    int alignment();

    /** The buffers and allowances added so far, sizes already aligned. */
    LayoutProblem problem();

    /** The whole computed layout as an immutable value. */
    Layout layout();
}
