package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Op;
import io.tinyfit.model.UnsupportedOperatorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tflite::MicroMutableOpResolver} method that registers each operator kind, as TFLM's
 * {@code tensorflow/lite/micro/micro_mutable_op_resolver.h} names them (the builtins, and the custom operators TFLM
 * ships: {@code TFLite_Detection_PostProcess}, {@code CIRCULAR_BUFFER}, {@code ethos-u}).
 */
public final class TflmOpResolver {
    private static final Map<String, String> METHODS = Map.ofEntries(
            Map.entry("ABS", "AddAbs"), Map.entry("ADD", "AddAdd"), Map.entry("ADD_N", "AddAddN"),
            Map.entry("ARG_MAX", "AddArgMax"), Map.entry("ARG_MIN", "AddArgMin"), Map.entry("ASSIGN_VARIABLE", "AddAssignVariable"),
            Map.entry("AVERAGE_POOL_2D", "AddAveragePool2D"), Map.entry("BATCH_TO_SPACE_ND", "AddBatchToSpaceNd"),
            Map.entry("BROADCAST_ARGS", "AddBroadcastArgs"), Map.entry("BROADCAST_TO", "AddBroadcastTo"), Map.entry("CALL_ONCE", "AddCallOnce"),
            Map.entry("CAST", "AddCast"), Map.entry("CEIL", "AddCeil"), Map.entry("CONCATENATION", "AddConcatenation"),
            Map.entry("CONV_2D", "AddConv2D"), Map.entry("COS", "AddCos"), Map.entry("CUMSUM", "AddCumSum"),
            Map.entry("DEPTH_TO_SPACE", "AddDepthToSpace"), Map.entry("DEPTHWISE_CONV_2D", "AddDepthwiseConv2D"),
            Map.entry("DEQUANTIZE", "AddDequantize"), Map.entry("DIV", "AddDiv"), Map.entry("ELU", "AddElu"), Map.entry("EQUAL", "AddEqual"),
            Map.entry("EXP", "AddExp"), Map.entry("EXPAND_DIMS", "AddExpandDims"), Map.entry("FILL", "AddFill"), Map.entry("FLOOR", "AddFloor"),
            Map.entry("FLOOR_DIV", "AddFloorDiv"), Map.entry("FLOOR_MOD", "AddFloorMod"), Map.entry("FULLY_CONNECTED", "AddFullyConnected"),
            Map.entry("GATHER", "AddGather"), Map.entry("GATHER_ND", "AddGatherNd"), Map.entry("GREATER", "AddGreater"),
            Map.entry("GREATER_EQUAL", "AddGreaterEqual"), Map.entry("HARD_SWISH", "AddHardSwish"), Map.entry("IF", "AddIf"),
            Map.entry("L2_NORMALIZATION", "AddL2Normalization"), Map.entry("L2_POOL_2D", "AddL2Pool2D"), Map.entry("LEAKY_RELU", "AddLeakyRelu"),
            Map.entry("LESS", "AddLess"), Map.entry("LESS_EQUAL", "AddLessEqual"), Map.entry("LOG", "AddLog"),
            Map.entry("LOGICAL_AND", "AddLogicalAnd"), Map.entry("LOGICAL_NOT", "AddLogicalNot"), Map.entry("LOGICAL_OR", "AddLogicalOr"),
            Map.entry("LOGISTIC", "AddLogistic"), Map.entry("LOG_SOFTMAX", "AddLogSoftmax"), Map.entry("MAXIMUM", "AddMaximum"),
            Map.entry("MAX_POOL_2D", "AddMaxPool2D"), Map.entry("MIRROR_PAD", "AddMirrorPad"), Map.entry("MEAN", "AddMean"),
            Map.entry("MINIMUM", "AddMinimum"), Map.entry("MUL", "AddMul"), Map.entry("NEG", "AddNeg"), Map.entry("NOT_EQUAL", "AddNotEqual"),
            Map.entry("PACK", "AddPack"), Map.entry("PAD", "AddPad"), Map.entry("PADV2", "AddPadV2"), Map.entry("PRELU", "AddPrelu"),
            Map.entry("QUANTIZE", "AddQuantize"), Map.entry("READ_VARIABLE", "AddReadVariable"), Map.entry("REDUCE_MAX", "AddReduceMax"),
            Map.entry("RELU", "AddRelu"), Map.entry("RELU6", "AddRelu6"), Map.entry("RESHAPE", "AddReshape"),
            Map.entry("RESIZE_BILINEAR", "AddResizeBilinear"), Map.entry("RESIZE_NEAREST_NEIGHBOR", "AddResizeNearestNeighbor"),
            Map.entry("ROUND", "AddRound"), Map.entry("RSQRT", "AddRsqrt"), Map.entry("SELECT_V2", "AddSelectV2"), Map.entry("SHAPE", "AddShape"),
            Map.entry("SIN", "AddSin"), Map.entry("SLICE", "AddSlice"), Map.entry("SOFTMAX", "AddSoftmax"),
            Map.entry("SPACE_TO_BATCH_ND", "AddSpaceToBatchNd"), Map.entry("SPACE_TO_DEPTH", "AddSpaceToDepth"), Map.entry("SPLIT", "AddSplit"),
            Map.entry("SPLIT_V", "AddSplitV"), Map.entry("SQUEEZE", "AddSqueeze"), Map.entry("SQRT", "AddSqrt"), Map.entry("SQUARE", "AddSquare"),
            Map.entry("SQUARED_DIFFERENCE", "AddSquaredDifference"), Map.entry("STRIDED_SLICE", "AddStridedSlice"), Map.entry("SUB", "AddSub"),
            Map.entry("SUM", "AddSum"), Map.entry("SVDF", "AddSvdf"), Map.entry("TANH", "AddTanh"), Map.entry("TRANSPOSE_CONV", "AddTransposeConv"),
            Map.entry("TRANSPOSE", "AddTranspose"), Map.entry("UNPACK", "AddUnpack"),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", "AddUnidirectionalSequenceLSTM"), Map.entry("VAR_HANDLE", "AddVarHandle"),
            Map.entry("WHILE", "AddWhile"), Map.entry("ZEROS_LIKE", "AddZerosLike"),
            Map.entry("CUSTOM(TFLite_Detection_PostProcess)", "AddDetectionPostprocess"), Map.entry("CUSTOM(CIRCULAR_BUFFER)", "AddCircularBuffer"),
            Map.entry("CUSTOM(ethos-u)", "AddEthosU"));

    private TflmOpResolver() {}

    /** One operator kind of a model: the resolver method that registers it, and how many operators use it. */
    public record Registration(String kind, String method, int uses) {}

    /** The method for an operator kind, if TFLM's resolver has one. */
    public static java.util.Optional<String> method(String kind) { return java.util.Optional.ofNullable(METHODS.get(kind)); }

    /**
     * Each distinct operator kind of {@code g} once, by kind name; an operator TFLM's resolver cannot register is an
     * error naming it.
     */
    public static List<Registration> registrations(Graph g) {
        Map<String, Integer> uses = new TreeMap<>();
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            if (!METHODS.containsKey(op.kind())) {
                throw new UnsupportedOperatorException(g.source() + ": " + GraphValidator.describe(op, i)
                        + " has no MicroMutableOpResolver method in TFLM; register its kernel with AddCustom() by hand");
            }
            uses.merge(op.kind(), 1, Integer::sum);
        }
        List<Registration> out = new ArrayList<>();
        uses.forEach((kind, n) -> out.add(new Registration(kind, METHODS.get(kind), n)));
        return out;
    }
}
