package io.tinyfit.report;

import io.tinyfit.exec.InputFiles;
import io.tinyfit.exec.TensorValues;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What {@code tinyfit run} tells people about a run: each input and output with its type, shape, scale and zero
 * point, and each output's values, dequantised where quantised; for an output that holds class scores, the
 * {@code k} best classes instead.
 */
public final class RunReport {
    /** Values listed for an output that is not class scores; the rest is summed up by min, max and mean. */
    static final int SHOWN_VALUES = 16;
    /**
     * Operators that turn logits into class scores. Not LOGISTIC: a vector of sigmoids is as often a mask (DTLN's
     * noise suppression) as a multi-label classifier.
     */
    private static final Set<String> SCORE_OPS = Set.of("SOFTMAX", "LOG_SOFTMAX");
    /** Operators between the scores and the graph output that keep their meaning (shape and type changes). */
    private static final Set<String> PASS_THROUGH = Set.of("RESHAPE", "SQUEEZE", "QUANTIZE", "DEQUANTIZE");

    private RunReport() {}

    /** The lines for the inputs and outputs of a run ({@code outputs} in graph output order). */
    public static String text(Graph g, List<byte[]> outputs, int topK) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < g.inputs().size(); i++) sb.append(String.format("input %d: %s%n", i, describe(g.tensor(g.inputs().get(i)))));
        for (int i = 0; i < outputs.size(); i++) {
            Tensor t = g.tensor(g.outputs().get(i));
            sb.append(String.format("output %d: %s%n", i, describe(t)));
            sb.append("  ").append(values(g, t, outputs.get(i), topK)).append(String.format("%n"));
        }
        return sb.toString();
    }

    /** Name, type, shape and, when quantised, scale and zero point. */
    static String describe(Tensor t) {
        return t.label() + " " + t.dtype().label() + " " + t.shape() + InputFiles.describeQuantization(t);
    }

    /** Top-k for class scores, else the first values and a summary. */
    static String values(Graph g, Tensor t, byte[] bytes, int topK) {
        double[] v = TensorValues.real(t, bytes);
        String kind = TensorValues.isQuantized(t) ? "dequantised" : "values";
        if (topK > 0 && isClassScores(g, t)) return "top " + Math.min(topK, v.length) + " (" + kind + "): " + top(v, topK);
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN_VALUES, v.length); i++) shown.add(number(v[i]));
        String head = kind + ": " + String.join(" ", shown);
        if (v.length <= SHOWN_VALUES) return head;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        return head + String.format(" ... (first %d of %,d; min %s, max %s, mean %s)", SHOWN_VALUES, v.length, number(min), number(max), number(sum / v.length));
    }

    /**
     * Class scores: exactly one dimension above 1, produced by a softmax, possibly through reshapes and
     * (de)quantisation. Other vectors (an autoencoder's reconstruction, a regression) are shown as values.
     */
    static boolean isClassScores(Graph g, Tensor t) {
        int[] dims = t.shape().toArray();
        if (dims.length == 0 || IntStream.of(dims).filter(d -> d > 1).count() != 1) return false;
        int tensor = t.id();
        for (int hops = 0; hops <= g.ops().size(); hops++) {
            Op producer = producerOf(g, tensor);
            if (producer == null) return false;
            if (SCORE_OPS.contains(producer.kind())) return true;
            if (!PASS_THROUGH.contains(producer.kind())) return false;
            tensor = producer.input(0);
        }
        return false;
    }

    private static Op producerOf(Graph g, int tensor) {
        for (Op op : g.ops()) if (op.outputs().contains(tensor)) return op;
        return null;
    }

    /** "class 3: 0.8711, class 0: 0.0625, ..." best first; ties keep the lower class index first. */
    private static String top(double[] v, int k) {
        return IntStream.range(0, v.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i))
                .limit(k).map(i -> "class " + i + ": " + number(v[i])).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.format(Locale.ROOT, "%d", (long) x);
        return String.format(Locale.ROOT, "%.6g", x).replaceFirst("(\\.\\d*?)0+($|e)", "$1$2").replaceFirst("\\.($|e)", "$1");
    }
}
