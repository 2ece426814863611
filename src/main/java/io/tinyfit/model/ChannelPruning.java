package io.tinyfit.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Structured pruning of a layer's output channels, consistently through the graph (for pruning advice: what a
 * retrained, pruned model would need in memory): a CONV_2D or FULLY_CONNECTED layer keeps its first {@code keep}
 * output channels (filter rows, bias, per-channel quantisation), every channel-local operator after it (depthwise
 * convolution with multiplier 1, pooling, activations, pad) keeps the same channels, and the channel-mixing layers
 * that read the result (CONV_2D, FULLY_CONNECTED) keep the matching input channels of their filters. Layers whose
 * channels reach an ADD, a concatenation, a reshape or a graph output are not prunable here (their partners would
 * have to be pruned alike).
 */
public final class ChannelPruning {
    private ChannelPruning() {}

    private static final Set<String> LOCAL = Set.of("DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "RELU", "RELU6", "RELU_N1_TO_1",
            "LOGISTIC", "TANH", "HARD_SWISH", "PAD", "PADV2", "LEAKY_RELU", "QUANTIZE", "DEQUANTIZE");

    /** The operators whose channels change with layer {@code op}'s: the channel-local chain and the consumers, if prunable. */
    public record Reach(int layer, List<Integer> local, List<Integer> consumers, int channels) {}

    public static Optional<Reach> reach(Graph g, int op) {
        Op l = g.ops().get(op);
        if (!(l.kind().equals("CONV_2D") || l.kind().equals("FULLY_CONNECTED")) || l.outputs().size() != 1) return Optional.empty();
        if (l.inputs().size() < 2 || !g.tensor(l.input(1)).isConstant()) return Optional.empty();
        Tensor out = g.tensor(l.output(0));
        int c = last(out);
        if (c < 2) return Optional.empty();
        List<Integer> local = new ArrayList<>(), consumers = new ArrayList<>();
        List<Integer> frontier = new ArrayList<>(List.of(out.id()));
        Set<Integer> outputs = new HashSet<>(g.outputs());
        while (!frontier.isEmpty()) {
            int t = frontier.remove(0);
            if (outputs.contains(t)) return Optional.empty();
            for (int i = 0; i < g.ops().size(); i++) {
                Op r = g.ops().get(i);
                if (!r.inputs().contains(t)) continue;
                if (r.input(0) != t) return Optional.empty();
                if (LOCAL.contains(r.kind()) && r.outputs().size() == 1 && last(g.tensor(r.output(0))) == c
                        && (!r.kind().equals("DEPTHWISE_CONV_2D") || last(g.tensor(r.input(1))) == c)) {
                    local.add(i);
                    frontier.add(r.output(0));
                } else if (r.kind().equals("CONV_2D") && r.inputs().size() >= 2 && g.tensor(r.input(1)).isConstant() && last(g.tensor(r.input(1))) == c) {
                    consumers.add(i);
                } else if (r.kind().equals("FULLY_CONNECTED") && r.inputs().size() >= 2 && g.tensor(r.input(1)).isConstant()
                        && g.tensor(r.input(1)).shape().rank() == 2 && last(g.tensor(r.input(1))) == c && last(g.tensor(t)) == c) {
                    consumers.add(i);
                } else {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Reach(op, local, consumers, c));
    }

    /** The graph with layer {@code op} keeping its first {@code keep} output channels, consistently. */
    public static Graph prune(Graph g, int op, int keep) {
        Reach r = reach(g, op).orElseThrow(() -> new IllegalArgumentException(g.ops().get(op).kind() + "#" + op + " cannot be pruned consistently"));
        if (keep < 1 || keep > r.channels()) throw new IllegalArgumentException("keep " + keep + " of " + r.channels() + " channels");
        Graph out = g;
        Op l = g.ops().get(op);
        out = out.withTensor(cut(out.tensor(l.input(1)), 0, keep));
        if (l.hasInput(2) && g.tensor(l.input(2)).isConstant()) out = out.withTensor(cut(out.tensor(l.input(2)), 0, keep));
        out = out.withTensor(cut(out.tensor(l.output(0)), last(g.tensor(l.output(0))) == r.channels() ? g.tensor(l.output(0)).shape().rank() - 1 : -1, keep));
        for (int i : r.local()) {
            Op o = g.ops().get(i);
            if (o.kind().equals("DEPTHWISE_CONV_2D")) {
                out = out.withTensor(cut(out.tensor(o.input(1)), 3, keep));
                if (o.hasInput(2) && g.tensor(o.input(2)).isConstant()) out = out.withTensor(cut(out.tensor(o.input(2)), 0, keep));
            }
            out = out.withTensor(cut(out.tensor(o.output(0)), g.tensor(o.output(0)).shape().rank() - 1, keep));
        }
        for (int i : r.consumers()) {
            Op o = g.ops().get(i);
            Tensor w = out.tensor(o.input(1));
            out = out.withTensor(cut(w, w.shape().rank() - 1, keep));
        }
        return out;
    }

    private static int last(Tensor t) {
        int r = t.shape().rank();
        return r == 0 ? 0 : t.shape().toArray()[r - 1];
    }

    /** Tensor t keeping the first {@code keep} indices of dimension {@code dim} (data, shape, per-channel quantisation). */
    static Tensor cut(Tensor t, int dim, int keep) {
        if (dim < 0) return t;
        int[] s = t.shape().toArray();
        int[] ns = s.clone();
        ns[dim] = keep;
        ConstData data = t.data();
        if (t.isConstant()) {
            int eb = t.dtype().bytes();
            long inner = 1;
            for (int d = dim + 1; d < s.length; d++) inner *= s[d];
            long outer = 1;
            for (int d = 0; d < dim; d++) outer *= s[d];
            byte[] src = data.toByteArray();
            byte[] dst = new byte[(int) (outer * keep * inner * eb)];
            int chunk = (int) (keep * inner * eb), stride = (int) (s[dim] * inner * eb);
            for (long o = 0; o < outer; o++) System.arraycopy(src, (int) (o * stride), dst, (int) (o * chunk), chunk);
            data = ConstData.adopt(dst);
        }
        Quantization q = t.quantization();
        if (q != null && q.isPerChannel() && q.quantizedDimension() == dim) {
            float[] sc = new float[keep];
            long[] zp = new long[keep];
            for (int c = 0; c < keep; c++) {
                sc[c] = q.scale(c);
                zp[c] = q.zeroPoint(c);
            }
            q = Quantization.perChannel(sc, zp, dim);
        }
        Shape sig = t.shapeSignature() == null ? null : Shape.of(ns);
        return new Tensor(t.id(), t.name(), t.dtype(), Shape.of(ns), sig, q, t.buffer(), data, t.variable(), t.hasRank(), t.presence());
    }
}
