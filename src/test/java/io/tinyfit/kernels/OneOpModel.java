package io.tinyfit.kernels;

import io.tinyfit.exec.Interpreter;
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
import io.tinyfit.plan.Plans;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.tinyfit.testing.TestOptions.options;

/**
 * Builds a model of one operator in code (tensors, constants, options) and runs it through the interpreter on a
 * no-reuse plan, so a test exercises the kernel exactly as a model would, scratch buffers included.
 */
final class OneOpModel {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ConstData> buffers = new ArrayList<>(List.of(ConstData.EMPTY));
    private final List<Integer> graphInputs = new ArrayList<>();

    /** An activation tensor that is a graph input. */
    int input(String name, DType t, int[] shape, Quantization q) {
        int id = add(name, t, shape, q, 0, null);
        graphInputs.add(id);
        return id;
    }

    /** An activation tensor written by the operator. */
    int output(String name, DType t, int[] shape, Quantization q) { return add(name, t, shape, q, 0, null); }

    /** A constant tensor with the given little-endian bytes. */
    int constant(String name, DType t, int[] shape, Quantization q, byte[] data) {
        buffers.add(ConstData.copyOf(data));
        return add(name, t, shape, q, buffers.size() - 1, ConstData.copyOf(data));
    }

    private int add(String name, DType t, int[] shape, Quantization q, int buffer, ConstData data) {
        int id = tensors.size();
        tensors.add(new Tensor(id, name, t, Shape.of(shape), null, q, buffer, data, false, true));
        return id;
    }

    /** The model: one operator of {@code kind} from {@code inputs} (-1 for an omitted one) to {@code output}. */
    Graph build(String kind, Options options, List<Integer> inputs, int output) {
        int code = switch (kind) {
            case "CONV_2D" -> 3;
            case "DEPTHWISE_CONV_2D" -> 4;
            case "FULLY_CONNECTED" -> 9;
            case "TRANSPOSE_CONV" -> 67;
            default -> throw new IllegalArgumentException(kind);
        };
        Op op = new Op(0, kind, inputs, List.of(output), options);
        Subgraph main = new Subgraph("main", tensors, List.of(op), graphInputs, List.of(output));
        return new Graph("test:" + kind, 3, "", List.of(OpCode.builtin(code, 1)), List.of(main), buffers, List.of(), List.of(), List.of());
    }

    static Options conv(int padding, int strideH, int strideW, int dilationH, int dilationW, int activation) {
        return options("Conv2DOptions", "padding", padding, "strideW", strideW, "strideH", strideH,
                "fusedActivationFunction", activation, "dilationWFactor", dilationW, "dilationHFactor", dilationH);
    }

    static Options depthwise(int padding, int strideH, int strideW, int dilationH, int dilationW, int multiplier, int activation) {
        return options("DepthwiseConv2DOptions", "padding", padding, "strideW", strideW, "strideH", strideH, "depthMultiplier", multiplier,
                "fusedActivationFunction", activation, "dilationWFactor", dilationW, "dilationHFactor", dilationH);
    }

    static Options fc(int activation, boolean keepNumDims, boolean asymmetric) {
        return options("FullyConnectedOptions", "fusedActivationFunction", activation, "asymmetricQuantizeInputs", asymmetric,
                "weightsFormat", 0, "keepNumDims", keepNumDims);
    }

    static Options transposeConv(int padding, int strideH, int strideW, int activation) {
        return options("TransposeConvOptions", "padding", padding, "strideW", strideW, "strideH", strideH, "fusedActivationFunction", activation);
    }

    /** Runs the model once on a no-reuse plan (poisoned arena) and returns each output's bytes. */
    static List<byte[]> run(Graph g, byte[]... inputs) {
        return new Interpreter(Plans.noReuse(g)).run(List.of(inputs));
    }

    // ---- little-endian decoders (encoders: testing.LittleEndian) ----

    static float[] toF32(byte[] a) {
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[a.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getFloat();
        return out;
    }

    static int[] toI8(byte[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }

    static int[] toU8(byte[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] & 0xFF;
        return out;
    }

    static int[] toI16(byte[] a) {
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[a.length / 2];
        for (int i = 0; i < out.length; i++) out[i] = b.getShort();
        return out;
    }

    static Quantization q(float scale, int zeroPoint) { return Quantization.perTensor(scale, zeroPoint); }

    static Quantization perChannel(int dim, float... scales) {
        return Quantization.perChannel(scales, new long[scales.length], dim);
    }
}
