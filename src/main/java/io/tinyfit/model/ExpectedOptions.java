package io.tinyfit.model;

import java.util.Map;
import java.util.Optional;

/**
 * The builtin options table each operator kind reads, as the TFLite schema pairs them ({@code BuiltinOptions}
 * union member per {@code BuiltinOperator}). A kind may also carry no options at all (the schema's defaults
 * apply); any other table is a corrupt or mislabelled operator, which TFLM would read through the wrong struct.
 * Kinds that take no options (RELU, LOGISTIC...) map to {@code NONE}. Kinds outside this table are not checked:
 * tinyfit has no kernel for them and never reads their options.
 */
public final class ExpectedOptions {
    private static final Map<String, String> BY_KIND = Map.ofEntries(
            Map.entry("ADD", "AddOptions"), Map.entry("SUB", "SubOptions"), Map.entry("MUL", "MulOptions"),
            Map.entry("MAXIMUM", "MaximumMinimumOptions"), Map.entry("MINIMUM", "MaximumMinimumOptions"),
            Map.entry("SQUARED_DIFFERENCE", "SquaredDifferenceOptions"),
            Map.entry("RELU", "NONE"), Map.entry("RELU6", "NONE"), Map.entry("PRELU", "NONE"),
            Map.entry("LOGISTIC", "NONE"), Map.entry("TANH", "NONE"),
            Map.entry("LEAKY_RELU", "LeakyReluOptions"), Map.entry("HARD_SWISH", "HardSwishOptions"),
            Map.entry("QUANTIZE", "QuantizeOptions"), Map.entry("DEQUANTIZE", "DequantizeOptions"),
            Map.entry("CONV_2D", "Conv2DOptions"), Map.entry("DEPTHWISE_CONV_2D", "DepthwiseConv2DOptions"),
            Map.entry("TRANSPOSE_CONV", "TransposeConvOptions"), Map.entry("FULLY_CONNECTED", "FullyConnectedOptions"),
            Map.entry("AVERAGE_POOL_2D", "Pool2DOptions"), Map.entry("MAX_POOL_2D", "Pool2DOptions"),
            Map.entry("MEAN", "ReducerOptions"), Map.entry("SUM", "ReducerOptions"),
            Map.entry("SOFTMAX", "SoftmaxOptions"), Map.entry("LOG_SOFTMAX", "LogSoftmaxOptions"),
            Map.entry("ARG_MAX", "ArgMaxOptions"), Map.entry("ARG_MIN", "ArgMinOptions"),
            Map.entry("RESIZE_NEAREST_NEIGHBOR", "ResizeNearestNeighborOptions"),
            Map.entry("RESIZE_BILINEAR", "ResizeBilinearOptions"),
            Map.entry("RESHAPE", "ReshapeOptions"), Map.entry("SQUEEZE", "SqueezeOptions"),
            Map.entry("EXPAND_DIMS", "ExpandDimsOptions"), Map.entry("PAD", "PadOptions"), Map.entry("PADV2", "PadV2Options"),
            Map.entry("CONCATENATION", "ConcatenationOptions"), Map.entry("SPLIT", "SplitOptions"),
            Map.entry("SPLIT_V", "SplitVOptions"), Map.entry("PACK", "PackOptions"), Map.entry("UNPACK", "UnpackOptions"),
            Map.entry("TRANSPOSE", "TransposeOptions"), Map.entry("STRIDED_SLICE", "StridedSliceOptions"),
            Map.entry("SLICE", "SliceOptions"), Map.entry("SHAPE", "ShapeOptions"), Map.entry("GATHER", "GatherOptions"),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", "UnidirectionalSequenceLSTMOptions"), Map.entry("SVDF", "SVDFOptions"));

    private ExpectedOptions() {}

    /** The options table of a kind ({@code NONE} for kinds without options), empty for kinds not listed. */
    public static Optional<String> of(String kind) { return Optional.ofNullable(BY_KIND.get(kind)); }

    /** True when {@code options} may belong to an operator of {@code kind}: absent, or the kind's own table. */
    public static boolean accepts(String kind, Options options) {
        String expected = BY_KIND.get(kind);
        return expected == null || options.isNone() || expected.equals(options.type());
    }
}
