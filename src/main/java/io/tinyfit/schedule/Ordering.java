package io.tinyfit.schedule;

import java.util.List;

/**
 * An operator order chosen by the order search: what the reorder pass explains.
 *
 * @param scheduler which schedulers produced the order, joined by {@code +} when several agree
 * @param exact     the exact scheduler completed its search
 */
public record Ordering(List<Integer> order, String scheduler, boolean exact) {
    public Ordering {
        order = List.copyOf(order);
    }

    public static Ordering fileOrder(int ops, boolean exact) {
        return new Ordering(java.util.stream.IntStream.range(0, ops).boxed().toList(), "file-order", exact);
    }
}
