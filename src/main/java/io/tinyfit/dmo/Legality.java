package io.tinyfit.dmo;

import io.tinyfit.kernels.InPlace;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.List;
import java.util.Set;

/**
 * When an operator's output may share bytes with one of its inputs at all, whatever the safe delta says. The
 * rules protect data the rest of the model or the caller still needs and keep to what a stock TFLM build can run:
 * <ul>
 *   <li>only arena tensors (not weights, not variable state) and only kernels whose access order is modelled
 *       and checked against TFLM's reference loop nest ({@link AccessOrders}); tinyfit's hybrid paths (float
 *       activations, integer weights), which stock TFLM refuses, are proven on tinyfit's own kernels only (the
 *       trace and the execution check), and such plans are reported as needing tinyfit's runtime;</li>
 *   <li>not a graph output (read after the inference), nor a graph input when the plan keeps graph inputs intact
 *       for the caller ({@code keepInputs}); by default a graph input is like any activation, as in TFLM, whose
 *       planner ends its lifetime at its last reader, so the output of that reader may overlap it;</li>
 *   <li>not when a later step reads the input again;</li>
 *   <li>not an operand that an element-wise operator broadcasts, since it is re-read for every output row;</li>
 *   <li>RESHAPE only as an exact alias (TFLM's kernel skips its copy when input and output pointers are equal;
 *       any other overlap would be an overlapping memcpy, undefined in C), and never SQUEEZE or EXPAND_DIMS,
 *       whose TFLM kernels memcpy unconditionally.</li>
 * </ul>
 */
public final class Legality {
    private static final Set<String> BROADCASTING = Set.of("ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU");

    private Legality() {}


    /**
     * Why the pair may never overlap, independently of the operator order; null when it may.
     *
     * @param inputIndex  operand position of the input
     * @param outputIndex operand position of the output
     * @param keepInputs  graph inputs must hold the caller's data until the inference ends
     */
    public static String structuralRefusal(Graph g, int opIndex, int inputIndex, int outputIndex, boolean keepInputs) {
        Op op = g.ops().get(opIndex);
        int in = op.input(inputIndex);
        Tensor x = g.tensor(in);
        Tensor y = g.tensor(op.output(outputIndex));
        // no kernel: nothing says in which order the operator reads and writes, and nothing can trace it
        if (io.tinyfit.kernels.KernelRegistry.find(op.kind()).isEmpty()) return op.kind() + " has no tinyfit kernel: DMO skipped at this operator";
        if (x.isConstant()) return "input is a constant (in flash, not the arena)";
        if (x.variable() || y.variable()) return "variable state tensors live outside the arena";
        if (!InPlace.mayAlias(op.kind()) && !InPlace.mayOverlapPartially(op.kind())) {
            return switch (op.kind()) {
                case "SQUEEZE", "EXPAND_DIMS" -> op.kind() + ": TFLM's kernel always copies (no aliasing), so the output gets its own bytes";
                default -> op.kind() + ": access order not modelled against TFLM's reference loop nest";
            };
        }
        if (keepInputs && g.inputs().contains(in)) return "input is a graph input, kept intact until the inference ends (keep-inputs)";
        if (g.outputs().contains(in)) return "input is a graph output, read after the inference";
        if (BROADCASTING.contains(op.kind()) && !x.shape().equals(y.shape())) {
            return "operand " + inputIndex + " is broadcast to the output shape (re-read for every output row)";
        }
        if (InPlace.mayAlias(op.kind()) && x.bytes() != y.bytes()) return "alias needs equal sizes";
        return null;
    }

    /** Why the pair may not overlap when the operators run in {@code order} with this one at {@code step}; null when it may. */
    public static String refusal(Graph g, List<Integer> order, int step, int inputIndex, int outputIndex, boolean keepInputs) {
        int opIndex = order.get(step);
        String why = structuralRefusal(g, opIndex, inputIndex, outputIndex, keepInputs);
        if (why != null) return why;
        int in = g.ops().get(opIndex).input(inputIndex);
        for (int s = step + 1; s < order.size(); s++) {
            if (g.ops().get(order.get(s)).inputs().contains(in)) return "input is read again at step " + s + " (" + g.ops().get(order.get(s)).kind() + ")";
        }
        return null;
    }
}
