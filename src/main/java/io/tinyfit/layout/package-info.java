/**
 * Offset planning for the tensor arena, on abstract buffers: each buffer is only a size in bytes
 * and a closed lifetime {@code [firstStep, lastStep]}; two buffers conflict unless one's first
 * step comes after the other's last. Nothing here knows about models or ops.
 *
 * <p>{@link io.tinyfit.layout.MemoryPlanner} is the client interface (modelled on TFLM's
 * {@code MicroMemoryPlanner}); every strategy is a sibling class:
 * <ul>
 *   <li>{@link io.tinyfit.layout.TflmGreedyPlanner}: bit-for-bit TFLM's greedy planner, the
 *       baseline a stock TFLM build gets;</li>
 *   <li>{@link io.tinyfit.layout.TflmGreedyDmoPlanner}: the same order and first fit, honouring
 *       overlap allowances (identical offsets without them);</li>
 *   <li>{@link io.tinyfit.layout.GreedyBySizeBestFit} and {@link io.tinyfit.layout.GreedyByConflicts}:
 *       one-pass heuristics;</li>
 *   <li>{@link io.tinyfit.layout.IteratedLocalSearch}: search over placement orders;</li>
 *   <li>{@link io.tinyfit.layout.ExactChocoPlanner}: CP model solved by Choco under a time limit.</li>
 * </ul>
 * {@link io.tinyfit.layout.PlannerSuite} runs them all and keeps the best layout that
 * {@link io.tinyfit.layout.LayoutChecker} accepts; {@link io.tinyfit.layout.LowerBound} says how far
 * from optimal it can at most be.
 *
 * <p>Alignment belongs to the planner (default 16 bytes, TFLM's arena buffer alignment): sizes
 * are rounded up on the way in, every offset is a multiple of it, and fixed offline offsets must
 * already be. Overlap allowances (an op's output may start {@code minDelta} bytes or more below one
 * of its inputs and share the rest) are honoured by every strategy except
 * {@link io.tinyfit.layout.TflmGreedyPlanner}, which, like TFLM, keeps such pairs disjoint.
 */
package io.tinyfit.layout;
