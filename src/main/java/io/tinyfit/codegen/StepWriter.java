package io.tinyfit.codegen;

import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepAccesses;
import io.tinyfit.plan.StepKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the C of one plan step: file-scope {@code static const} declarations (kernel parameters, views, regions,
 * small tables; all of it flash on a microcontroller) and the kernel call (a few calls over slices where an operand
 * exceeds a 4-D view). Every name is prefixed with the step ({@code s12_...}), so steps never clash.
 *
 * <p>Views are 4-D: an emitter chooses how an operand's elements map onto (N, H, W, C) — its shape extended with
 * leading ones, or a merging of dimensions the kernel defines — and the writer places the view on the buffer the
 * step binds the operand to, in the tensor's global coordinates: a whole-tensor buffer is viewed from 0 to the
 * dims, a tile buffer from its region's first to its last element ({@link ViewGeometry}), with the row-major strides
 * of its dense storage, as the Java interpreter's views are. The step's output region is given the same way. A
 * view into a bank the application provides is filled in just before the step runs.
 */
final class StepWriter {
    private final Plan plan;
    private final int step;
    private final Step st;
    private final int opIndex;
    private final Op op;
    private final ConstantsFile constants;
    private final BankLayout banks;
    private final boolean firstSlice;
    private final StringBuilder declarations = new StringBuilder();
    private final List<String> setup = new ArrayList<>();
    private String statement;
    private int names;

    /**
     * @param firstSlice for an accumulate step, whether it is the first slice into its accumulator region (it stores
     *                   where later slices add)
     */
    StepWriter(Plan plan, int step, ConstantsFile constants, BankLayout banks, boolean firstSlice) {
        this.plan = plan;
        this.step = step;
        this.st = plan.step(step);
        this.opIndex = st.op();
        this.op = opIndex >= 0 ? plan.graph().ops().get(opIndex) : null;
        this.constants = constants;
        this.banks = banks;
        this.firstSlice = firstSlice;
    }

    Graph graph() { return plan.graph(); }
    Op op() { return op; }
    int opIndex() { return opIndex; }
    Step step() { return st; }
    StepKind kind() { return st.kind(); }
    boolean firstSlice() { return firstSlice; }
    Tensor input(int i) { return graph().tensor(op.input(i)); }
    Tensor output(int i) { return graph().tensor(op.output(i)); }
    boolean hasInput(int i) { return op.hasInput(i); }

    /** The refusal of an operator variant the C runtime has no kernel for, naming the operator and its index. */
    UnsupportedOperatorException refuse(String why) {
        if (op == null) return new UnsupportedOperatorException(StepAccesses.describe(plan, step) + ": " + why + " (not supported by the C runtime)");
        return new UnsupportedOperatorException("operator " + opIndex + " (" + op.kind() + "): " + why + " (no kernel in the C runtime)");
    }

    /**
     * True when the step computes its whole output from and into buffers that each hold a whole tensor: the step of a
     * plan before tiling, which emitters may view with merged dimensions and element offsets as they like.
     */
    boolean isWhole() {
        if (op == null || st.kind() != StepKind.COMPUTE) return false;
        if (st.region() != null && !st.region().isWhole(output(0).shape())) return false;
        for (int b : st.inputs()) if (b >= 0 && !plan.buffers().get(b).isWholeTensor()) return false;
        for (int b : st.outputs()) if (b >= 0 && !plan.buffers().get(b).isWholeTensor()) return false;
        return true;
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

    /** A view of tensor t viewed as {@code dims}: a constant whole, else what the buffer the step binds it to holds. */
    String view(int t, int[] dims) {
        Tensor x = graph().tensor(t);
        if (x.isConstant()) return declareView(constantAt(t, 0), new int[4], dims, View.rowMajor(dims));
        Buffer b = bound(t);
        if (b == null) return unbound(x);
        return bufferView(b, x.shape().toArray(), dims);
    }

    /**
     * A view of whole tensor t holding coordinates [0, hi) with the given element strides (0 along broadcast dims), its
     * element 0 at {@code elementOffset} elements into the tensor. Only for {@link #isWhole() whole} steps.
     */
    String view(int t, int[] hi, int[] strides, long elementOffset) {
        if (hi.length != 4 || strides.length != 4) throw new IllegalArgumentException("views are 4-D");
        Tensor x = graph().tensor(t);
        long bytes = elementOffset * x.dtype().bytes();
        if (x.isConstant()) return declareView(constantAt(t, bytes), new int[4], hi, strides);
        Buffer b = bound(t);
        if (b == null) return unbound(x);
        if (!b.isWholeTensor()) throw new IllegalStateException("operator " + opIndex + ": an offset view of tile buffer " + b.id());
        return declareView(b.bank(), b.offset() + bytes, new int[4], hi, strides);
    }

    /**
     * The 4-D box {@code {lo, hi}} that what tensor t's bound buffer holds occupies when t is viewed as {@code dims} (a
     * constant: all of it); null when the step binds no buffer to t (it reads none of it).
     */
    int[][] heldBox(int t, int[] dims) {
        Tensor x = graph().tensor(t);
        if (x.isConstant()) return new int[][] {new int[4], dims.clone()};
        Buffer b = bound(t);
        return b == null ? null : box(x.shape().toArray(), StepAccesses.heldRegion(graph(), b), dims, x.label());
    }

    /** A view of tensor t's bound buffer (or constant) with the box and strides an emitter computed from {@link #heldBox}. */
    String view(int t, int[] lo, int[] hi, int[] strides) {
        Tensor x = graph().tensor(t);
        if (x.isConstant()) return declareView(constantAt(t, 0), lo, hi, strides);
        Buffer b = bound(t);
        if (b == null) return unbound(x);
        return declareView(b.bank(), b.offset(), lo, hi, strides);
    }

    /** The int32 accumulator of an accumulate or finish step, in the output's coordinates viewed as {@code dims}. */
    String accumulatorView(int[] dims) {
        Buffer b = plan.buffers().get(st.accumulator());
        int bytes = StepAccesses.elementBytes(graph(), b);
        if (bytes != 4) throw refuse("accumulator " + b.name() + " of " + bytes + "-byte sums (the C runtime accumulates int32)");
        return bufferView(b, output(0).shape().toArray(), dims);
    }

    /** A view of what buffer b (of a tensor of {@code shape}, or an accumulator of one) holds, viewed as {@code dims}. */
    String bufferView(Buffer b, int[] shape, int[] dims) {
        int[][] box = box(shape, StepAccesses.heldRegion(graph(), b), dims, b.name());
        int[] extents = new int[4];
        for (int d = 0; d < 4; d++) extents[d] = box[1][d] - box[0][d];
        return declareView(b.bank(), b.offset(), box[0], box[1], View.rowMajor(extents));
    }

    /** A view of the operator's scratch buffer i, holding the elements of {@code dims}, row-major. */
    String scratchView(int i, int[] dims) {
        List<Buffer> scratch = plan.scratchOf(opIndex);
        if (i >= scratch.size()) throw refuse("scratch buffer " + i + " is not in the plan");
        return declareView(scratch.get(i).bank(), scratch.get(i).offset(), new int[4], dims, View.rowMajor(dims));
    }

    /** A view onto a table of int32 values declared for this step (e.g. SHAPE's dims). */
    String tableView(String table, int[] dims) {
        return declareView("(void *) " + table, new int[4], dims, View.rowMajor(dims));
    }

    /** The step's output region (of output 0) in the coordinates {@code dims} of output 0. */
    String region(int[] dims) {
        Region r = st.region();
        if (r == null) return declareRegion(new int[4], dims);
        return region(output(0).shape().toArray(), r, dims);
    }

    /** Region r of a tensor of {@code shape} viewed as {@code dims}. */
    String region(int[] shape, Region r, int[] dims) {
        int[][] box = box(shape, r, dims, "the step's region");
        return declareRegion(box[0], box[1]);
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

    /** The views into provided banks filled in, then the kernel calls. */
    String statement() {
        if (statement == null) throw new IllegalStateException("step " + step + " emitted no kernel call");
        return setup.isEmpty() ? statement : String.join(" ", setup) + " " + statement;
    }

    /** The buffer the step binds tensor t to (its first operand position that has one), or null. */
    private Buffer bound(int t) {
        for (int i = 0; i < op.inputs().size(); i++) {
            int b = i < st.inputs().size() ? st.inputs().get(i) : -1;
            if (op.input(i) == t && b >= 0) return plan.buffers().get(b);
        }
        for (int i = 0; i < op.outputs().size(); i++) {
            int b = i < st.outputs().size() ? st.outputs().get(i) : -1;
            if (op.output(i) == t && b >= 0) return plan.buffers().get(b);
        }
        return null;
    }

    /**
     * An operand without a buffer: in a step over a region, one it reads nothing of (a concatenation part outside the
     * region, the input of a band of pure padding), viewed as empty; a whole step must have all of its operands.
     */
    private String unbound(Tensor x) {
        if (isWhole() && x.bytes() > 0) throw refuse("tensor " + x.id() + " (" + x.label() + ") has no buffer in the plan");
        return declare("tf_view", "v", "{0, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}");
    }

    private int[][] box(int[] shape, Region held, int[] dims, String what) {
        int[][] box = ViewGeometry.box(shape, held, dims);
        if (box == null) throw refuse("region " + held + " of " + what + " is no box of the 4-D view " + java.util.Arrays.toString(dims));
        return box;
    }

    /** The address {@code bytes} into constant tensor t's array. */
    private String constantAt(int t, long bytes) {
        String symbol = constants.symbol(t);
        return bytes == 0 ? "(void *) " + symbol : "(void *) ((const uint8_t *) " + symbol + " + " + bytes + ")";
    }

    private String declareView(String data, int[] lo, int[] hi, int[] strides) {
        return declare("tf_view", "v", "{" + data + ", " + CText.braces(lo) + ", " + CText.braces(hi) + ", " + CText.braces(strides) + "}");
    }

    /** A view at {@code offset} bytes into a bank: a constant in the arena, filled in before the step in a provided bank. */
    private String declareView(String bank, long offset, int[] lo, int[] hi, int[] strides) {
        if (BankLayout.isArena(bank)) return declareView("arena + " + offset, lo, hi, strides);
        String name = name("v");
        declarations.append("static tf_view ").append(name).append(" = {0, ").append(CText.braces(lo)).append(", ").append(CText.braces(hi))
                .append(", ").append(CText.braces(strides)).append("};\n");
        setup.add(name + ".data = " + banks.base(bank) + " + " + offset + ";");
        return name;
    }

    private String declareRegion(int[] lo, int[] hi) {
        return declare("tf_region", "r", "{" + CText.braces(lo) + ", " + CText.braces(hi) + "}");
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
