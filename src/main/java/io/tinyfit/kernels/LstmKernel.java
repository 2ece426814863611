package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, bit-exact with TFLM's {@code unidirectional_sequence_lstm.cc} and the "LSTM
 * kernel" of {@code lstm_eval.h} / {@code lstm_eval.cc} / {@code lstm_eval_common.cc}: the standard LSTM without
 * peephole, projection, layer norm or CIFG, in two variants: int8 activations and weights with int32 biases and an
 * int16 cell state (gate pre-activations in Q3.12, gate outputs in Q0.15), and float32 throughout.
 *
 * <p>Each time step computes the forget, input and cell gates ({@code activate(FC(x) + FC(h))}), updates the cell
 * state ({@code f * c + i * g}, optionally clipped), computes the output gate, updates the hidden state
 * ({@code o * tanh(c)}) and copies it to the output. Time-major inputs run all batches per step; batch-major inputs
 * run one batch row at a time, each over all its time steps. The hidden (18) and cell (19) states are variable
 * tensors, updated in place.
 */
final class LstmKernel implements Kernel {
    // Operand indices of lstm_shared.h.
    static final int INPUT = 0;
    static final int INPUT_TO_INPUT_W = 1, INPUT_TO_FORGET_W = 2, INPUT_TO_CELL_W = 3, INPUT_TO_OUTPUT_W = 4;
    static final int RECURRENT_TO_INPUT_W = 5, RECURRENT_TO_FORGET_W = 6, RECURRENT_TO_CELL_W = 7, RECURRENT_TO_OUTPUT_W = 8;
    static final int INPUT_GATE_BIAS = 12, FORGET_GATE_BIAS = 13, CELL_GATE_BIAS = 14, OUTPUT_GATE_BIAS = 15;
    static final int PROJECTION_W = 16, PROJECTION_BIAS = 17;
    static final int HIDDEN_STATE = 18, CELL_STATE = 19;

    /** Q3.12: the scale of every gate's FC output, the input of its sigmoid or tanh. */
    private static final float GATE_INPUT_SCALE = 0.000244140625f;
    /** Q0.15: the scale of every gate's sigmoid or tanh output. */
    private static final float GATE_OUTPUT_SCALE = 0.000030517578125f;
    /** reference logistic.h's cut-offs for float sigmoid. */
    private static final float SIGMOID_CUTOFF_UPPER = 16.619047164916992188f, SIGMOID_CUTOFF_LOWER = -9f;

    /**
     * Prepare requests four scratch buffers, each {@code batch * units * sizeof(cell state type)} bytes (2 for the
     * int16 cell state, 4 for float): the forget, input and cell gate outputs and the recurrent FC's output.
     */
    @Override
    public List<Long> scratchBytes(Graph graph, Op op) {
        // an operator its preparation refuses requests nothing (it never runs; analyze still plans the rest)
        if (!op.hasInput(INPUT) || !op.hasInput(HIDDEN_STATE) || !op.hasInput(CELL_STATE)) return List.of();
        Tensor input = graph.tensor(op.input(INPUT));
        Tensor hidden = graph.tensor(op.input(HIDDEN_STATE));
        Tensor cell = graph.tensor(op.input(CELL_STATE));
        boolean timeMajor = op.options().getBool("timeMajor");
        int[] in = input.shape().toArray();
        int[] h = hidden.shape().toArray();
        if (in.length != 3 || h.length < 2) return List.of();
        long bytes = (long) (timeMajor ? in[1] : in[0]) * h[1] * cell.dtype().bytes();
        return List.of(bytes, bytes, bytes, bytes);
    }

    /**
     * unidirectional_sequence_lstm.cc's Prepare for the standard LSTM tinyfit runs: the operands that must be
     * present or absent, options with a TANH cell activation, 3-D input and output, state tensors of batch x units,
     * gate weights and biases of units x input size, units x units and units, and the dtype sets of the integer
     * (int8 activations, int16 cell state, per-tensor int8 weights, int32 biases) and float kernels.
     */
    @Override
    public void prepare(Preparation p) {
        p.inputs(20, 24);
        p.outputs(1, 1);
        checkOperands(p);
        p.require(!p.options().isNone(), "has no UnidirectionalSequenceLSTMOptions");
        int activation = p.options().getInt("fusedActivationFunction");
        if (activation != QuantizedMath.ACT_TANH) throw p.unsupported("cell gate activation " + activation + " (only TANH is supported)");
        Tensor input = p.input(INPUT), hidden = p.input(HIDDEN_STATE), cell = p.input(CELL_STATE), output = p.output(0);
        p.rank(input, "input", 3, 3);
        p.rank(output, "output", 3, 3);
        p.rank(hidden, "hidden state", 2, 6);
        int[] in = input.shape().toArray();
        boolean timeMajor = p.options().getBool("timeMajor");
        long batch = timeMajor ? in[1] : in[0], time = timeMajor ? in[0] : in[1], inputSize = in[2], units = hidden.shape().dim(1);
        p.require(hidden.shape().numElements() == batch * units && cell.shape().numElements() == batch * units,
                "state tensors do not hold batch x units = " + batch + " x " + units + " elements");
        p.require(output.shape().numElements() == batch * time * units, Preparation.name("output", output) + " " + output.shape() + " does not hold " + time + " steps of " + batch + " x " + units);
        boolean integer = input.dtype() == DType.INT8 && cell.dtype() == DType.INT16;
        if (!integer && !(input.dtype() == DType.FLOAT32 && cell.dtype() == DType.FLOAT32)) {
            throw p.unsupported("LSTM with " + input.dtype() + " activations and a " + cell.dtype() + " cell state (supported: int8 with int16 cell state, float32)");
        }
        DType weights = integer ? DType.INT8 : DType.FLOAT32, biases = integer ? DType.INT32 : DType.FLOAT32;
        int[][] gateOperands = {{INPUT_TO_FORGET_W, RECURRENT_TO_FORGET_W, FORGET_GATE_BIAS}, {INPUT_TO_INPUT_W, RECURRENT_TO_INPUT_W, INPUT_GATE_BIAS},
                {INPUT_TO_CELL_W, RECURRENT_TO_CELL_W, CELL_GATE_BIAS}, {INPUT_TO_OUTPUT_W, RECURRENT_TO_OUTPUT_W, OUTPUT_GATE_BIAS}};
        for (int[] g : gateOperands) {
            Tensor w = p.input(g[0]), r = p.input(g[1]), b = p.input(g[2]);
            p.require(java.util.Arrays.equals(w.shape().toArray(), new int[] {(int) units, (int) inputSize})
                    && java.util.Arrays.equals(r.shape().toArray(), new int[] {(int) units, (int) units}) && b.shape().numElements() == units,
                    "weight or bias shapes do not match units " + units + " and input size " + inputSize);
            p.dtype(w, "input weights", weights);
            p.dtype(r, "recurrent weights", weights);
            p.dtype(b, "gate bias", biases);
            if (integer) {
                p.perTensor(w, "input weights");
                p.perTensor(r, "recurrent weights");
            }
        }
        p.dtype(hidden, "hidden state", integer ? DType.INT8 : DType.FLOAT32);
        p.dtype(output, "output", integer ? DType.INT8 : DType.FLOAT32);
        if (integer) {
            for (Tensor t : new Tensor[] {input, hidden, cell}) p.perTensor(t, "input, state");
        }
    }

    /**
     * The operands the standard LSTM kernel needs present (all eight weights, the gate biases, both states) and
     * those of the variants it does not implement absent (peepholes, projection, layer normalisation).
     */
    private static void checkOperands(Refusals r) {
        Op op = r.op();
        for (int i = 1; i <= 8; i++) {
            if (!op.hasInput(i)) {
                throw r.unsupported(i == INPUT_TO_INPUT_W || i == RECURRENT_TO_INPUT_W
                        ? "CIFG (coupled input and forget gate) LSTM is not supported" : "LSTM weight operand " + i + " is missing");
            }
        }
        for (int i = 9; i <= 11; i++) if (op.hasInput(i)) throw r.unsupported("peephole connections are not supported");
        for (int i = PROJECTION_W; i <= PROJECTION_BIAS; i++) if (op.hasInput(i)) throw r.unsupported("projection is not supported");
        for (int i = 20; i <= 23; i++) if (op.hasInput(i)) throw r.unsupported("layer normalisation is not supported");
        for (int i = INPUT_GATE_BIAS; i <= OUTPUT_GATE_BIAS; i++) if (!op.hasInput(i)) throw r.invalid("LSTM gate bias operand " + i + " is missing");
        if (!op.hasInput(HIDDEN_STATE) || !op.hasInput(CELL_STATE)) throw r.invalid("LSTM without hidden or cell state tensors");
    }

    @Override
    public void eval(OpContext ctx) {
        Op op = ctx.op();
        checkOperands(ctx);
        int activation = op.options().getInt("fusedActivationFunction");
        // TFLM's gate switch handles sigmoid and tanh only, and the schema cannot express sigmoid.
        if (activation != QuantizedMath.ACT_TANH) throw ctx.unsupported("cell gate activation " + activation + " (only TANH is supported)");

        View input = ctx.input(INPUT);
        View hidden = ctx.input(HIDDEN_STATE);
        View cell = ctx.input(CELL_STATE);
        View output = ctx.output(0);
        if (input.rank() != 3 || output.rank() != 3) throw ctx.unsupported("LSTM needs 3-D input and output");
        if (hidden.rank() < 2) throw ctx.unsupported("LSTM needs a 2-D hidden state");
        boolean timeMajor = op.options().getBool("timeMajor");
        Sizes s = new Sizes(timeMajor, timeMajor ? input.dim(1) : input.dim(0), timeMajor ? input.dim(0) : input.dim(1),
                input.dim(2), hidden.dim(1));
        if (hidden.elements() != s.batch * s.units || cell.elements() != s.batch * s.units) {
            throw ctx.unsupported("state tensors do not hold batch x units elements");
        }
        float cellClip = op.options().getFloat("cellClip");

        Gate[] gates = {
            new Gate(ctx.input(INPUT_TO_FORGET_W), ctx.input(RECURRENT_TO_FORGET_W), ctx.input(FORGET_GATE_BIAS)),
            new Gate(ctx.input(INPUT_TO_INPUT_W), ctx.input(RECURRENT_TO_INPUT_W), ctx.input(INPUT_GATE_BIAS)),
            new Gate(ctx.input(INPUT_TO_CELL_W), ctx.input(RECURRENT_TO_CELL_W), ctx.input(CELL_GATE_BIAS)),
            new Gate(ctx.input(INPUT_TO_OUTPUT_W), ctx.input(RECURRENT_TO_OUTPUT_W), ctx.input(OUTPUT_GATE_BIAS)),
        };
        for (Gate g : gates) {
            if (g.inputWeights.rank() != 2 || g.inputWeights.dim(0) != s.units || g.inputWeights.dim(1) != s.inputSize
                    || g.recurrentWeights.rank() != 2 || g.recurrentWeights.dim(0) != s.units || g.recurrentWeights.dim(1) != s.units
                    || g.bias.elements() != s.units) {
                throw ctx.unsupported("weight or bias shapes do not match units " + s.units + " and input size " + s.inputSize);
            }
        }
        View[] buffers = {ctx.scratch(0), ctx.scratch(1), ctx.scratch(2), ctx.scratch(3)};

        DType act = input.dtype();
        if (act == DType.INT8 && cell.dtype() == DType.INT16) {
            for (Gate g : gates) {
                if (g.inputWeights.dtype() != DType.INT8 || g.recurrentWeights.dtype() != DType.INT8 || g.bias.dtype() != DType.INT32) {
                    throw ctx.unsupported("integer LSTM needs int8 weights and int32 biases");
                }
                if (g.inputWeights.quant().isPerChannel() || g.recurrentWeights.quant().isPerChannel()) {
                    throw ctx.unsupported("per-channel LSTM weights are not supported (TFLM's gate FCs are per-tensor)");
                }
            }
            if (hidden.dtype() != DType.INT8 || output.dtype() != DType.INT8) throw ctx.unsupported("integer LSTM needs int8 hidden state and output");
            new IntegerLstm(s, input, hidden, cell, output, gates, buffers, cellClip).run();
        } else if (act == DType.FLOAT32 && cell.dtype() == DType.FLOAT32) {
            for (Gate g : gates) {
                if (g.inputWeights.dtype() != DType.FLOAT32 || g.recurrentWeights.dtype() != DType.FLOAT32 || g.bias.dtype() != DType.FLOAT32) {
                    throw ctx.unsupported("float LSTM needs float32 weights and biases");
                }
            }
            if (hidden.dtype() != DType.FLOAT32 || output.dtype() != DType.FLOAT32) throw ctx.unsupported("float LSTM needs float32 hidden state and output");
            new FloatLstm(s, input, hidden, cell, output, gates, buffers, cellClip).run();
        } else {
            throw ctx.unsupported("LSTM with " + act + " activations and a " + cell.dtype()
                    + " cell state (supported: int8 with int16 cell state, float32)");
        }
    }

    /** TFLM's {@code LstmSizeInfo}. */
    private record Sizes(boolean timeMajor, int batch, int timeSteps, int inputSize, int units) {}

    private record Gate(View inputWeights, View recurrentWeights, View bias) {}

    /**
     * {@code EvalLstm}'s step schedule (TFLM's {@code LstmStepManager}): per step, the rows of input, output and
     * state it covers. Implementations compute one {@code LstmStep}.
     */
    private abstract static class Stepper {
        final Sizes s;

        Stepper(Sizes s) { this.s = s; }

        /** One step over {@code rows} rows starting at the given element offsets. */
        abstract void step(int rows, int inputOffset, int outputOffset, int stateOffset);

        final void run() {
            if (s.timeMajor) {
                for (int t = 0; t < s.timeSteps; t++) step(s.batch, t * s.batch * s.inputSize, t * s.batch * s.units, 0);
            } else {
                for (int b = 0; b < s.batch; b++) {
                    for (int t = 0; t < s.timeSteps; t++) {
                        int row = b * s.timeSteps + t;
                        step(1, row * s.inputSize, row * s.units, b * s.units);
                    }
                }
            }
        }
    }

    /** The int8 x int8 -> int16 cell LSTM ({@code EvalLstm<int8_t, int8_t, int16_t, int32_t>}). */
    private static final class IntegerLstm extends Stepper {
        private final View input, hidden, cell, output;
        private final Gate[] gates;
        private final View[] buf;
        private final int inputZp, hiddenZp;
        // Per gate (forget, input, cell, output): input FC and recurrent FC multipliers and shifts.
        private final int[][] inputFc = new int[4][], recurrentFc = new int[4][];
        private final int[] forgetCellMul, inputMul, outputMul;
        private final int hiddenMin = -128, hiddenMax = 127;
        private final boolean clip;
        private final int quantizedCellClip;
        private final int tanhMultiplier, tanhShift;

        IntegerLstm(Sizes s, View input, View hidden, View cell, View output, Gate[] gates, View[] buf, float cellClip) {
            super(s);
            this.input = input;
            this.hidden = hidden;
            this.cell = cell;
            this.output = output;
            this.gates = gates;
            this.buf = buf;
            this.inputZp = input.zeroPoint();
            this.hiddenZp = hidden.zeroPoint();
            // CreateGateParams: GetQuantizedConvolutionMultipler multiplies the two scales in float, then divides in double.
            for (int g = 0; g < 4; g++) {
                inputFc[g] = QuantizedMath.quantizeMultiplier(
                        (double) (input.scale() * gates[g].inputWeights.scale()) / (double) GATE_INPUT_SCALE);
                recurrentFc[g] = QuantizedMath.quantizeMultiplier(
                        (double) (hidden.scale() * gates[g].recurrentWeights.scale()) / (double) GATE_INPUT_SCALE);
            }
            float cellScale = cell.scale();
            // CreateInterGateMulParams: product of the input scales in double, divided by the output scale.
            forgetCellMul = QuantizedMath.quantizeMultiplier((double) GATE_OUTPUT_SCALE * (double) cellScale / (double) cellScale);
            inputMul = QuantizedMath.quantizeMultiplier((double) GATE_OUTPUT_SCALE * (double) GATE_OUTPUT_SCALE / (double) cellScale);
            outputMul = QuantizedMath.quantizeMultiplier((double) GATE_OUTPUT_SCALE * (double) GATE_OUTPUT_SCALE / (double) hidden.scale());
            // CreateLstmCellStateInfo.
            clip = cellClip > 0f;
            quantizedCellClip = (short) (long) Math.min(Math.max((double) cellClip / (double) cellScale, -32768.0), 32767.0);
            int power = checkedLog2(cellScale);
            // lstm_internal::Tanh: the cell state in Q(15 + power) is brought to the Q3.12 the LUT expects.
            int leftShift = (15 + power) - 3;
            int multiplier = 0;
            if (leftShift < 0) {
                leftShift = -leftShift;
                multiplier = 3;
            }
            tanhMultiplier = multiplier;
            tanhShift = leftShift;
        }

        @Override
        void step(int rows, int inputOffset, int outputOffset, int stateOffset) {
            int n = rows * s.units;
            View forgetOut = buf[0], inputOut = buf[1], cellOut = buf[2], internal = buf[3];
            gate(0, rows, inputOffset, stateOffset, forgetOut, internal, false);
            gate(1, rows, inputOffset, stateOffset, inputOut, internal, false);
            gate(2, rows, inputOffset, stateOffset, cellOut, internal, true);

            // UpdateLstmCell: c = f * c; i = i * g (into the input gate's buffer); c = sat(c + i); clip.
            for (int i = 0; i < n; i++) cell.setI16(stateOffset + i, mul(forgetOut.i16(i), cell.i16(stateOffset + i), forgetCellMul, 0, -32768, 32767));
            for (int i = 0; i < n; i++) inputOut.setI16(i, mul(inputOut.i16(i), cellOut.i16(i), inputMul, 0, -32768, 32767));
            for (int i = 0; i < n; i++) cell.setI16(stateOffset + i, saturate16(cell.i16(stateOffset + i) + inputOut.i16(i)));
            if (clip) {
                for (int i = 0; i < n; i++) {
                    int v = cell.i16(stateOffset + i);
                    cell.setI16(stateOffset + i, Math.max(Math.min(quantizedCellClip, v), (short) -quantizedCellClip));
                }
            }

            // Output gate into the input gate's buffer, then h = o * tanh(c) with tanh(c) in the forget gate's buffer.
            View outputGate = buf[1], tanhCell = buf[0];
            gate(3, rows, inputOffset, stateOffset, outputGate, internal, false);
            for (int i = 0; i < n; i++) tanhCell.setI16(i, QuantizedMath.tanhInt16(cell.i16(stateOffset + i), tanhMultiplier, tanhShift));
            for (int i = 0; i < n; i++) hidden.setI8(stateOffset + i, mul(tanhCell.i16(i), outputGate.i16(i), outputMul, hiddenZp, hiddenMin, hiddenMax));
            for (int i = 0; i < n; i++) output.setI8(outputOffset + i, hidden.i8(stateOffset + i));
        }

        /** CalculateLstmGate: FC(input) + bias into {@code out}, FC(hidden) into {@code internal}, saturating add, activation. */
        private void gate(int g, int rows, int inputOffset, int stateOffset, View out, View internal, boolean tanh) {
            Gate gate = gates[g];
            fc(input, inputOffset, -inputZp, s.inputSize, gate.inputWeights, gate.bias, inputFc[g], rows, out);
            fc(hidden, stateOffset, -hiddenZp, s.units, gate.recurrentWeights, null, recurrentFc[g], rows, internal);
            int n = rows * s.units;
            for (int i = 0; i < n; i++) out.setI16(i, saturate16(out.i16(i) + internal.i16(i)));
            // Sigmoid: Logistic(0, 0) on the Q3.12 values; tanh: lstm_internal::Tanh with scale power -12, i.e. shift 0.
            for (int i = 0; i < n; i++) {
                int x = out.i16(i);
                out.setI16(i, tanh ? QuantizedMath.tanhInt16(x, 0, 0) : QuantizedMath.logisticInt16(x, 0, 0));
            }
        }

        /** reference_integer_ops::FullyConnected, int8 x int8 -> int16 with int32 accumulation and bias. */
        private void fc(View x, int xOffset, int xOff, int depth, View w, View bias, int[] q, int rows, View out) {
            int wOff = -w.zeroPoint();
            for (int b = 0; b < rows; b++) {
                for (int o = 0; o < s.units; o++) {
                    int acc = 0;
                    for (int d = 0; d < depth; d++) acc += (w.i8(o * depth + d) + wOff) * (x.i8(xOffset + b * depth + d) + xOff);
                    if (bias != null) acc += bias.i32(o);
                    acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, q[0], q[1]);
                    out.setI16(b * s.units + o, Math.min(Math.max(acc, -32768), 32767));
                }
            }
        }

        /** reference_integer_ops::MulElementwise with symmetric inputs. */
        private static int mul(int a, int b, int[] q, int outputOffset, int min, int max) {
            int r = outputOffset + QuantizedMath.multiplyByQuantizedMultiplier(a * b, q[0], q[1]);
            return Math.min(max, Math.max(min, r));
        }

        private static int saturate16(int v) { return Math.min(32767, Math.max(-32768, v)); }
    }

    /**
     * quantization_util's {@code CheckedLog2}: {@code round(log(x) * (1 / log(2)))} in float. TFLM's LSTM Prepare
     * uses the rounded value whether or not the scale is an exact power of two.
     */
    static int checkedLog2(float x) {
        float log2 = Libm.logf(x) * (1.0f / Libm.logf(2.0f));
        return (int) QuantizedMath.round(log2);
    }

    /** The float32 LSTM ({@code EvalLstm<float, float, float, float>}). */
    private static final class FloatLstm extends Stepper {
        private final View input, hidden, cell, output;
        private final Gate[] gates;
        private final View[] buf;
        private final float cellClip;

        FloatLstm(Sizes s, View input, View hidden, View cell, View output, Gate[] gates, View[] buf, float cellClip) {
            super(s);
            this.input = input;
            this.hidden = hidden;
            this.cell = cell;
            this.output = output;
            this.gates = gates;
            this.buf = buf;
            this.cellClip = cellClip;
        }

        @Override
        void step(int rows, int inputOffset, int outputOffset, int stateOffset) {
            int n = rows * s.units;
            View forgetOut = buf[0], inputOut = buf[1], cellOut = buf[2], internal = buf[3];
            gate(0, rows, inputOffset, stateOffset, forgetOut, internal, false);
            gate(1, rows, inputOffset, stateOffset, inputOut, internal, false);
            gate(2, rows, inputOffset, stateOffset, cellOut, internal, true);

            for (int i = 0; i < n; i++) cell.setF32(stateOffset + i, mul(forgetOut.f32(i), cell.f32(stateOffset + i)));
            for (int i = 0; i < n; i++) inputOut.setF32(i, mul(inputOut.f32(i), cellOut.f32(i)));
            for (int i = 0; i < n; i++) cell.setF32(stateOffset + i, cell.f32(stateOffset + i) + inputOut.f32(i));
            if (cellClip > 0f) {
                for (int i = 0; i < n; i++) {
                    // std::max(std::min(clip, v), -clip)
                    float v = cell.f32(stateOffset + i);
                    float m = v < cellClip ? v : cellClip;
                    cell.setF32(stateOffset + i, m < -cellClip ? -cellClip : m);
                }
            }

            View outputGate = buf[1], tanhCell = buf[0];
            gate(3, rows, inputOffset, stateOffset, outputGate, internal, false);
            for (int i = 0; i < n; i++) tanhCell.setF32(i, Libm.tanhf(cell.f32(stateOffset + i)));
            for (int i = 0; i < n; i++) hidden.setF32(stateOffset + i, mul(tanhCell.f32(i), outputGate.f32(i)));
            for (int i = 0; i < n; i++) output.setF32(outputOffset + i, hidden.f32(stateOffset + i));
        }

        private void gate(int g, int rows, int inputOffset, int stateOffset, View out, View internal, boolean tanh) {
            Gate gate = gates[g];
            fc(input, inputOffset, s.inputSize, gate.inputWeights, gate.bias, rows, out);
            fc(hidden, stateOffset, s.units, gate.recurrentWeights, null, rows, internal);
            int n = rows * s.units;
            for (int i = 0; i < n; i++) out.setF32(i, out.f32(i) + internal.f32(i));
            for (int i = 0; i < n; i++) {
                float x = out.f32(i);
                out.setF32(i, tanh ? Libm.tanhf(x) : sigmoid(x));
            }
        }

        /** reference_ops::FullyConnected on floats, activation NONE (a clamp to the finite float range). */
        private void fc(View x, int xOffset, int depth, View w, View bias, int rows, View out) {
            for (int b = 0; b < rows; b++) {
                for (int o = 0; o < s.units; o++) {
                    float total = 0f;
                    for (int d = 0; d < depth; d++) total += x.f32(xOffset + b * depth + d) * w.f32(o * depth + d);
                    float biasValue = bias != null ? bias.f32(o) : 0f;
                    out.setF32(b * s.units + o, clampFinite(total + biasValue));
                }
            }
        }

        /** reference_ops::Mul on floats, activation NONE. */
        private static float mul(float a, float b) { return clampFinite(a * b); }

        /** ActivationFunctionWithMinMax(x, lowest, max): std::min(std::max(x, lo), hi). */
        private static float clampFinite(float x) {
            float lo = x < -Float.MAX_VALUE ? -Float.MAX_VALUE : x;
            return Float.MAX_VALUE < lo ? Float.MAX_VALUE : lo;
        }

        /** reference_ops::Logistic on floats. */
        private static float sigmoid(float x) {
            if (x > SIGMOID_CUTOFF_UPPER) return 1f;
            if (x < SIGMOID_CUTOFF_LOWER) return Libm.expf(x);
            return 1f / (1f + Libm.expf(-x));
        }
    }
}
