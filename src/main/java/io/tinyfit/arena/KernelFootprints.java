package io.tinyfit.arena;

import io.tinyfit.arena.KernelFootprint.Persistent;
import io.tinyfit.arena.KernelFootprint.PrepareStep;
import io.tinyfit.arena.KernelFootprint.TempTensor;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each reference kernel's arena footprint, read from its TFLM source (file named per case, the golden commit's
 * version where the index stores it): the parser's options struct, {@code Init}'s OpData, and {@code Prepare}'s
 * temporary tensors and persistent buffers in the order the code makes them. Scratch requests come from the
 * kernels' own {@link io.tinyfit.kernels.Kernel#scratchBytes}, which the planned head already uses.
 */
final class KernelFootprints {
    private final KernelStructs s;
    private final KernelTarget target;

    KernelFootprints(DataModel dm) { this(dm, KernelTarget.REFERENCE); }

    /** The footprints of a build with {@code target}'s kernels: their scratch requests, and their OpData where known. */
    KernelFootprints(DataModel dm, KernelTarget target) {
        this.s = new KernelStructs(dm);
        this.target = target;
    }

    /** The footprint of an operator of {@code g}'s main subgraph, empty for a kind not modelled. */
    Optional<KernelFootprint> of(Graph g, Op op) {
        Prepare p = new Prepare(g, op);
        CType params;
        CType opData;
        switch (op.kind()) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                // conv_common.cc ConvPrepare / depthwise_conv_common.cc DepthwiseConvPrepare: output, input and
                // filter, the per-channel multiplier and shift arrays, then CalculateOpData's own four temps.
                boolean conv = op.kind().equals("CONV_2D");
                params = conv ? s.convParams() : s.depthwiseConvParams();
                opData = s.opDataConv();
                int channels = conv ? p.dim(1, 0) : p.dimFromEnd(1, 1);
                p.out(0).in(0).in(1).persistent(4L * channels).persistent(4L * channels).in(0).in(1).in(2).out(0);
            }
            case "TRANSPOSE_CONV" -> {
                // transpose_conv.cc Prepare: output, input (2), filter (1), per-channel arrays; CalculateOpData
                // takes input, filter, bias (3) and output again for quantized types.
                params = s.transposeConvParams();
                opData = s.transposeConvOpData();
                int channels = p.dim(1, 0);
                p.out(0).in(2).in(1).persistent(4L * channels).persistent(4L * channels);
                if (p.type(2) != DType.FLOAT32) p.in(2).in(1).in(3).out(0);
            }
            case "FULLY_CONNECTED" -> {
                // fully_connected.cc Prepare: input, filter, bias, output; fully_connected_common.cc adds the
                // per-channel arrays when the filter has more than one scale.
                params = s.fullyConnectedParams();
                opData = s.opDataFullyConnected();
                p.in(0).in(1).in(2).out(0);
                if (p.type(0) != DType.FLOAT32) p.perChannelArrays(1);
            }
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> {
                // unidirectional_sequence_lstm.cc: LstmTensors takes all 24 inputs and the output; for an int16
                // cell state each gate's two CalculateOpDataFullyConnected calls may add per-channel arrays.
                params = s.sequenceLstmParams();
                opData = s.opDataLstm();
                for (int i = 0; i < 24; i++) p.in(i);
                p.out(0);
                if (p.type(19) == DType.INT16) {
                    for (int[] gate : new int[][] {{2, 6}, {1, 5}, {3, 7}, {4, 8}}) p.perChannelArrays(gate[0]).perChannelArrays(gate[1]);
                }
            }
            case "SVDF" -> {
                params = s.svdfParams();
                opData = s.opDataSvdf();
                p.in(0).in(1).in(2).in(3).in(4).out(0);                      // svdf_common.cc PrepareSvdf
            }
            case "SOFTMAX" -> {
                params = s.softmaxParams();
                opData = s.softmaxOpData();
                p.in(0).out(0);                                              // softmax_common.cc SoftmaxPrepare
                if (p.type(0) == DType.INT16) p.persistent(2 * 513).persistent(2 * 513);   // the two int16 LUTs
            }
            case "LOG_SOFTMAX" -> {
                // log_softmax.cc: no Init; Prepare allocates the OpData itself, for int8 only, after its temps
                params = null;
                opData = null;
                p.in(0).out(0);
                if (p.type(0) == DType.INT8) p.persistent(s.logSoftmaxOpData().size());
            }
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> {
                params = s.poolParams();
                opData = s.opDataPooling();
                p.in(0).out(0);                                              // pooling_common.cc PoolingPrepare
            }
            case "ADD", "SUB" -> {
                // The measured single-operator SUB arenas hold no TfLiteSubParams: at the golden commit its parser
                // allocates none (inferred from the opsuite figures, 8 bytes fewer than ADD's; not read in source).
                params = op.kind().equals("ADD") ? s.activationAndFlagParams() : null;
                opData = s.opDataAddSub();
                p.in(0).in(1).out(0);                                        // add_common.cc / sub_common.cc
            }
            case "MUL" -> { params = s.mulParams(); opData = s.opDataMul(); p.in(0).in(1).out(0); }
            case "SQUARED_DIFFERENCE" -> { params = null; opData = s.squaredDifferenceOpData(); p.in(0).in(1).out(0); }
            case "PRELU" -> { params = null; opData = s.preluOpData(); p.in(0).in(1).out(0); }
            case "MAXIMUM", "MINIMUM" -> { params = null; opData = null; }   // maximum_minimum.cc: Eval only
            case "PAD", "PADV2" -> {
                params = null;
                opData = s.padOpData();
                p.in(0).in(1);                                               // pad_common.cc PadPrepare
                if (op.inputs().size() == 3) p.in(2);
                p.out(0);
            }
            case "MEAN", "SUM" -> {
                // reduce_common.cc PrepareMeanOrSumHelper: input, output, axis; then PrepareSimple: input, axis
                // and, for int8, the output.
                params = s.reducerParams();
                opData = s.opDataReduce();
                p.in(0).out(0).in(1).in(0).in(1);
                if (p.type(0) == DType.INT8) p.out(0);
            }
            case "RESHAPE" -> {
                params = s.reshapeParams();
                opData = null;
                p.in(0).out(0);                                              // reshape_common.cc ReshapeOutput
                // a -1 dimension is resolved into a persistent copy of the dims (CreateWritableTensorDimsWithCopy)
                if (p.outputTensor().shape().isDynamic()) p.persistent(4 + 4L * p.outputTensor().shape().rank());
            }
            case "SQUEEZE" -> { params = s.squeezeParams(); opData = null; p.in(0).out(0); }
            case "EXPAND_DIMS" -> { params = null; opData = null; p.in(0).in(1).out(0); }
            case "TRANSPOSE" -> { params = null; opData = null; p.in(0).in(1).out(0); }   // transpose.h TransposeContext
            case "QUANTIZE" -> { params = null; opData = s.quantizeOpData(); p.in(0).out(0); }
            case "DEQUANTIZE" -> { params = null; opData = s.dequantizeOpData(); p.in(0).out(0); }
            case "LOGISTIC" -> { params = null; opData = s.fourIntOpData(); p.in(0).out(0); }   // logistic_common.cc
            case "TANH" -> { params = null; opData = s.fourIntOpData(); p.in(0).in(0).out(0); }   // tanh.cc: Prepare, then CalculateArithmeticOpData
            case "LEAKY_RELU" -> { params = s.oneEnumParams(); opData = s.leakyReluOpData(); p.in(0).out(0); }
            case "RELU" -> { params = null; opData = s.reluOpData(); p.in(0).out(0); }
            case "RELU6" -> { params = null; opData = s.relu6OpData(); p.in(0); }   // activations_common.cc Relu6Prepare: the input only
            case "HARD_SWISH" -> { params = null; opData = s.hardSwishOpData(); p.in(0).out(0); }
            case "CONCATENATION" -> {
                // concatenation.cc ConcatenationPrepare: input 0 and the output, then every input once more
                params = s.concatenationParams();
                opData = s.concatenationOpData();
                p.in(0).out(0);
                for (int i = 0; i < op.inputs().size(); i++) p.in(i);
            }
            case "PACK", "UNPACK" -> { params = s.twoIntParams(); opData = null; }        // Eval only
            case "ARG_MAX", "ARG_MIN" -> { params = s.oneEnumParams(); opData = null; }   // Eval only
            case "SHAPE" -> { params = s.oneEnumParams(); opData = null; }                // Prepare checks counts only
            case "STRIDED_SLICE" -> {
                params = s.stridedSliceParams();
                opData = s.stridedSliceOpData();
                p.in(0).in(1).in(2).in(3).out(0);                            // strided_slice_common.cc context
            }
            case "SLICE" -> { params = null; opData = null; p.in(0).in(1).in(2).out(0); }
            case "SPLIT" -> { params = s.oneEnumParams(); opData = null; p.in(0); }        // the axis operand
            case "SPLIT_V" -> { params = s.oneEnumParams(); opData = null; p.in(2); }
            case "GATHER" -> {
                // gather.cc GatherPrepare: input, positions, output, then the output dims copied to the tail
                // (CreateWritableTensorDimsWithCopy) because Prepare rewrites them
                params = s.twoIntParams();
                opData = null;
                p.in(0).in(1).out(0).persistent(4 + 4L * p.outputTensor().shape().rank());
            }
            case "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR" -> { params = s.resizeParams(); opData = null; p.in(0).in(1).out(0); }
            case "CUSTOM(TFLite_Detection_PostProcess)" -> {
                // detection_postprocess.cc: custom operators get no parsed options; Init allocates the OpData, Prepare
                // takes the three inputs as temporaries (and requests its eleven scratch buffers)
                params = null;
                opData = s.detectionPostprocessOpData();
                p.in(0).in(1).in(2);
            }
            default -> { return Optional.empty(); }
        }
        int scratch = target.isReference() ? KernelRegistry.find(op.kind()).map(k -> k.scratchBytes(g, op).size()).orElse(0)
                : target.scratchBytes(g, op).size();
        // cmsis_nn/conv.cc, cmsis_nn/depthwise_conv.cc and esp_nn/conv.cc, esp_nn/depthwise_conv.cc: Init allocates
        // the reference OpDataConv followed by an int buffer_idx; other replaced kernels keep the reference figure
        if (!target.isReference() && target.replaces(op) && opData != null && (op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D"))) {
            opData = CType.struct(opData, new CType(4, 4));
        }
        return Optional.of(new KernelFootprint(params, opData, p.steps, scratch));
    }

    /** Collects a Prepare's steps; operand indices that are absent or -1 allocate nothing, as in TFLM. */
    private static final class Prepare {
        private final Graph g;
        private final Op op;
        private final List<PrepareStep> steps = new ArrayList<>();

        Prepare(Graph g, Op op) {
            this.g = g;
            this.op = op;
        }

        Prepare in(int i) {
            if (op.hasInput(i)) steps.add(new TempTensor(op.input(i)));
            return this;
        }

        Prepare out(int i) {
            if (i < op.outputs().size()) steps.add(new TempTensor(op.output(i)));
            return this;
        }

        Prepare persistent(long bytes) {
            steps.add(new Persistent(bytes));
            return this;
        }

        /** CalculateOpDataFullyConnected: a filter quantised per channel keeps a multiplier and a shift per channel. */
        Prepare perChannelArrays(int filterInput) {
            if (!op.hasInput(filterInput)) return this;
            int channels = g.tensor(op.input(filterInput)).quant().channels();
            if (channels > 1) persistent(4L * channels).persistent(4L * channels);
            return this;
        }

        DType type(int input) { return op.hasInput(input) ? g.tensor(op.input(input)).dtype() : null; }

        int dim(int input, int d) { return g.tensor(op.input(input)).shape().dim(d); }

        int dimFromEnd(int input, int d) { return g.tensor(op.input(input)).shape().fromEnd(d); }

        Tensor outputTensor() { return g.tensor(op.output(0)); }
    }
}
