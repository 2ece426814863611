package io.tinyfit.kernels;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;

import java.util.List;
import java.util.Locale;

/**
 * Runs every operator's {@link Kernel#prepare} over a whole graph, as TFLM's {@code AllocateTensors} runs each
 * kernel's Prepare before the first Invoke: nothing executes, and no overlap analysis or layout sees an operator,
 * until all of them passed.
 */
public final class GraphPreparation {
    private GraphPreparation() {}

    /**
     * At load: an invalid operator fails the load ({@link ModelFormatException}). An operator tinyfit has no
     * kernel for, or a valid variant its kernel does not handle, does not: the model can still be analysed, and
     * {@link #forExecution} refuses it before anything runs. Also bounds the kernels' scratch buffers with the
     * activation tensors by {@code limits}.
     */
    public static void atLoad(Graph g, Limits limits) {
        long scratch = 0;
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            Kernel k = KernelRegistry.find(op.kind()).orElse(null);
            if (k == null) continue;
            try {
                prepare(k, new Preparation(g, i));
            } catch (UnsupportedOperatorException deferred) {
                continue;
            }
            for (long s : k.scratchBytes(g, op)) scratch += (s + 15) / 16 * 16;
        }
        long total = GraphValidator.activationBytes(g.main()) + scratch;
        if (total > limits.maxArenaBytes()) {
            throw new ModelFormatException(g.source() + ": the activation tensors and kernel scratch buffers need "
                    + String.format(Locale.ROOT, "%,d", total) + " bytes together, above " + limits.describe());
        }
    }

    /**
     * Why the graph cannot be executed, naming the first operator of {@code order} that stops it: one without a
     * tinyfit kernel, or a valid variant its kernel does not handle. Empty when {@link #forExecution} passes. Plans
     * of such a graph can still be made and verified statically; they are never executed.
     */
    public static java.util.Optional<String> executionBlocker(Graph g, List<Integer> order) {
        for (int i : order) {
            Op op = g.ops().get(i);
            Kernel k = KernelRegistry.find(op.kind()).orElse(null);
            if (k == null) return java.util.Optional.of("operator " + i + " " + op.kind() + " has no tinyfit kernel");
            try {
                prepare(k, new Preparation(g, i));
            } catch (UnsupportedOperatorException e) {
                String why = e.getMessage().startsWith(g.source() + ": ") ? e.getMessage().substring(g.source().length() + 2) : e.getMessage();
                return java.util.Optional.of("operator " + i + " " + op.kind() + " has no tinyfit kernel for this variant (" + why + ")");
            }
        }
        return java.util.Optional.empty();
    }

    /** Before execution: every operator of {@code order} has a kernel and passes its preparation. */
    public static void forExecution(Graph g, List<Integer> order) {
        for (int i : order) prepare(KernelRegistry.forOp(g, i), new Preparation(g, i));
    }

    /**
     * The kernel's own checks, after the one every kind shares: no empty output. An operator that writes nothing
     * is a corrupt model (a dimension set to 0), and the overlap analyses divide by its extents. SHAPE of a
     * scalar is the exception: its output lists no dimensions.
     */
    private static void prepare(Kernel k, Preparation p) {
        if (!p.op().kind().equals("SHAPE")) {
            for (int o = 0; o < p.outputCount(); o++) {
                Tensor t = p.output(o);
                if (t.shape().numElements() == 0) throw p.invalid(Preparation.name("output", t) + " " + t.shape() + " is empty");
            }
        }
        k.prepare(p);
    }
}
