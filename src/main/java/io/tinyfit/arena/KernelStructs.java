package io.tinyfit.arena;

/**
 * The structs TFLM's reference kernels keep in the arena, laid out from their field lists for one data model:
 * the builtin options structs ({@code micro/builtin_op_data.h}, allocated by the flatbuffer parsers) and each
 * kernel's {@code OpData} (allocated in {@code Init}). The header that declares each is named in its comment.
 */
final class KernelStructs {
    private final DataModel dm;
    private final CType i8;
    private final CType i16;
    private final CType i32;
    private final CType ptr;

    KernelStructs(DataModel dm) {
        this.dm = dm;
        this.i8 = dm.i8();
        this.i16 = dm.i16();
        this.i32 = dm.i32();
        this.ptr = dm.ptr();
    }

    private CType ints(int n) { return i32.times(n); }

    // ---- builtin options (micro/builtin_op_data.h); enums and TfLiteType are int-sized

    CType convParams() { return ints(7); }                               // padding, strides, activation, dilations, bias type
    CType depthwiseConvParams() { return ints(7); }
    CType transposeConvParams() { return ints(5); }
    /** TfLitePoolParams: six ints and the computed TfLitePaddingValues (four ints). */
    CType poolParams() { return ints(10); }
    CType fullyConnectedParams() { return CType.struct(i32, i32, i8, i8, i32); }
    CType svdfParams() { return CType.struct(i32, i32, i8); }
    CType sequenceLstmParams() { return CType.struct(i32, i32, i32, i8, i8, i8); }
    CType softmaxParams() { return i32; }
    CType concatenationParams() { return ints(2); }
    CType activationAndFlagParams() { return CType.struct(i32, i8); }    // TfLiteAddParams, TfLiteSubParams
    CType mulParams() { return i32; }
    /** TfLiteReshapeParams: int32 shape[TFLITE_RESHAPE_PARAMS_MAX_DIMENSION_COUNT = 8] and a count. */
    CType reshapeParams() { return ints(9); }
    CType squeezeParams() { return ints(9); }
    CType reducerParams() { return i8; }                                 // bool keep_dims
    CType resizeParams() { return CType.struct(i8, i8); }                // align_corners, half_pixel_centers
    CType stridedSliceParams() { return CType.struct(ints(5), i8); }
    CType oneEnumParams() { return i32; }                                // ArgMax/ArgMin/Shape output type, Split(V) count, LeakyRelu alpha
    CType twoIntParams() { return ints(2); }                             // Pack, Unpack, Gather

    // ---- kernel OpData (allocated in Init with AllocatePersistentBuffer, 16-aligned)

    /** kernels/conv.h {@code OpDataConv} (also depthwise). */
    CType opDataConv() {
        return CType.struct(ints(4), ints(5), ptr, ptr, ints(3));
    }

    /**
     * detection_postprocess.cc {@code OpData}: three ints, two floats, an int, a bool, the four float scales, eleven
     * scratch indices and three {@code TfLiteQuantizationParams} (float, int32): no pointers, 112 bytes on any build.
     */
    CType detectionPostprocessOpData() { return CType.struct(ints(6), i8, ints(4), ints(11), ints(6)); }

    /** kernels/fully_connected.h {@code OpDataFullyConnected}. */
    CType opDataFullyConnected() { return CType.struct(ints(9), ptr, ptr, i8); }

    /** kernels/internal/types.h {@code SoftmaxParams}: a double, seven 4-byte fields, five pointers. */
    CType softmaxOpData() { return CType.struct(dm.i64(), ints(7), ptr, ptr, ptr, ptr, ptr); }

    /** kernels/log_softmax.cc {@code LogSoftmaxOpData}: five ints and two size_t. */
    CType logSoftmaxOpData() { return CType.struct(ints(5), ptr, ptr); }

    /** kernels/pooling.h {@code OpDataPooling}: padding values and four activation bounds. */
    CType opDataPooling() { return ints(8); }

    /** kernels/add.h {@code OpDataAdd}: a bool and fourteen 4-byte fields; kernels/sub.h's OpDataSub rounds up the same. */
    CType opDataAddSub() { return CType.struct(i8, ints(14)); }

    /** kernels/mul.h {@code OpDataMul}: nine 4-byte fields. */
    CType opDataMul() { return ints(9); }

    /** kernels/internal/types.h {@code ArithmeticParams}. */
    CType arithmeticParams() {
        return CType.struct(i8, ints(14), dm.i64(), dm.i64(), i16, i16, ints(5));
    }

    /** kernels/squared_difference.cc {@code OpData}: requires_broadcast and ArithmeticParams. */
    CType squaredDifferenceOpData() { return CType.struct(i8, arithmeticParams()); }

    /** kernels/pad.cc {@code OpData}: kernels/internal/types.h PadParams and the output zero point. */
    CType padOpData() {
        CType padParams = CType.struct(i8, ints(5), i8, ints(5), i8);
        return CType.struct(padParams, i32);
    }

    /** kernels/reduce.h {@code OpDataReduce}: ten 4-byte fields. */
    CType opDataReduce() { return ints(10); }

    /** kernels/quantize.h {@code OpDataQuantizeReference}: QuantizationParams {int32, double} and three ints. */
    CType quantizeOpData() { return CType.struct(CType.struct(i32, dm.i64()), ints(3)); }

    /** kernels/dequantize.h {@code DequantizeOpData}: DequantizationParams {double, int32} and three ints. */
    CType dequantizeOpData() { return CType.struct(CType.struct(dm.i64(), i32), ints(3)); }

    /** kernels/svdf.h {@code OpDataSvdf}: nine ints. */
    CType opDataSvdf() { return ints(9); }

    /**
     * kernels/lstm_shared.h {@code OpDataLSTM}: LstmSizeInfo, CellStateInfo, the cell gate activation, four
     * GateParameters (two FullyConnectedParams each), InterGateParameters (three ArithmeticParams), four buffer
     * indices.
     */
    CType opDataLstm() {
        CType sizeInfo = CType.struct(i8, ints(4));
        CType cellState = CType.struct(i32, i16, i32);
        CType fcParams = CType.struct(ints(9), i8, i8, i8);     // kernels/internal/types.h FullyConnectedParams
        CType gate = CType.struct(fcParams, fcParams);
        CType interGate = CType.struct(arithmeticParams(), arithmeticParams(), arithmeticParams());
        return CType.struct(sizeInfo, cellState, i32, gate, gate, gate, gate, interGate, ints(4));
    }

    /** kernels/logistic.h {@code OpDataLogistic} and kernels/tanh.cc {@code OpData}: four ints. */
    CType fourIntOpData() { return ints(4); }

    /** kernels/leaky_relu.h {@code LeakyReluOpData}: six int32. */
    CType leakyReluOpData() { return ints(6); }

    /** kernels/activations.h {@code ReluOpData}: ReluParams (ActivationParams and four ints). */
    CType reluOpData() { return CType.struct(CType.struct(i8, i32, i32), ints(4)); }

    /** kernels/activations.h {@code Relu6OpData}: the int8 six and zero. */
    CType relu6OpData() { return CType.struct(i8, i8); }

    /** kernels/internal/types.h {@code HardSwishParams}. */
    CType hardSwishOpData() { return CType.struct(i16, i16, i16, i32, i16, i32); }

    /** kernels/internal/types.h {@code PreluParams}: seven 4-byte fields. */
    CType preluOpData() { return ints(7); }

    /** kernels/concatenation.cc {@code OpData}: ConcatenationParams {axis, two pointers, three 4-byte fields}. */
    CType concatenationOpData() { return CType.struct(i32, ptr, ptr, i32, i32, i32); }

    /** kernels/internal/types.h {@code StridedSliceParams}. */
    CType stridedSliceOpData() {
        return CType.struct(i8, ints(5), i8, ints(5), i8, ints(5), i16.times(5), i8);
    }

    /**
     * kernels/transpose_conv.cc {@code OpData}: kernels/internal/types.h ConvParams, two buffer indices and the
     * per-channel multiplier and shift pointers.
     */
    CType transposeConvOpData() {
        CType paddingValues = i16.times(4);
        CType convParams = CType.struct(i8, paddingValues, i16.times(4), ints(9));
        return CType.struct(convParams, i32, i32, ptr, ptr);
    }
}
