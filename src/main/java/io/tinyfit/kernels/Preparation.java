package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

import java.util.Arrays;

/**
 * What a kernel's {@link Kernel#prepare} sees of one operator before anything runs: its operand tensors
 * (shapes, dtypes, quantisation, constant data; no arena), its options, and the checks TFLM's {@code Prepare}
 * functions make ({@code TF_LITE_ENSURE} on operand counts, ranks, types, shapes and parameters). A failed check
 * throws: {@link #invalid} when the model breaks a rule of the operator, {@link #unsupported} when tinyfit has
 * no kernel for a valid variant. Runs on a model the load-time validation accepted, so operand indices are in
 * range and shapes are bounded.
 */
public final class Preparation implements Refusals {
    /** Multipliers with a larger exponent would shift an int32 left by 31 or more (TFLite DCHECKs {@code shift <= 30}). */
    private static final int MAX_MULTIPLIER_SHIFT = 30;

    private final Graph graph;
    private final Op op;
    private final int opIndex;

    public Preparation(Graph graph, int opIndex) {
        this.graph = graph;
        this.opIndex = opIndex;
        this.op = graph.ops().get(opIndex);
    }

    @Override public Graph graph() { return graph; }
    @Override public Op op() { return op; }
    @Override public int opIndex() { return opIndex; }

    public Options options() { return op.options(); }

    public int inputCount() { return op.inputs().size(); }

    public int outputCount() { return op.outputs().size(); }

    /** The operator lists between {@code min} and {@code max} inputs (omitted optional ones included). */
    public void inputs(int min, int max) { count("inputs", inputCount(), min, max); }

    public void outputs(int min, int max) { count("outputs", outputCount(), min, max); }

    private void count(String what, int n, int min, int max) {
        if (n < min || n > max) {
            throw invalid(op.kind() + " takes " + (min == max ? String.valueOf(min) : min + " to " + max) + " " + what + ", not " + n);
        }
    }

    /** Input i, which must be present (not omitted). */
    public Tensor input(int i) {
        if (!op.hasInput(i)) throw invalid("input " + i + " is missing");
        return graph.tensor(op.input(i));
    }

    /** Input i, or null when it is omitted (-1) or beyond the operand list. */
    public Tensor optionalInput(int i) { return op.hasInput(i) ? graph.tensor(op.input(i)) : null; }

    public Tensor output(int i) {
        if (i >= outputCount()) throw invalid("output " + i + " is missing");
        return graph.tensor(op.output(i));
    }

    /** One input and one output of the same shape, as the elementwise and (de)quantising kinds require. */
    public void oneToOne() {
        inputs(1, 1);
        outputs(1, 1);
        sameShape(input(0), "input", output(0), "output");
    }

    /** Input 0 and output 0 both 4-D, of one dtype among {@code types}: the image kinds (pooling, resizing). */
    public void images(DType... types) {
        Tensor in = input(0), out = output(0);
        rank(in, "input", 4, 4);
        rank(out, "output", 4, 4);
        dtype(in, "input", types);
        sameType(in, "input", out, "output");
    }

    /** Fails with {@link #invalid} stating {@code rule} unless {@code ok}. */
    public void require(boolean ok, String rule) {
        if (!ok) throw invalid(rule);
    }

    /** How messages name an operand: {@code filter tensor 3 'w'}. */
    public static String name(String role, Tensor t) { return role + " " + GraphValidator.describe(t); }

    public void rank(Tensor t, String role, int min, int max) {
        int r = t.shape().rank();
        if (r < min || r > max) {
            throw invalid(name(role, t) + " has rank " + r + " " + t.shape() + "; " + op.kind() + " needs "
                    + (min == max ? "rank " + min : "rank " + min + " to " + max));
        }
    }

    public void sameShape(Tensor a, String roleA, Tensor b, String roleB) {
        if (!a.shape().equals(b.shape())) {
            throw invalid(name(roleA, a) + " has shape " + a.shape() + " but " + name(roleB, b) + " has " + b.shape());
        }
    }

    public void sameElements(Tensor a, String roleA, Tensor b, String roleB) {
        if (a.shape().numElements() != b.shape().numElements()) {
            throw invalid(name(roleA, a) + " " + a.shape() + " and " + name(roleB, b) + " " + b.shape() + " differ in element count");
        }
    }

    /** The operand's dtype is one tinyfit's kernel for this kind handles. */
    public void dtype(Tensor t, String role, DType... allowed) {
        for (DType d : allowed) if (t.dtype() == d) return;
        throw unsupported(name(role, t) + " of type " + t.dtype().label() + " (supported: "
                + String.join(", ", Arrays.stream(allowed).map(DType::label).toList()) + ")");
    }

    public void sameType(Tensor a, String roleA, Tensor b, String roleB) {
        if (a.dtype() != b.dtype()) throw unsupported(name(roleA, a) + " is " + a.dtype().label() + " but " + name(roleB, b) + " is " + b.dtype().label());
    }

    /**
     * The tensor carries the scale quantised arithmetic divides by (the load-time validation made every scale
     * positive and finite, so presence is what is left to check).
     */
    public Quantization quantized(Tensor t, String role) {
        Quantization q = t.quant();
        if (!q.hasScale()) throw invalid(name(role, t) + " (" + t.dtype().label() + ") has no quantisation scale");
        return q;
    }

    /** One scale and zero point for the whole tensor. */
    public Quantization perTensor(Tensor t, String role) {
        Quantization q = quantized(t, role);
        if (q.channels() != 1) throw unsupported(name(role, t) + " is quantised per channel (" + q.channels() + " scales); " + op.kind() + " needs one scale");
        return q;
    }

    public void zeroPoint(Tensor t, String role, long expected) {
        if (t.quant().zeroPoint() != expected) {
            throw unsupported(op.kind() + " on " + t.dtype().label() + " needs " + name(role, t) + " to have zero point " + expected + ", not " + t.quant().zeroPoint());
        }
    }

    /**
     * {@code QuantizeMultiplier(real)} as the kernel will compute it, after checking that the result is usable:
     * finite, and with an exponent at most 30, so the left shift stays inside an int32.
     */
    public int[] multiplier(double real, String what) {
        if (!Double.isFinite(real)) throw invalid(what + " multiplier " + real + " is not finite (scales too far apart)");
        int[] m = QuantizedMath.quantizeMultiplier(real);
        if (m[1] > MAX_MULTIPLIER_SHIFT) throw invalid(what + " multiplier " + real + " is too large to represent (2^" + m[1] + ")");
        return m;
    }

    /** A multiplier TFLM computes with {@code QuantizeMultiplierSmallerThanOneExp}, which CHECK-fails unless in (0, 1). */
    public void multiplierBelowOne(double real, String what) {
        if (!(real > 0 && real < 1)) throw invalid(what + " multiplier " + real + " must lie in (0, 1)");
    }

    /** An integer option of the operator that must be at least 1 (strides, dilations, filter sizes). */
    public int atLeastOne(String field, int fallback) {
        int v = options().getInt(field, fallback);
        if (v < 1) throw invalid(field + " is " + v + "; it must be at least 1");
        return v;
    }

    /** A float option the kernel needs; absent options leave it without a value. */
    public float floatOption(String field) {
        Object v = options().get(field);
        if (!(v instanceof Number n)) throw invalid("has no " + field + " (its options are " + options().type() + ")");
        return n.floatValue();
    }

    /** The values of a constant int32 or int64 operand (axes, shapes, paddings). */
    public int[] constantInts(Tensor t, String role) { return DataMovement.constantInts(this, t, role); }
}
