package io.tinyfit.partial;

import java.util.List;

/**
 * One partial-execution region (Pex): a channel-mixing operator producing output-channel slices from a whole input,
 * then channel-local operators, run slice by slice so that the tensors between them exist only as slices. It ends
 * either by writing the slices in place into its last tensor (which exists whole) or, when {@code accumulator >= 0},
 * at a channel-mixing operator that adds each slice's int32 partial sums into an accumulator and is finished once.
 *
 * @param chain       the sliced operators in execution order: the channel-mixing start, then channel-local ones
 * @param accumulator the operator that accumulates the slices, or -1 when the last chain operator writes in place
 * @param channels    the channel count every sliced tensor shares
 */
public record PexRegion(List<Integer> chain, int accumulator, int channels) {
    public PexRegion {
        chain = List.copyOf(chain);
    }

    public boolean accumulates() { return accumulator >= 0; }

    /** Every operator the region runs, the accumulating one last. */
    public List<Integer> ops() {
        if (!accumulates()) return chain;
        java.util.ArrayList<Integer> all = new java.util.ArrayList<>(chain);
        all.add(accumulator);
        return all;
    }

    /** The same chain ending in place at its last tensor, if that still leaves a tensor that exists only as slices. */
    public java.util.Optional<PexRegion> inPlace() {
        return accumulates() && chain.size() >= 2 ? java.util.Optional.of(new PexRegion(chain, -1, channels)) : java.util.Optional.empty();
    }

    public String describe(io.tinyfit.model.Graph g) {
        StringBuilder s = new StringBuilder();
        for (int op : chain) s.append(s.length() == 0 ? "" : " -> ").append(g.ops().get(op).kind()).append('#').append(op);
        if (accumulates()) s.append(" => ").append(g.ops().get(accumulator).kind()).append('#').append(accumulator).append(" (int32 partial sums)");
        else s.append(" (slices in place)");
        return s.toString();
    }
}
