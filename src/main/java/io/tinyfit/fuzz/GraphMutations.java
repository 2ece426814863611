package io.tinyfit.fuzz;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.tflite.ModelWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Well-formed but wrong models: one change to the IR of a valid model (shapes, operands, writers, graph inputs
 * and outputs, flags, builtin options, quantisation), written back with the schema classes, so that the file
 * parses and only the stages after the reader can tell.
 */
final class GraphMutations {
    private static final int[] INT_VALUES = {-1, 0, 2, 3, 5, 100, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final float[] FLOAT_VALUES = {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, 1e-30f};

    private final String model;
    private final Graph graph;

    GraphMutations(String model, Graph graph) {
        this.model = model;
        this.graph = graph;
    }

    Mutation mutate(MutationKind kind, Random rng) {
        Change c = switch (kind) {
            case DIM_SCALED -> scaleDimension(rng);
            case DIM_OVERFLOW -> overflowDimensions(rng);
            case DIM_ZERO -> zeroDimension(rng);
            case INPUT_DROPPED -> dropInput(rng);
            case INPUT_OUT_OF_RANGE -> inputOutOfRange(rng);
            case TWO_WRITERS -> twoWriters(rng);
            case CYCLE -> cycle(rng);
            case GRAPH_IO -> graphIo(rng);
            case VARIABLE_FLAG -> variableFlag(rng);
            case OPTIONS -> options(rng);
            case QUANT_SCALE -> quantScale(rng);
            case QUANT_ZERO_POINT -> quantZeroPoint(rng);
            case QUANT_LENGTHS -> quantLengths(rng);
            default -> throw new IllegalArgumentException(kind + " is not a graph mutation");
        };
        return new Mutation(kind, model, c.description(), ModelWriter.toBytes(c.graph()));
    }

    /** A changed graph and what was changed. */
    private record Change(Graph graph, String description) {}

    private Change scaleDimension(Random rng) {
        Tensor t = tensor(rng, x -> x.shape().rank() > 0);
        int[] dims = t.shape().toArray();
        int d = rng.nextInt(dims.length);
        long scaled = dims[d] == 0 ? 65_536 : (long) dims[d] * 65_536;
        int old = dims[d];
        dims[d] = (int) Math.min(scaled, Integer.MAX_VALUE);
        return new Change(graph.withTensor(t.withShape(Shape.of(dims))), GraphValidator.describe(t) + " dim " + d + ": " + old + " -> " + dims[d]);
    }

    private Change overflowDimensions(Random rng) {
        Tensor t = tensor(rng, x -> true);
        int[] dims = rng.nextBoolean() && t.shape().rank() > 0 ? t.shape().toArray() : new int[3];
        Arrays.fill(dims, Integer.MAX_VALUE);
        return new Change(graph.withTensor(t.withShape(Shape.of(dims))), GraphValidator.describe(t) + " shape " + t.shape() + " -> " + Arrays.toString(dims));
    }

    private Change zeroDimension(Random rng) {
        Tensor t = tensor(rng, x -> x.shape().rank() > 0 && x.shape().numElements() > 0);
        int[] dims = t.shape().toArray();
        dims[rng.nextInt(dims.length)] = 0;
        return new Change(graph.withTensor(t.withShape(Shape.of(dims))), GraphValidator.describe(t) + " shape " + t.shape() + " -> " + Arrays.toString(dims));
    }

    private Change dropInput(Random rng) {
        int i = opIndex(rng, op -> !op.inputs().isEmpty());
        Op op = graph.ops().get(i);
        List<Integer> inputs = new ArrayList<>(op.inputs());
        int k = rng.nextInt(inputs.size());
        String what;
        if (rng.nextBoolean()) {
            inputs.remove(k);
            what = "input " + k + " removed";
        } else {
            inputs.set(k, -1);
            what = "input " + k + " set to -1 (omitted)";
        }
        return new Change(graph.withOp(i, op.withOperands(inputs, op.outputs())), GraphValidator.describe(op, i) + " " + what);
    }

    private Change inputOutOfRange(Random rng) {
        int i = opIndex(rng, op -> !op.inputs().isEmpty());
        Op op = graph.ops().get(i);
        List<Integer> inputs = new ArrayList<>(op.inputs());
        int k = rng.nextInt(inputs.size());
        int v = rng.nextBoolean() ? graph.tensors().size() + rng.nextInt(1000) : -2 - rng.nextInt(100);
        inputs.set(k, v);
        return new Change(graph.withOp(i, op.withOperands(inputs, op.outputs())), GraphValidator.describe(op, i) + " input " + k + " -> tensor " + v);
    }

    private Change twoWriters(Random rng) {
        int i = opIndex(rng, op -> !op.outputs().isEmpty());
        Op op = graph.ops().get(i);
        List<Integer> outputs = new ArrayList<>(op.outputs());
        int other = graph.ops().size() > 1 && rng.nextInt(4) > 0
                ? graph.ops().get(otherOp(rng, i)).outputs().get(0)
                : graph.inputs().isEmpty() ? outputs.get(0) : graph.inputs().get(0);
        outputs.set(0, other);
        return new Change(graph.withOp(i, op.withOperands(op.inputs(), outputs)), GraphValidator.describe(op, i) + " output 0 -> tensor " + other);
    }

    private Change cycle(Random rng) {
        int i = opIndex(rng, op -> !op.inputs().isEmpty());
        int j = i + rng.nextInt(graph.ops().size() - i);
        Op op = graph.ops().get(i);
        List<Integer> inputs = new ArrayList<>(op.inputs());
        int k = rng.nextInt(inputs.size());
        int t = graph.ops().get(j).outputs().get(0);
        inputs.set(k, t);
        return new Change(graph.withOp(i, op.withOperands(inputs, op.outputs())),
                GraphValidator.describe(op, i) + " input " + k + " -> output of " + GraphValidator.describe(graph.ops().get(j), j));
    }

    private Change graphIo(Random rng) {
        List<Integer> inputs = new ArrayList<>(graph.inputs());
        List<Integer> outputs = new ArrayList<>(graph.outputs());
        int any = rng.nextInt(graph.tensors().size());
        String what;
        switch (rng.nextInt(6)) {
            case 0 -> {
                int written = graph.ops().get(rng.nextInt(graph.ops().size())).outputs().get(0);
                replaceOrAdd(inputs, written, rng);
                what = "graph input -> written tensor " + written;
            }
            case 1 -> {
                replaceOrAdd(inputs, any, rng);
                what = "graph input -> tensor " + any;
            }
            case 2 -> {
                if (!inputs.isEmpty()) inputs.add(inputs.get(0));
                what = "graph input listed twice";
            }
            case 3 -> {
                replaceOrAdd(outputs, any, rng);
                what = "graph output -> tensor " + any;
            }
            case 4 -> {
                outputs.clear();
                what = "graph outputs removed";
            }
            default -> {
                inputs.clear();
                what = "graph inputs removed";
            }
        }
        return new Change(graph.withIo(inputs, outputs), what);
    }

    private Change variableFlag(Random rng) {
        Tensor t = tensor(rng, x -> !x.variable());
        return new Change(graph.withTensor(t.withVariable(true)), GraphValidator.describe(t) + " made variable");
    }

    /** One field of one operator's options set to an adversarial value, or the whole table swapped or dropped. */
    private Change options(Random rng) {
        int i = rng.nextInt(graph.ops().size());
        Op op = graph.ops().get(i);
        Options o = op.options();
        Map<String, Object> fields = o.fields();
        Options changed;
        String what;
        if (fields.isEmpty() || rng.nextInt(5) == 0) {
            Op donor = graph.ops().get(rng.nextInt(graph.ops().size()));
            changed = rng.nextBoolean() ? Options.NONE : donor.options();
            what = "options " + o.type() + " -> " + changed.type();
        } else {
            List<String> names = new ArrayList<>(fields.keySet());
            String field = names.get(rng.nextInt(names.size()));
            Object value = adversarial(fields.get(field), rng);
            changed = o.with(field, value);
            what = o.type() + "." + field + " -> " + (value instanceof int[] a ? Arrays.toString(a) : value);
        }
        return new Change(graph.withOp(i, op.withOptions(changed)), GraphValidator.describe(op, i) + " " + what);
    }

    /** A value of the same Java type as {@code old} that kernels are unlikely to expect. */
    private static Object adversarial(Object old, Random rng) {
        int pick = INT_VALUES[rng.nextInt(INT_VALUES.length)];
        if (old instanceof Integer) return pick;
        if (old instanceof Byte) return (byte) (rng.nextBoolean() ? pick : rng.nextInt(12) - 1);
        if (old instanceof Short) return (short) pick;
        if (old instanceof Long) return (long) pick;
        if (old instanceof Float) return FLOAT_VALUES[rng.nextInt(FLOAT_VALUES.length)];
        if (old instanceof Boolean b) return !b;
        if (old instanceof int[] a) {
            int[] v = new int[rng.nextInt(a.length + 3)];
            for (int k = 0; k < v.length; k++) v[k] = rng.nextInt(3) == 0 ? pick : rng.nextInt(9) - 2;
            return v;
        }
        return old;
    }

    private Change quantScale(Random rng) {
        Tensor t = tensor(rng, x -> x.quant().hasScale());
        Quantization q = quantized(t);
        float[] scales = q.scales();
        float bad = new float[] {0f, Float.NaN, Float.POSITIVE_INFINITY, -1f}[rng.nextInt(4)];
        if (rng.nextBoolean()) Arrays.fill(scales, bad);
        else scales[rng.nextInt(scales.length)] = bad;
        return new Change(graph.withTensor(t.withQuantization(new Quantization(q.min(), q.max(), scales, q.zeroPoints(), q.quantizedDimension()))),
                GraphValidator.describe(t) + " scale -> " + bad);
    }

    private Change quantZeroPoint(Random rng) {
        Tensor t = tensor(rng, x -> x.quant().hasScale() && !x.dtype().isFloat());
        Quantization q = quantized(t);
        long[] zp = q.zeroPoints();
        long bad = rng.nextBoolean() ? 1000 : -1000;
        Arrays.fill(zp, bad);
        return new Change(graph.withTensor(t.withQuantization(new Quantization(q.min(), q.max(), q.scales(), zp, q.quantizedDimension()))),
                GraphValidator.describe(t) + " zero point -> " + bad);
    }

    private Change quantLengths(Random rng) {
        Tensor t = tensor(rng, x -> x.quant().hasScale());
        Quantization q = quantized(t);
        float[] scales = q.scales();
        long[] zp = q.zeroPoints();
        int dim = q.quantizedDimension();
        String what;
        switch (rng.nextInt(4)) {
            case 0 -> {
                scales = Arrays.copyOf(scales, scales.length + 1);
                scales[scales.length - 1] = scales[0];
                what = "one scale more than zero points";
            }
            case 1 -> {
                zp = new long[0];
                what = "zero points removed";
            }
            case 2 -> {
                // one entry more than the quantised dimension has channels, so the count can never fit
                long channels = dim >= 0 && dim < t.shape().rank() ? t.shape().dim(dim) : t.shape().numElements();
                float first = scales[0];
                scales = new float[(int) Math.min(channels + 1, 1 << 16)];
                Arrays.fill(scales, first);
                zp = Arrays.copyOf(zp, scales.length);
                what = "per-channel arrays of " + scales.length + " entries for " + channels + " channels";
            }
            default -> {
                dim = rng.nextBoolean() ? -1 : t.shape().rank() + 2;
                scales = Arrays.copyOf(scales, 2);
                scales[1] = scales[0];
                zp = Arrays.copyOf(zp, 2);
                what = "per-channel along dimension " + dim;
            }
        }
        return new Change(graph.withTensor(t.withQuantization(new Quantization(q.min(), q.max(), scales, zp, dim))), GraphValidator.describe(t) + " " + what);
    }

    // ---- picking and rebuilding

    /** The tensor's quantisation, or (float models have none) a plausible per-tensor one to damage. */
    private static Quantization quantized(Tensor t) {
        return t.quant().hasScale() ? t.quant() : Quantization.perTensor(0.5f, 0);
    }

    /** A random tensor satisfying {@code p}, preferring the ones operators read or write; any tensor when none does. */
    private Tensor tensor(Random rng, Predicate<Tensor> p) {
        List<Tensor> all = graph.tensors().stream().filter(p).toList();
        if (all.isEmpty()) return graph.tensors().get(rng.nextInt(graph.tensors().size()));
        return all.get(rng.nextInt(all.size()));
    }

    private int opIndex(Random rng, Predicate<Op> p) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < graph.ops().size(); i++) if (p.test(graph.ops().get(i))) ok.add(i);
        return ok.isEmpty() ? rng.nextInt(graph.ops().size()) : ok.get(rng.nextInt(ok.size()));
    }

    private int otherOp(Random rng, int i) {
        int j = rng.nextInt(graph.ops().size() - 1);
        return j >= i ? j + 1 : j;
    }

    private static void replaceOrAdd(List<Integer> list, int t, Random rng) {
        if (list.isEmpty() || rng.nextBoolean()) list.add(t);
        else list.set(rng.nextInt(list.size()), t);
    }
}
