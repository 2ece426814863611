/**
 * Operator orders and the memory they imply.
 *
 * <ul>
 *   <li>{@link io.tinyfit.schedule.Liveness}: the working set of an order, per step and at its peak, from
 *       {@link io.tinyfit.plan.BufferRequests} (TFLM lifetimes, scratch buffers, 16-byte alignment);</li>
 *   <li>{@link io.tinyfit.schedule.OpDag}: which orders are valid (data and variable-state precedence);</li>
 *   <li>{@link io.tinyfit.schedule.ExactScheduler}: the order with the least peak working set, by memoised
 *       search over sets of executed operators, within a state and time budget;</li>
 *   <li>{@link io.tinyfit.schedule.HeuristicScheduler}: deterministic list schedulers for when that budget is
 *       not enough;</li>
 *   <li>{@link io.tinyfit.schedule.OrderSearch}: the entry point; runs them all, places each candidate order
 *       with the layout planners and keeps the smallest placed arena;</li>
 *   <li>{@link io.tinyfit.plan.OverlapModel}: optional DMO pairs; the schedulers credit a pair's shared bytes
 *       and the layout problem allows its overlap wherever the order makes its operator the input's last
 *       reader.</li>
 * </ul>
 */
package io.tinyfit.schedule;
