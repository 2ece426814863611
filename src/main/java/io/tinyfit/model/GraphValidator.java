package io.tinyfit.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one validation pass a model goes through when it is loaded, before planning, execution or any analysis
 * sees it. Every later stage relies on what it establishes, for every subgraph:
 * <ul>
 *   <li>operand indices are in range, and every tensor is written by at most one operator, never a constant
 *       and never a graph input;</li>
 *   <li>operators are listed in an order that runs: each reads only graph inputs, constants, variables and
 *       tensors an earlier operator wrote (so the graph has no cycle), and every graph output is written;</li>
 *   <li>graph inputs are distinct and not constants;</li>
 *   <li>shapes are static and non-negative, element counts and byte sizes fit a {@code long}, and neither one
 *       activation tensor nor all of them together exceed the {@link Limits};</li>
 *   <li>constant buffers cover their tensors, quantisation arrays are consistent (see {@link TensorValidator});</li>
 *   <li>each operator's builtin options are of the table its kind reads ({@link ExpectedOptions}).</li>
 * </ul>
 * Zero-size tensors are exempt from the order rules, as TFLM plans no memory for them. The checks are those
 * of TFLM's allocator ({@code AllocationInfoBuilder} refuses a tensor used before it is created) made complete:
 * what TFLM leaves unchecked it computes garbage from, silently.
 */
public final class GraphValidator {
    /** Planned sizes are rounded to this, as TFLM does, when the activation bytes are added up. */
    private static final int ALIGNMENT = 16;

    private final Graph graph;
    private final Limits limits;
    private final TensorValidator tensors;

    private GraphValidator(Graph graph, Limits limits) {
        this.graph = graph;
        this.limits = limits;
        this.tensors = new TensorValidator(graph.source(), limits);
    }

    /** Returns the graph unchanged, or throws {@link ModelFormatException} naming the file and the tensor or operator. */
    public static Graph validate(Graph g, Limits limits) {
        new GraphValidator(g, limits).run();
        return g;
    }

    private void run() {
        for (int s = 0; s < graph.subgraphs().size(); s++) subgraph(graph.subgraphs().get(s), s);
    }

    private void subgraph(Subgraph sg, int s) {
        String prefix = s == 0 ? "" : "subgraph " + s + ": ";
        List<Tensor> ts = sg.tensors();
        long[] bytes = new long[ts.size()];
        for (int t = 0; t < ts.size(); t++) bytes[t] = tensors.check(ts.get(t), prefix + describe(ts.get(t)));
        for (int t : sg.inputs()) requireIndex(t, ts.size(), prefix + "graph input");
        for (int t : sg.outputs()) requireIndex(t, ts.size(), prefix + "graph output");
        Set<Integer> inputs = new HashSet<>();
        for (int t : sg.inputs()) {
            if (!inputs.add(t)) throw fail(prefix + "graph input " + describe(ts.get(t)) + " is listed twice");
            if (ts.get(t).isConstant()) throw fail(prefix + "graph input " + describe(ts.get(t)) + " is a constant; the caller's data would be ignored");
        }
        int[] writer = writers(sg, prefix, inputs);
        checkOrder(sg, prefix, inputs, writer, bytes);
        if (s == 0) checkTotal(sg);
    }

    /** The operator writing each tensor (-1: none), after checking operand indices, options and single writers. */
    private int[] writers(Subgraph sg, String prefix, Set<Integer> inputs) {
        List<Tensor> ts = sg.tensors();
        int[] writer = new int[ts.size()];
        java.util.Arrays.fill(writer, -1);
        for (int i = 0; i < sg.ops().size(); i++) {
            Op op = sg.ops().get(i);
            String where = prefix + describe(op, i);
            if (!ExpectedOptions.accepts(op.kind(), op.options())) {
                throw fail(where + " carries " + op.options().type() + " but " + op.kind() + " reads " + ExpectedOptions.of(op.kind()).orElseThrow());
            }
            for (int t : op.inputs()) if (t != -1) requireIndex(t, ts.size(), where + " input");
            for (int t : op.intermediates()) requireIndex(t, ts.size(), where + " intermediate");
            for (int t : op.outputs()) {
                requireIndex(t, ts.size(), where + " output");
                Tensor x = ts.get(t);
                if (writer[t] >= 0) {
                    throw fail(prefix + describe(x) + " is written by " + describe(sg.ops().get(writer[t]), writer[t]) + " and again by " + describe(op, i));
                }
                if (x.isConstant()) throw fail(where + " writes constant " + describe(x));
                if (inputs.contains(t)) throw fail(where + " writes graph input " + describe(x));
                writer[t] = i;
            }
        }
        return writer;
    }

    /** Each operator reads only what exists when it runs in file order; graph outputs exist at the end. */
    private void checkOrder(Subgraph sg, String prefix, Set<Integer> inputs, int[] writer, long[] bytes) {
        List<Tensor> ts = sg.tensors();
        boolean[] available = new boolean[ts.size()];
        for (int t = 0; t < ts.size(); t++) {
            Tensor x = ts.get(t);
            available[t] = inputs.contains(t) || x.isConstant() || x.variable() || bytes[t] == 0;
        }
        for (int i = 0; i < sg.ops().size(); i++) {
            Op op = sg.ops().get(i);
            for (int t : op.inputs()) {
                if (t < 0 || available[t]) continue;
                String reader = prefix + describe(op, i) + " reads " + describe(ts.get(t));
                if (writer[t] < 0) throw fail(reader + ", which is neither a graph input, a constant nor written by any operator");
                throw fail(reader + " before " + describe(sg.ops().get(writer[t]), writer[t]) + " writes it"
                        + (writer[t] == i ? " (the operator reads its own output)" : " (a cycle, or operators out of order)"));
            }
            for (int t : op.outputs()) available[t] = true;
        }
        for (int t : sg.outputs()) {
            if (!available[t]) throw fail(prefix + "graph output " + describe(ts.get(t)) + " is never written");
        }
    }

    /**
     * All activation tensors of the main graph together, each rounded up as TFLM plans it: the arena of a run
     * without reuse, which tinyfit allocates to verify a plan and which bounds every plan's arena.
     */
    private void checkTotal(Subgraph sg) {
        long total = activationBytes(sg);
        if (total > limits.maxArenaBytes()) {
            Tensor largest = sg.tensors().stream().filter(t -> !t.isConstant()).max(java.util.Comparator.comparingLong(Tensor::bytes)).orElseThrow();
            throw fail("the activation tensors need " + String.format(Locale.ROOT, "%,d", total) + " bytes together (the largest, "
                    + describe(largest) + ", " + String.format(Locale.ROOT, "%,d", largest.bytes()) + "), above " + limits.describe());
        }
    }

    /**
     * The bytes of every non-constant tensor a subgraph uses (graph inputs and outputs, operands), each rounded up
     * to 16 bytes as TFLM plans it, saturating at {@code Long.MAX_VALUE}. Only meaningful on a validated subgraph.
     */
    public static long activationBytes(Subgraph sg) {
        Set<Integer> used = new HashSet<>(sg.inputs());
        used.addAll(sg.outputs());
        for (Op op : sg.ops()) {
            for (int t : op.inputs()) if (t >= 0) used.add(t);
            used.addAll(op.outputs());
        }
        long total = 0;
        for (int t : used) {
            Tensor x = sg.tensors().get(t);
            if (x.isConstant()) continue;
            long aligned = (x.bytes() + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
            total = total > Long.MAX_VALUE - aligned ? Long.MAX_VALUE : total + aligned;
        }
        return total;
    }

    private void requireIndex(int t, int count, String what) {
        if (t < 0 || t >= count) throw fail(what + " is tensor " + t + " but the subgraph has " + count + " tensors");
    }

    /** {@code tensor 12 'name'}: how every message names a tensor. */
    public static String describe(Tensor t) {
        return "tensor " + t.id() + (t.name() == null || t.name().isEmpty() ? "" : " '" + t.name() + "'");
    }

    /** {@code operator 3 (CONV_2D)}: how every message names an operator. */
    public static String describe(Op op, int index) {
        return "operator " + index + " (" + op.kind() + ")";
    }

    private ModelFormatException fail(String msg) { return new ModelFormatException(graph.source() + ": " + msg); }
}
