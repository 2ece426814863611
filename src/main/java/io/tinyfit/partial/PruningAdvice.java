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

    /** The plan JSON's {@code pruning_advice}. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("budget_bytes", budgetBytes);
        m.put("arena_bytes", arenaBytes);
        List<java.util.Map<String, Object>> ls = new java.util.ArrayList<>();
        for (Layer l : layers) {
            java.util.Map<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("op", l.op());
            x.put("kind", l.kind());
            x.put("tensor", l.tensor());
            x.put("channels", l.channels());
            x.put("advised_channels", l.advisedChannels());
            ls.add(x);
        }
        m.put("layers", ls);
        m.put("pruned_arena_bytes", prunedArena);
        m.put("met", met);
        m.put("verification", verification);
        return m;
    }

    /** For people: one line per advised layer, then the outcome. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  pruning advice (head budget %,d bytes; plan without pruning %,d bytes):%n", budgetBytes, arenaBytes));
        if (layers.isEmpty()) sb.append("    no advice: ").append(verification).append(System.lineSeparator());
        for (Layer l : layers) sb.append(String.format("    prune %s#%d (%s) from %d to %d output channels%n", l.kind(), l.op(), l.tensor(), l.channels(), l.advisedChannels()));
        if (!layers.isEmpty()) {
            sb.append(String.format("    pruned graph's plan: %,d bytes, %s the budget; %s%n", prunedArena, met ? "meets" : "does NOT meet", verification));
        }
        return sb.toString();
    }

    public record Layer(int op, String kind, String tensor, int channels, int advisedChannels) {}
}
