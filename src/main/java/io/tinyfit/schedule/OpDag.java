package io.tinyfit.schedule;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The precedence constraints between the operators of a graph's main subgraph: an order is valid when every
 * operator runs after each of its {@link #predecessors}.
 *
 * <p>Two kinds of edge exist:
 * <ul>
 *   <li>data: the producer of a non-constant tensor precedes each of its consumers;</li>
 *   <li>state: operators that touch the same variable (or resource) tensor keep their file order, because the
 *       tensor's value depends on which of them ran last and the data edges cannot see that.</li>
 * </ul>
 * Operators whose kind has effects outside the tensors they name (control flow, resource variables) also keep
 * their file order among themselves, for the same reason.
 */
public final class OpDag {

    /** Kinds that read or write state not visible as an ordinary input/output edge. */
    private static final java.util.Set<String> ORDERED_KINDS = java.util.Set.of(
            "CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "IF", "WHILE", "CALL",
            "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT", "HASHTABLE_SIZE");

    private final int[][] predecessors;
    private final int[][] successors;

    private OpDag(int[][] predecessors, int[][] successors) {
        this.predecessors = predecessors;
        this.successors = successors;
    }

    public static OpDag of(Graph g) {
        List<Op> ops = g.ops();
        int n = ops.size();
        Map<Integer, Integer> producer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int t : ops.get(i).outputs()) {
                if (t >= 0 && !isStateful(g.tensor(t))) producer.putIfAbsent(t, i);
            }
        }
        List<TreeSet<Integer>> preds = new ArrayList<>();
        for (int i = 0; i < n; i++) preds.add(new TreeSet<>());
        Map<Integer, Integer> lastStateToucher = new HashMap<>();
        int lastOrdered = -1;
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            for (int t : touched(op)) {
                Tensor x = g.tensor(t);
                if (isStateful(x)) {
                    Integer prev = lastStateToucher.put(t, i);
                    if (prev != null && prev != i) preds.get(i).add(prev);
                } else if (!x.isConstant()) {
                    Integer p = producer.get(t);
                    if (p != null && p != i && op.inputs().contains(t)) preds.get(i).add(p);
                }
            }
            if (ORDERED_KINDS.contains(op.kind())) {
                if (lastOrdered >= 0) preds.get(i).add(lastOrdered);
                lastOrdered = i;
            }
        }
        int[][] p = new int[n][];
        List<List<Integer>> s = new ArrayList<>();
        for (int i = 0; i < n; i++) s.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            p[i] = preds.get(i).stream().mapToInt(Integer::intValue).toArray();
            for (int q : p[i]) s.get(q).add(i);
        }
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) succ[i] = s.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        OpDag dag = new OpDag(p, succ);
        if (!dag.isTopologicalOrder(io.tinyfit.plan.Plans.fileOrder(g))) {
            // a consumer listed before its producer: TFLM would read an unwritten tensor, so no order is safe
            throw new IllegalArgumentException(g.source() + ": operators are not in a valid execution order");
        }
        return dag;
    }

    private static boolean isStateful(Tensor t) {
        return t.variable() || t.dtype() == DType.RESOURCE || t.dtype() == DType.VARIANT;
    }

    private static int[] touched(Op op) {
        return java.util.stream.Stream.of(op.inputs(), op.outputs()).flatMap(List::stream)
                .mapToInt(Integer::intValue).filter(t -> t >= 0).distinct().toArray();
    }

    public int size() { return predecessors.length; }

    /** Operators that must run before {@code op}, ascending. */
    public int[] predecessors(int op) { return predecessors[op].clone(); }

    /** Operators that must run after {@code op}, ascending. */
    public int[] successors(int op) { return successors[op].clone(); }

    int predecessorCount(int op) { return predecessors[op].length; }

    int[] predecessorsView(int op) { return predecessors[op]; }

    int[] successorsView(int op) { return successors[op]; }

    /** True when {@code order} lists every operator exactly once and each after all its predecessors. */
    public boolean isTopologicalOrder(List<Integer> order) {
        int n = size();
        if (order.size() != n) return false;
        int[] position = new int[n];
        Arrays.fill(position, -1);
        for (int s = 0; s < n; s++) {
            Integer op = order.get(s);
            if (op == null || op < 0 || op >= n || position[op] >= 0) return false;
            position[op] = s;
        }
        for (int op = 0; op < n; op++) {
            for (int p : predecessors[op]) if (position[p] > position[op]) return false;
        }
        return true;
    }

    /** Throws when {@code order} is not a valid execution order of this graph. */
    public void requireTopologicalOrder(List<Integer> order) {
        if (!isTopologicalOrder(order)) {
            throw new IllegalArgumentException("not a valid operator order: " + order);
        }
    }
}
