package io.tinyfit.partial;

import java.util.List;

/**
 * Structured-pruning advice for a budget the partial-execution plan does not reach: the layers whose output
 * channels bound the arena, and the largest channel count per layer that lets the plan meet the budget, checked by
 * planning (and executing) the pruned graph.
 *
 * @param budgetBytes  the budget asked for
 * @param arenaBytes   the arena of the plan without pruning
 * @param layers       per layer to prune, its operator, output tensor, channels now and advised
 * @param prunedArena  the arena of the pruned graph's plan (-1 when no pruning found meets the budget)
 * @param met          whether the pruned graph's plan meets the budget
 * @param verification how the pruned plan was checked
 */
public record PruningAdvice(long budgetBytes, long arenaBytes, List<Layer> layers, long prunedArena, boolean met, String verification) {
    public PruningAdvice {
        layers = List.copyOf(layers);
    }

    public record Layer(int op, String kind, String tensor, int channels, int advisedChannels) {}
}
