package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * SVDF, bit-exact with TFLM's {@code svdf.cc} / {@code svdf_common.cc}: {@code EvalIntegerSvdfReference}
 * (int8 input and feature weights; int16 or int8 time weights and activation state; int32 bias) and
 * {@code EvalFloatSvdfReference}.
 *
 * <p>Inputs: 0 input {batch, input_size}, 1 weights_feature {num_filters, input_size}, 2 weights_time
 * {num_filters, memory_size}, 3 bias {num_units} (optional), 4 activation_state {batch, memory_size * num_filters}
 * (a variable tensor, updated in place: it is the op's memory across invocations).
 */
final class SvdfKernel implements Kernel {
    static final int INPUT = 0, WEIGHTS_FEATURE = 1, WEIGHTS_TIME = 2, BIAS = 3, STATE = 4;

    /**
     * Prepare's requests: integer path {@code batch * num_filters * 4} (the time-matmul result) then
     * {@code batch * num_units * 4} (the reduced output before rescaling); float path {@code batch * num_filters * 4}.
     */
    @Override
    public List<Long> scratchBytes(Graph graph, Op op) {
        // an operator its preparation refuses requests nothing (it never runs; analyze still plans the rest)
        if (!op.hasInput(INPUT) || !op.hasInput(WEIGHTS_FEATURE)) return List.of();
        Tensor input = graph.tensor(op.input(INPUT));
        Tensor weightsFeature = graph.tensor(op.input(WEIGHTS_FEATURE));
        int rank = op.options().getInt("rank", 0);
        if (input.shape().rank() < 1 || weightsFeature.shape().rank() < 1 || rank < 1) return List.of();
        long batch = input.shape().toArray()[0];
        long numFilters = weightsFeature.shape().toArray()[0];
        long numUnits = numFilters / rank;
        if (input.dtype() == DType.INT8) return List.of(batch * numFilters * 4, batch * numUnits * 4);
        return List.of(batch * numFilters * 4);
    }

    /**
     * svdf_common.cc's Prepare: five inputs (the bias may be omitted), an activation state, 2-D input and weights,
     * SVDFOptions with a rank dividing num_filters, the shapes TFLM checks (input size, filters, state of batch x
     * memory x filters, bias and output of units), and the dtype sets of the float and integer kernels.
     */
    @Override
    public void prepare(Preparation p) {
        p.inputs(5, 5);
        p.outputs(1, 1);
        Tensor input = p.input(INPUT), weightsFeature = p.input(WEIGHTS_FEATURE), weightsTime = p.input(WEIGHTS_TIME);
        Tensor bias = p.optionalInput(BIAS), state = p.input(STATE), output = p.output(0);
        p.rank(input, "input", 2, 2);
        p.rank(weightsFeature, "weights_feature", 2, 2);
        p.rank(weightsTime, "weights_time", 2, 2);
        p.require(!p.options().isNone(), "has no SVDFOptions");
        int rank = p.options().getInt("rank");
        long batch = input.shape().dim(0), filters = weightsFeature.shape().dim(0), memory = weightsTime.shape().dim(1);
        p.require(rank > 0 && filters % rank == 0, "num_filters " + filters + " is not a multiple of rank " + rank);
        long units = filters / rank;
        p.require(weightsFeature.shape().dim(1) == input.shape().dim(1), "weights_feature " + weightsFeature.shape() + " does not match input " + input.shape());
        p.require(weightsTime.shape().dim(0) == filters, "weights_time " + weightsTime.shape() + " does not have " + filters + " filters");
        p.require(state.shape().numElements() == batch * memory * filters, "activation state " + state.shape() + " does not hold batch x memory x filters");
        p.require(bias == null || bias.shape().numElements() == units, "bias " + (bias == null ? "" : bias.shape()) + " does not hold " + units + " units");
        p.require(output.shape().numElements() == batch * units, Preparation.name("output", output) + " " + output.shape() + " does not hold batch x units");
        if (weightsFeature.dtype() == DType.FLOAT32) {
            for (Tensor t : new Tensor[] {input, weightsTime, state, output}) p.dtype(t, "operand", DType.FLOAT32);
            if (bias != null) p.dtype(bias, "bias", DType.FLOAT32);
            return;
        }
        p.dtype(weightsFeature, "weights_feature", DType.FLOAT32, DType.INT8);
        p.dtype(input, "input", DType.INT8);
        p.dtype(output, "output", DType.INT8);
        p.dtype(state, "activation state", DType.INT16, DType.INT8);
        p.sameType(weightsTime, "weights_time", state, "activation state");
        if (bias != null) p.dtype(bias, "bias", DType.INT32);
        float inputScale = p.quantized(input, "input").scale(), stateScale = p.quantized(state, "activation state").scale();
        p.multiplier((double) (inputScale * p.quantized(weightsFeature, "weights_feature").scale() / stateScale), "feature");
        p.multiplier((double) (stateScale * p.quantized(weightsTime, "weights_time").scale() / p.quantized(output, "output").scale()), "time");
    }

    @Override
    public void eval(OpContext ctx) {
        View input = ctx.input(INPUT);
        View weightsFeature = ctx.input(WEIGHTS_FEATURE);
        View weightsTime = ctx.input(WEIGHTS_TIME);
        // TFLM's Eval takes the bias only when the node has five inputs and the bias index is not omitted.
        View bias = ctx.inputCount() == 5 ? ctx.input(BIAS) : null;
        View state = ctx.input(STATE);
        View output = ctx.output(0);
        if (state == null) throw ctx.unsupported("SVDF without an activation state tensor");
        if (input.rank() != 2 || weightsFeature.rank() != 2 || weightsTime.rank() != 2) {
            throw ctx.unsupported("SVDF needs 2-D input, weights_feature and weights_time");
        }
        int rank = ctx.op().options().getInt("rank");
        int activation = ctx.op().options().getInt("fusedActivationFunction");
        Sizes s = new Sizes(input.dim(0), input.dim(1), weightsFeature.dim(0), rank, weightsTime.dim(1));
        if (rank <= 0 || s.filters % rank != 0) throw ctx.unsupported("num_filters " + s.filters + " is not a multiple of rank " + rank);

        switch (weightsFeature.dtype()) {
            case FLOAT32 -> {
                if (input.dtype() != DType.FLOAT32 || weightsTime.dtype() != DType.FLOAT32 || state.dtype() != DType.FLOAT32
                        || output.dtype() != DType.FLOAT32 || (bias != null && bias.dtype() != DType.FLOAT32)) {
                    throw ctx.unsupported("float SVDF needs float32 input, weights, bias, state and output");
                }
                evalFloat(s, activation, input, weightsFeature, weightsTime, bias, state, ctx.scratch(0), output);
            }
            case INT8 -> {
                if (input.dtype() != DType.INT8 || output.dtype() != DType.INT8) throw ctx.unsupported("integer SVDF needs int8 input and output");
                if (weightsTime.dtype() != state.dtype() || (state.dtype() != DType.INT16 && state.dtype() != DType.INT8)) {
                    throw ctx.unsupported("integer SVDF needs int16 (or int8) weights_time and activation state of the same type, got "
                            + weightsTime.dtype() + " and " + state.dtype());
                }
                if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("integer SVDF needs an int32 bias, got " + bias.dtype());
                evalInteger(s, input, weightsFeature, weightsTime, bias, state, ctx.scratch(0), ctx.scratch(1), output);
            }
            default -> throw ctx.unsupported("SVDF with " + weightsFeature.dtype() + " weights_feature");
        }
    }

    private record Sizes(int batch, int inputSize, int filters, int rank, int memory) {
        int units() { return filters / rank; }
    }

    /**
     * {@code EvalIntegerSvdfReference<T>}, T = the state type. The fused activation is not applied: the
     * reference integer path ignores it.
     */
    private static void evalInteger(Sizes s, View input, View weightsFeature, View weightsTime, View bias, View state,
                                    View scratch, View scratchOutput, View output) {
        // Prepare: the effective scales are float products and quotients, widened to double only at the end.
        float inputScale = input.scale();
        float stateScale = state.scale();
        double effectiveScale1 = (double) (inputScale * weightsFeature.scale() / stateScale);
        double effectiveScale2 = (double) (stateScale * weightsTime.scale() / output.scale());
        int[] q1 = QuantizedMath.quantizeMultiplier(effectiveScale1);
        int[] q2 = QuantizedMath.quantizeMultiplier(effectiveScale2);
        int inputZp = input.zeroPoint();
        int outputZp = output.zeroPoint();
        int stateZp = state.zeroPoint();
        boolean int16 = state.dtype() == DType.INT16;
        int stateMin = int16 ? -32768 : -128;
        int stateMax = int16 ? 32767 : 127;

        // Left-shift the whole state buffer by one element (rows included: each row's last slot is rewritten below).
        int total = s.batch * s.filters * s.memory;
        for (int i = 0; i + 1 < total; i++) setState(state, int16, i, stateAt(state, int16, i + 1));

        // Feature matmul into the newest slot of every filter row.
        int result = s.memory - 1;
        for (int b = 0; b < s.batch; b++) {
            int w = 0;
            for (int r = 0; r < s.filters; r++) {
                int dot = 0;
                int in = b * s.inputSize;
                for (int c = 0; c < s.inputSize; c++) dot += weightsFeature.i8(w++) * (input.i8(in++) - inputZp);
                dot = QuantizedMath.multiplyByQuantizedMultiplier(dot, q1[0], q1[1]);
                dot = Math.min(Math.max(stateMin, dot), stateMax);
                // TFLM at this commit adds the zero point after the clamp and narrows into T (wrapping), in that order.
                setState(state, int16, result, stateZp + dot);
                result += s.memory;
            }
        }

        // Time: one dot product per filter over its memory.
        for (int b = 0; b < s.batch; b++) {
            int v1 = 0;
            int v2 = b * s.memory * s.filters;
            for (int i = 0; i < s.filters; i++) {
                int acc = 0;
                for (int j = 0; j < s.memory; j++) acc += stateAt(weightsTime, int16, v1++) * (stateAt(state, int16, v2++) - stateZp);
                scratch.setI32(b * s.filters + i, acc);
            }
        }

        // Bias, rank reduction, rescale.
        int units = s.units();
        for (int b = 0; b < s.batch; b++) {
            for (int j = 0; j < units; j++) scratchOutput.setI32(b * units + j, bias != null ? bias.i32(j) : 0);
        }
        for (int b = 0; b < s.batch; b++) {
            int k = b * s.filters;
            for (int i = 0; i < units; i++) {
                int acc = scratchOutput.i32(b * units + i);
                for (int j = 0; j < s.rank; j++) acc += scratch.i32(k++);
                scratchOutput.setI32(b * units + i, acc);
            }
        }
        for (int i = 0; i < s.batch * units; i++) {
            int x = QuantizedMath.multiplyByQuantizedMultiplier(scratchOutput.i32(i), q2[0], q2[1]) + outputZp;
            output.setI8(i, Math.min(Math.max(-128, x), 127));
        }
    }

    private static int stateAt(View v, boolean int16, int i) { return int16 ? v.i16(i) : v.i8(i); }

    private static void setState(View v, boolean int16, int i, int value) {
        if (int16) v.setI16(i, value);
        else v.setI8(i, value);
    }

    /** {@code EvalFloatSvdfReference} and {@code ApplyTimeWeightsBiasAndActivation}, in their loop order. */
    private static void evalFloat(Sizes s, int activation, View input, View weightsFeature, View weightsTime, View bias,
                                  View state, View scratch, View output) {
        int total = s.batch * s.filters * s.memory;
        for (int i = 0; i + 1 < total; i++) state.setF32(i, state.f32(i + 1));

        int result = s.memory - 1;
        for (int b = 0; b < s.batch; b++) {
            int w = 0;
            for (int j = 0; j < s.filters; j++) {
                float dot = 0f;
                int in = b * s.inputSize;
                for (int k = 0; k < s.inputSize; k++) dot += weightsFeature.f32(w++) * input.f32(in++);
                state.setF32(result, dot);
                result += s.memory;
            }
        }

        for (int b = 0; b < s.batch; b++) {
            int v1 = 0;
            int v2 = b * s.memory * s.filters;
            for (int i = 0; i < s.filters; i++) {
                float acc = 0f;
                for (int j = 0; j < s.memory; j++) acc += weightsTime.f32(v1++) * state.f32(v2++);
                scratch.setF32(b * s.filters + i, acc);
            }
        }

        int units = s.units();
        for (int b = 0; b < s.batch; b++) {
            for (int j = 0; j < units; j++) output.setF32(b * units + j, bias != null ? bias.f32(j) : 0f);
        }
        for (int b = 0; b < s.batch; b++) {
            int k = b * s.filters;
            for (int i = 0; i < units; i++) {
                float acc = output.f32(b * units + i);
                for (int j = 0; j < s.rank; j++) acc += scratch.f32(k++);
                output.setF32(b * units + i, acc);
            }
        }
        for (int i = 0; i < s.batch * units; i++) output.setF32(i, activationValFloat(activation, output.f32(i)));
    }

    /**
     * activation_utils.h's {@code ActivationValFloat}. Its {@code TfLiteMax}/{@code TfLiteMin} are
     * {@code std::fmax}/{@code std::fmin} on the host build: a NaN operand yields the other one, and glibc's x86-64
     * {@code maxss}/{@code minss} return the second operand when the two compare equal (so -0 versus +0 too).
     */
    static float activationValFloat(int activation, float a) {
        return switch (activation) {
            case QuantizedMath.ACT_NONE -> a;
            case QuantizedMath.ACT_RELU -> fmax(0f, a);
            case QuantizedMath.ACT_RELU_N1_TO_1 -> fmax(-1f, fmin(a, 1f));
            case QuantizedMath.ACT_RELU6 -> fmax(0f, fmin(a, 6f));
            case QuantizedMath.ACT_TANH -> Libm.tanhf(a);
            case QuantizedMath.ACT_SIGN_BIT -> (Float.floatToRawIntBits(a) < 0) ? 1f : 0f;
            default -> 0f; // the reference returns 0 for an activation it does not know
        };
    }

    private static float fmax(float x, float y) {
        if (Float.isNaN(x)) return y;
        if (Float.isNaN(y)) return x;
        return x > y ? x : y;
    }

    private static float fmin(float x, float y) {
        if (Float.isNaN(x)) return y;
        if (Float.isNaN(y)) return x;
        return x < y ? x : y;
    }
}
