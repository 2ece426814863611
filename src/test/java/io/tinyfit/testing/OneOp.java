package io.tinyfit.testing;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Builds a model of one operator in code: activations, constants, variable state tensors, several outputs. */
public final class OneOp {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ConstData> buffers = new ArrayList<>(List.of(ConstData.EMPTY));
    private final List<Integer> graphInputs = new ArrayList<>();

    public int input(DType t, int[] shape, Quantization q) {
        int id = add(t, shape, q, 0, null, false);
        graphInputs.add(id);
        return id;
    }

    public int output(DType t, int[] shape, Quantization q) { return add(t, shape, q, 0, null, false); }

    /** A variable (state) tensor, as LSTM's and SVDF's; the harness resets it, it is not an arena operand. */
    public int variable(DType t, int[] shape, Quantization q) { return add(t, shape, q, 0, null, true); }

    public int constant(DType t, int[] shape, Quantization q, byte[] data) {
        buffers.add(ConstData.copyOf(data));
        return add(t, shape, q, buffers.size() - 1, ConstData.copyOf(data), false);
    }

    public int ints(int... values) { return constant(DType.INT32, new int[] {values.length}, null, LittleEndian.i32(values)); }

    private int add(DType t, int[] shape, Quantization q, int buffer, ConstData data, boolean variable) {
        int id = tensors.size();
        tensors.add(new Tensor(id, "t" + id, t, Shape.of(shape), null, q, buffer, data, variable, true));
        return id;
    }

    public Graph build(String kind, Options options, List<Integer> inputs, List<Integer> outputs) {
        Op op = new Op(0, kind, inputs, outputs, options);
        Subgraph main = new Subgraph("main", tensors, List.of(op), graphInputs, outputs);
        return new Graph("dmo:" + kind, 3, "", List.of(OpCode.builtin(0, 1)), List.of(main), buffers, List.of(), List.of(), List.of());
    }

    /** The model of one custom operator {@code CUSTOM(code)} with FlexBuffer {@code customOptions}. */
    public Graph buildCustom(String code, byte[] customOptions, List<Integer> inputs, List<Integer> outputs) {
        Op op = new Op(0, "CUSTOM(" + code + ")", inputs, outputs, List.of(), Options.NONE, customOptions, 0, null, null);
        Subgraph main = new Subgraph("main", tensors, List.of(op), graphInputs, outputs);
        return new Graph("dmo:" + op.kind(), 3, "", List.of(new OpCode(OpCode.CUSTOM, OpCode.CUSTOM, OpCode.CUSTOM, code, 1)), List.of(main), buffers,
                List.of(), List.of(), List.of());
    }

    public static Quantization q(float scale, int zeroPoint) { return Quantization.perTensor(scale, zeroPoint); }

    public static Quantization perChannel(float[] scales, int dim) { return Quantization.perChannel(scales, new long[scales.length], dim); }
}
