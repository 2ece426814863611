package io.tinyfit.fuzz;

import java.util.List;

/** Every stage's outcome for one mutation. */
public record CaseResult(Mutation mutation, List<Outcome> outcomes, long boundNanos) {
    public CaseResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean undocumented() { return outcomes.stream().anyMatch(o -> o.status() == Outcome.Status.UNDOCUMENTED); }

    /** Some stage ran longer than the time bound, or never finished. */
    public boolean pastBound() { return outcomes.stream().anyMatch(o -> o.pastBound(boundNanos)); }

    /** Every stage succeeded or refused the input with a documented exception, within the time bound. */
    public boolean clean() { return !undocumented() && !pastBound(); }

    /** One line per failing stage, for reports and test failures. */
    public String describeProblems() {
        StringBuilder sb = new StringBuilder(mutation.label());
        for (Outcome o : outcomes) {
            if (o.status() == Outcome.Status.UNDOCUMENTED || o.pastBound(boundNanos)) {
                sb.append("\n    ").append(o.stage().label()).append(": ").append(o.status())
                        .append(String.format(" after %.1f s (%.1f s of processor time)", o.nanos() / 1e9, o.cpuNanos() / 1e9));
                if (o.detail() != null) sb.append(": ").append(o.detail());
            }
        }
        return sb.toString();
    }
}
