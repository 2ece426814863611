package io.tinyfit.kernels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds whose Java kernel touches memory in exactly the order of TFLM's reference kernel, with that kernel's
 * source and loop nest written down from TFLM's sources. A DMO overlap proven by tracing a Java kernel holds in a
 * stock TFLM build only for these kinds; {@code dmo.AccessOrders} enumerates each nest symbolically and a test
 * compares it, event for event, with the Java kernel's traced stream.
 *
 * <p>Paths outside TFLM (hybrid float/int8 convolutions, legacy uint8 where TFLM has none) are not modelled.
 */
public final class ReferenceOrders {
    /**
     * @param tflmSource file and function of TFLM's reference kernel (paths under {@code tensorflow/lite/})
     * @param loopNest   the nest, outermost first
     */
    public record Descriptor(String kind, String tflmSource, String loopNest) {}

    private static final String REF = "tensorflow/lite/kernels/internal/reference/";
    private static final String MICRO = "tensorflow/lite/micro/kernels/";
    private static final Map<String, Descriptor> DESCRIPTORS = new LinkedHashMap<>();

    static {
        add("CONV_2D", REF + "integer_ops/conv.h ConvPerChannel; " + REF + "conv.h Conv (float32)",
                "batch > out_y > out_x > out_c > filter_y > filter_x > in_c of out_c's group; skip taps outside the image; write out_c");
        add("DEPTHWISE_CONV_2D", REF + "integer_ops/depthwise_conv.h DepthwiseConvPerChannel; " + REF + "depthwiseconv_float.h DepthwiseConv",
                "batch > out_y > out_x > in_c > m > filter_y > filter_x; skip taps outside the image; write in_c*M + m");
        add("AVERAGE_POOL_2D", REF + "integer_ops/pooling.h AveragePool; " + REF + "pooling.h AveragePool",
                "batch > out_y > out_x > channel > filter_y > filter_x over the window clipped to the image; write");
        add("MAX_POOL_2D", REF + "integer_ops/pooling.h MaxPool; " + REF + "pooling.h MaxPool",
                "batch > out_y > out_x > channel > filter_y > filter_x over the window clipped to the image; write");
        String pad = "output raster (batch > plane > height > width > depth): the pad value, or the next input element read then written";
        add("PAD", REF + "pad.h PadImpl", pad);
        add("PADV2", REF + "pad.h PadImpl", pad);
        add("FULLY_CONNECTED", REF + "integer_ops/fully_connected.h FullyConnected, FullyConnectedPerChannel; " + REF + "fully_connected.h FullyConnected",
                "batch > out_c > d over the whole input row; write b*OC + out_c");
        for (String k : new String[] {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE"}) {
            add(k, source(k), "output raster (flat when shapes agree, else the broadcast nest): read input1, input2 at their broadcast positions, write output");
        }
        String unary = "i over the flat tensor: read input[i], write output[i]";
        add("RELU", MICRO + "activations_common.cc ReluQuantized; " + REF + "activations.h Relu", unary);
        add("RELU6", MICRO + "activations_common.cc Relu6Quantized; " + REF + "activations.h Relu6", unary);
        add("LEAKY_RELU", REF + "leaky_relu.h QuantizeLeakyRelu, LeakyRelu", unary);
        add("HARD_SWISH", REF + "hard_swish.h HardSwish", unary);
        add("LOGISTIC", REF + "integer_ops/logistic.h Logistic; " + REF + "logistic.h Logistic", unary);
        add("TANH", REF + "integer_ops/tanh.h Tanh; " + REF + "tanh.h Tanh", unary);
        add("QUANTIZE", REF + "quantize.h AffineQuantize; " + REF + "requantize.h Requantize", unary);
        add("DEQUANTIZE", REF + "dequantize.h Dequantize", unary);
        add("SOFTMAX", REF + "softmax.h Softmax, SoftmaxInt16",
                "row > (max pass) > (exp pass: float caches exp in the output, int16 caches and re-reads the LUT value; 8-bit re-reads the row) > output pass writing element c (8-bit: after re-reading it)");
        add("LOG_SOFTMAX", REF + "log_softmax.h LogSoftmax", "row > max pass > sum pass > output pass: read element c, write element c");
        add("RESHAPE", MICRO + "reshape_common.cc EvalReshapeReference",
                "aliased (same data pointer): nothing; otherwise one memcpy of the whole tensor");
        add("MEAN", REF + "reduce.h Mean (4-D over H,W), Mean/ReduceGeneric, QuantizedMeanOrSum",
                "float 4-D keep_dims over axes {1,2}: batch > channel > h > w, write b*D + d; otherwise zero the output, accumulate the input in raster order, then write (float divides in place)");
        add("SUM", REF + "reduce.h ReduceGeneric, QuantizedMeanOrSum", "zero the output, accumulate the input in raster order, then write (integer) or in place (float)");
        String arg = "outer > inner > axis; write outer*inner + inner_idx";
        add("ARG_MAX", REF + "arg_min_max.h ArgMinMax", arg);
        add("ARG_MIN", REF + "arg_min_max.h ArgMinMax", arg);
        add("TRANSPOSE", REF + "transpose.h TransposeImpl", "output raster (recursion over output dims): output[s] = input at the permuted position");
        add("EXPAND_DIMS", MICRO + "expand_dims.cc memCopyN", "i over the flat tensor: output[i] = input[i]");
        add("RESIZE_BILINEAR", REF + "resize_bilinear.h ResizeBilinear, ResizeBilinearInteger",
                "batch > y > x > channel: read corners (y0,x0), (y1,x0), (y0,x1), (y1,x1), write");
    }

    private static void add(String kind, String source, String nest) { DESCRIPTORS.put(kind, new Descriptor(kind, source, nest)); }

    private static String source(String kind) {
        return switch (kind) {
            case "ADD" -> REF + "integer_ops/add.h AddElementwise, BroadcastAdd6DSlow; " + REF + "add.h Add";
            case "SUB" -> REF + "sub.h SubElementwise, SubWithActivation, BroadcastSubCommon";
            case "MUL" -> REF + "integer_ops/mul.h MulElementwise, BroadcastMul4DSlow; " + REF + "mul.h Mul";
            case "SQUARED_DIFFERENCE" -> MICRO + "squared_difference.cc; " + REF + "binary_function.h BroadcastBinaryFunction6DSlow";
            default -> REF + "maximum_minimum.h MaximumMinimumBroadcastSlow";
        };
    }

    private ReferenceOrders() {}

    public static Optional<Descriptor> of(String kind) { return Optional.ofNullable(DESCRIPTORS.get(kind)); }

    /** True when the kind's Java kernel follows TFLM's reference loop order (proven per kind by dmo.AccessOrdersTest). */
    public static boolean has(String kind) { return DESCRIPTORS.containsKey(kind); }

    /** The kinds with a loop nest here, in a stable order. */
    public static Set<String> kinds() { return Collections.unmodifiableSet(DESCRIPTORS.keySet()); }

}
