package io.tinyfit.codegen;

import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;

import java.util.List;
import java.util.Map;

/**
 * Writes the C of one plan step: file-scope {@code static const} declarations (kernel parameters, views, regions,
 * small tables; all of it flash on a microcontroller) and the kernel call (a few calls over slices where an operand
 * exceeds a 4-D view). Every name is prefixed with the step ({@code s12_...}), so steps never clash.
 *
 * <p>Views are 4-D: an emitter chooses how an operand's elements map onto (N, H, W, C) — its shape extended with
 * leading ones, or a flattening the kernel defines — and the writer places the view at the operand's planned
 * offset in the arena, or on its constant array.
 */
final class StepWriter {
    private final Plan plan;
    private final int step;
    private final int opIndex;
    private final Op op;
    private final ConstantsFile constants;
    private final Map<Integer, Buffer> tensorBuffers;
    private final StringBuilder declarations = new StringBuilder();
    private String statement;
    private int names;

    StepWriter(Plan plan, int step, ConstantsFile constants, Map<Integer, Buffer> tensorBuffers) {
        this.plan = plan;
        this.step = step;
        this.opIndex = plan.order().get(step);
        this.op = plan.graph().ops().get(opIndex);
        this.constants = constants;
        this.tensorBuffers = tensorBuffers;
    }

    Graph graph() { return plan.graph(); }
    Op op() { return op; }
    int opIndex() { return opIndex; }
    Tensor input(int i) { return graph().tensor(op.input(i)); }
    Tensor output(int i) { return graph().tensor(op.output(i)); }
    boolean hasInput(int i) { return op.hasInput(i); }

    /** The refusal of an operator variant the C runtime has no kernel for, naming the operator and its index. */
    UnsupportedOperatorException refuse(String why) {
        return new UnsupportedOperatorException("operator " + opIndex + " (" + op.kind() + "): " + why + " (no kernel in the C runtime)");
    }

    /** The tensor's shape extended to 4-D with leading ones; higher ranks are refused. */
    int[] dims4(Tensor t) {
        if (t.shape().rank() > 4) throw refuse("tensor " + t.label() + " has rank " + t.shape().rank() + " (the C runtime views tensors in 4-D)");
        return t.shape().extended(4);
    }

    /** The tensor must have one of the listed types. */
    void requireType(Tensor t, String role, DType... allowed) {
        for (DType d : allowed) if (t.dtype() == d) return;
        throw refuse(role + " " + t.label() + " of type " + t.dtype().label());
    }

    /** A view of the whole tensor t, row-major over {@code dims}. */
    String view(int t, int[] dims) { return view(t, dims, View.rowMajor(dims), 0); }

    /**
     * A view of tensor t holding coordinates [0, hi) with the given element strides (0 along broadcast dims), its
     * element 0 at {@code elementOffset} elements into the tensor.
     */
    String view(int t, int[] hi, int[] strides, long elementOffset) {
        if (hi.length != 4 || strides.length != 4) throw new IllegalArgumentException("views are 4-D");
        String data = dataAt(t, elementOffset * graph().tensor(t).dtype().bytes());
        return declare("tf_view", "v", "{" + data + ", {0, 0, 0, 0}, " + CText.braces(hi) + ", " + CText.braces(strides) + "}");
    }

    /** A view of the operator's scratch buffer i, holding the elements of {@code dims}, row-major. */
    String scratchView(int i, int[] dims) {
        List<Buffer> scratch = plan.scratchOf(opIndex);
        if (i >= scratch.size()) throw refuse("scratch buffer " + i + " is not in the plan");
        return declare("tf_view", "v", "{arena + " + scratch.get(i).offset() + ", {0, 0, 0, 0}, " + CText.braces(dims) + ", "
                + CText.braces(View.rowMajor(dims)) + "}");
    }

    /** A view onto a table of int32 values declared for this step (e.g. SHAPE's dims). */
    String tableView(String table, int[] dims) {
        return declare("tf_view", "v", "{(void *) " + table + ", {0, 0, 0, 0}, " + CText.braces(dims) + ", " + CText.braces(View.rowMajor(dims)) + "}");
    }

    /** The region [0, dims): the whole output, today's only step kind. */
    String region(int[] dims) {
        return declare("tf_region", "r", "{{0, 0, 0, 0}, " + CText.braces(dims) + "}");
    }

    String int32s(int[] values) {
        String name = name("a");
        declarations.append("static const int32_t ").append(name).append('[').append(Math.max(1, values.length)).append("] = {")
                .append(values.length == 0 ? "0" : CText.rows(values, "    ")).append("};\n");
        return name;
    }

    String bytes(byte[] values) {
        String name = name("b");
        declarations.append("static const uint8_t ").append(name).append('[').append(values.length).append("] = {")
                .append(CText.rows(toInts(values), "    ")).append("};\n");
        return name;
    }

    /** An array of pointers to views, for kernels over a variable number of inputs. */
    String viewList(List<String> views) {
        String name = name("l");
        declarations.append("static const tf_view *const ").append(name).append('[').append(views.size()).append("] = {")
                .append(String.join(", ", views.stream().map(v -> "&" + v).toList())).append("};\n");
        return name;
    }

    /** A parameter struct with designated initializers, so a field can never land in the wrong place. */
    String params(String type, Fields fields) { return declare(type, "p", "{" + fields + "}"); }

    /** The constant array of tensor t. */
    String constant(int t) {
        Tensor x = graph().tensor(t);
        if (!x.isConstant()) throw refuse("operand " + x.label() + " must be a constant");
        return constants.symbol(t);
    }

    /** Appends a kernel call; a step is usually one call, a few over slices when its operands exceed 4-D views. */
    void call(String function, String... args) {
        String c = function + "(" + String.join(", ", args) + ");";
        statement = statement == null ? c : statement + " " + c;
    }

    String declarations() { return declarations.toString(); }

    String statement() {
        if (statement == null) throw new IllegalStateException("operator " + opIndex + " emitted no kernel call");
        return statement;
    }

    /** The address {@code bytes} into tensor t: in its constant array or at its planned place in the arena. */
    private String dataAt(int t, long bytes) {
        Tensor x = graph().tensor(t);
        if (x.isConstant()) return bytes == 0 ? "(void *) " + constants.symbol(t) : "(void *) ((const uint8_t *) " + constants.symbol(t) + " + " + bytes + ")";
        Buffer b = tensorBuffers.get(t);
        if (b == null) throw refuse("tensor " + t + " (" + x.label() + ") has no buffer in the plan");
        return "arena + " + (b.offset() + bytes);
    }

    private String declare(String type, String kind, String initializer) {
        String name = name(kind);
        declarations.append("static const ").append(type).append(' ').append(name).append(" = ").append(initializer).append(";\n");
        return name;
    }

    private String name(String kind) { return "s" + step + "_" + kind + names++; }

    /** The values of a constant int32 or int64 operand (axes, paddings, permutations, sizes). */
    int[] constantInts(Tensor t) {
        if (!t.isConstant()) throw refuse("operand " + t.label() + " must be a constant");
        int n = (int) t.shape().numElements();
        int[] v = new int[n];
        for (int k = 0; k < n; k++) {
            v[k] = switch (t.dtype()) {
                case INT32 -> t.data().i32At(4 * k);
                case INT64 -> Math.toIntExact(t.data().i64At(8 * k));
                default -> throw refuse("operand " + t.label() + " of type " + t.dtype().label() + " (int32 or int64 expected)");
            };
        }
        return v;
    }

    static long product(int[] dims) {
        long p = 1;
        for (int d : dims) p *= d;
        return p;
    }

    private static int[] toInts(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) v[i] = b[i] & 0xFF;
        return v;
    }

    /** Designated initializers in the order given. */
    static final class Fields {
        private final StringBuilder sb = new StringBuilder();

        Fields put(String name, long value) { return raw(name, CText.literal(value)); }

        Fields putFloat(String name, float value) { return raw(name, CText.floatBits(value)); }

        Fields put(String name, int[] values) { return raw(name, CText.braces(values)); }

        Fields raw(String name, String expression) {
            if (sb.length() > 0) sb.append(", ");
            sb.append('.').append(name).append(" = ").append(expression);
            return this;
        }

        @Override public String toString() { return sb.toString(); }
    }
}
