package io.tinyfit.dmo;

import io.tinyfit.kernels.Window;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;

import java.util.Arrays;
import java.util.Set;

/**
 * The analytical method: a closed form of the smallest safe DMO delta per kernel kind, derived from the kernel's
 * loop order (which is TFLM's reference order, {@link AccessOrders}), evaluated in O(1) or O(rows) from shapes
 * and options alone, with no execution. It must never be less safe than the trace method; where the derivation
 * is exact it equals it. Kinds and operands without a closed form get no overlap at all.
 *
 * <p>Three families of results:
 * <ul>
 *   <li>exact stream bounds: the window operators ({@link WindowBound}), and the raster-order kernels
 *       ({@link StreamBounds}): elementwise (broadcast operands included), TRANSPOSE, softmax rows, FULLY_CONNECTED, PAD, ARG_MAX/MIN, MEAN's 4-D path,
 *       RESIZE_BILINEAR, LSTM;</li>
 *   <li>phase bounds: every read precedes every write (0), or the output is written before the first read
 *       ({@code bytes(O)});</li>
 *   <li>memcpy kernels: C's {@code memcpy} on overlapping buffers is undefined, so {@code bytes(O)} even where the
 *       Java copy (a memmove) would tolerate some overlap.</li>
 * </ul>
 */
public final class AnalyticalMethod {
    /** derived=false: no closed form for this kind/operand, minDeltaBytes = bytes(O) (no overlap); formula says why. */
    public record Bound(long minDeltaBytes, boolean derived, String formula) {}

    /** One element read, then one written, in index order; EXPAND_DIMS too, TFLM copies it with an element loop. */
    private static final Set<String> SAME_SHAPE_UNARY = Set.of(
            "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE", "EXPAND_DIMS");
    private static final Set<String> BINARY = Set.of(
            "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU");
    /** TFLM moves these with memcpy (SQUEEZE, CONCATENATION, SPLIT, PACK, GATHER, ...) or SequentialTensorWriter::WriteN. */
    private static final Set<String> MEMCPY = Set.of(
            "SQUEEZE", "CONCATENATION", "SPLIT", "SPLIT_V", "PACK", "UNPACK", "GATHER", "SLICE", "STRIDED_SLICE",
            "RESIZE_NEAREST_NEIGHBOR");

    private AnalyticalMethod() {}

    public static Bound of(Graph g, int opIndex, int inputIndex, int outputIndex) {
        Operand o = Operand.of(g, opIndex, inputIndex, outputIndex);
        Bound b = derive(o);
        // a bound never exceeds no-overlap, and overlap never goes past the start of I
        return new Bound(Math.min(Math.max(0, b.minDeltaBytes()), o.outBytes()), b.derived(), b.formula());
    }

    private static Bound derive(Operand o) {
        String kind = o.kind();
        if (SAME_SHAPE_UNARY.contains(kind)) return o.inputIndex() == 0 ? StreamBounds.elementwise(o) : none(o, "operand " + o.inputIndex());
        if (BINARY.contains(kind)) {
            return StreamBounds.sameElements(o.in(), o.out()) ? StreamBounds.elementwise(o) : StreamBounds.broadcast(o);
        }
        if (MEMCPY.contains(kind)) {
            return new Bound(o.outBytes(), true, "memcpy-based kernel: memcpy on overlapping buffers is undefined in C, so no overlap");
        }
        return switch (kind) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> conv(o);
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> WindowBound.of(Window.of(o.graph(), o.op()), o.si(), o.so());
            case "FULLY_CONNECTED" -> fullyConnected(o);
            case "PAD", "PADV2" -> pad(o);
            case "SOFTMAX", "LOG_SOFTMAX" -> StreamBounds.rows(o);
            case "ARG_MAX", "ARG_MIN" -> StreamBounds.argMinMax(o);
            case "MEAN" -> mean4d(o) ? StreamBounds.mean4d(o) : writtenFirst(o, "MEAN zero-initialises its output (or its int32 sums and output) before the first read");
            case "SUM" -> writtenFirst(o, "SUM zero-initialises its output before the first read");
            case "RESIZE_BILINEAR" -> o.inputIndex() == 0 ? StreamBounds.resizeBilinear(o) : none(o, "size operand");
            case "RESHAPE" -> new Bound(0, true, "alias: same buffer, copy skipped (a partial overlap would be a memcpy on overlapping buffers: use delta 0 or bytes(O))");
            case "SHAPE" -> new Bound(0, true, "reads only the input's dims, never its data");
            case "TRANSPOSE_CONV" -> transposeConv(o);
            case "SVDF" -> o.inputIndex() == 0 ? readsFirst("SVDF reads its input only in the feature matmul, before the first output write")
                    : none(o, "operand " + o.inputIndex());
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> o.inputIndex() == 0 ? StreamBounds.lstm(o) : none(o, "operand " + o.inputIndex());
            case "TRANSPOSE" -> o.inputIndex() == 0 ? StreamBounds.transpose(o) : none(o, "perm operand");
            default -> none(o, "no closed form for " + kind);
        };
    }

    private static Bound conv(Operand o) {
        if (o.inputIndex() != 0) return none(o, "operand " + o.inputIndex() + " (filter or bias) is re-read for every output pixel");
        if (hybrid(o)) return readsFirst("hybrid: the whole input is quantised into a scratch buffer before the first write");
        return WindowBound.of(Window.of(o.graph(), o.op()), o.si(), o.so());
    }

    private static Bound fullyConnected(Operand o) {
        if (o.inputIndex() != 0) return none(o, "operand " + o.inputIndex() + " (weights or bias) is re-read for every row");
        if (hybrid(o)) return writtenFirst(o, "hybrid: the output is initialised with the bias before the input is read");
        return StreamBounds.fullyConnected(o);
    }

    private static Bound pad(Operand o) {
        if (o.inputIndex() == 0) return StreamBounds.pad(o);
        if (o.inputIndex() == 2) return readsFirst("the pad value is read once, before the first write");
        return none(o, "paddings operand");
    }

    private static Bound transposeConv(Operand o) {
        if (o.inputIndex() != 2) return none(o, "operand " + o.inputIndex() + " is not the data input");
        if (o.in().dtype() == DType.FLOAT32) return writtenFirst(o, "float TRANSPOSE_CONV zero-initialises its output, then scatters into it");
        return readsFirst("quantised TRANSPOSE_CONV accumulates every input pixel into scratch before writing any output");
    }

    /** MEAN's dedicated float path: 4-D input, keep_dims, raw axes exactly {1, 2} (as TFLM tests them). */
    private static boolean mean4d(Operand o) {
        if (o.in().dtype() != DType.FLOAT32 || o.in().shape().rank() != 4 || !o.op().options().getBool("keepDims")) return false;
        int[] axes = o.constInts(1);
        Arrays.sort(axes);
        return Arrays.equals(axes, new int[] {1, 2});
    }

    private static boolean hybrid(Operand o) {
        return o.in().dtype() == DType.FLOAT32 && o.hasInput(1) && o.input(1).dtype() == DType.INT8;
    }

    private static Bound readsFirst(String why) { return new Bound(0, true, "every read precedes the first write: " + why); }

    private static Bound writtenFirst(Operand o, String why) { return new Bound(o.outBytes(), true, "no overlap: " + why); }

    private static Bound none(Operand o, String why) { return new Bound(o.outBytes(), false, why); }
}
