package io.tinyfit.dmo;

import io.tinyfit.model.Graph;

/** Placeholder until the closed forms land: no closed form, no overlap. */
public final class AnalyticalMethod {
    private AnalyticalMethod() {}

    public record Bound(long minDeltaBytes, boolean derived, String formula) {}

    public static Bound of(Graph g, int opIndex, int inputIndex, int outputIndex) {
        long out = g.tensor(g.ops().get(opIndex).output(outputIndex)).bytes();
        return new Bound(out, false, "no closed form");
    }
}
