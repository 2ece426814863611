package io.tinyfit.exec;

import io.tinyfit.kernels.QuantizedMath;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a run from files: a folder with {@code input_<i>.npy} or {@code input_<i>.bin} (raw little-endian)
 * per graph input, or, for a model with one input, that one file. NumPy's default float64 is narrowed to float32
 * for float inputs; with {@code quantize}, float data (float32 or float64 {@code .npy}, float32 {@code .bin}) for a
 * quantised integer input is quantised with its scale and zero point as TFLM's QUANTIZE kernel does.
 */
public final class InputFiles {
    private InputFiles() {}

    public static List<byte[]> read(Graph g, Path path, boolean quantize) {
        if (!Files.exists(path)) throw new ExecutionException(path + ": no such input file or folder");
        if (!Files.isDirectory(path)) {
            if (g.inputs().size() != 1) {
                throw new ExecutionException(path + ": the model has " + g.inputs().size() + " inputs; give a folder with input_0 to input_"
                        + (g.inputs().size() - 1) + " (.bin or .npy)");
            }
            return List.of(one(g, 0, path, quantize));
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            Path npy = path.resolve("input_" + i + ".npy");
            Path bin = path.resolve("input_" + i + ".bin");
            if (Files.exists(npy)) out.add(one(g, i, npy, quantize));
            else if (Files.exists(bin)) out.add(one(g, i, bin, quantize));
            else throw new ExecutionException(path + ": missing input_" + i + ".bin or input_" + i + ".npy for input " + i + " (" + g.tensor(g.inputs().get(i)).label() + ")");
        }
        return out;
    }

    /** Input {@code i} from one file, by its extension: {@code .npy}, else raw bytes. */
    private static byte[] one(Graph g, int i, Path file, boolean quantize) {
        Tensor t = g.tensor(g.inputs().get(i));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ExecutionException(file + ": cannot read input " + i + " (" + e.getMessage() + ")");
        }
        String what = "input " + i + " (" + t.label() + ", " + t.dtype().label() + " " + t.shape() + describeQuantization(t) + ")";
        if (file.getFileName().toString().endsWith(".npy")) {
            Npy.Array a = Npy.read(bytes, file.toString());
            if (a.shape().numElements() != t.shape().numElements() || !a.shape().equals(t.shape()) && a.shape().rank() != 0) {
                throw new ExecutionException(file + ": shape " + a.shape() + " but " + what + " is " + t.shape());
            }
            return convert(a.dtype(), a.data(), t, quantize, file, what);
        }
        // raw bytes carry no type: the input's own, or float32 when they are to be quantised
        DType raw = quantize && TensorValues.isQuantized(t) ? DType.FLOAT32 : t.dtype();
        long need = t.shape().numElements() * raw.bytes();
        if (bytes.length != need) {
            throw new ExecutionException(file + ": " + bytes.length + " bytes but " + what + " needs " + need + (raw != t.dtype() ? " (float32, to be quantised)" : ""));
        }
        return convert(raw, bytes, t, quantize, file, what);
    }

    private static byte[] convert(DType from, byte[] data, Tensor t, boolean quantize, Path file, String what) {
        if (from == t.dtype()) return data;
        boolean floatData = from == DType.FLOAT32 || from == DType.FLOAT64;
        if (floatData && t.dtype() == DType.FLOAT32) return toFloat32(from, data);
        if (floatData && TensorValues.isQuantized(t)) {
            if (quantize) return quantize(floats(from, data), t, file);
            throw new ExecutionException(file + ": " + from.label() + " data but " + what + " is quantised: add --quantize-inputs to quantise it with that scale and zero point");
        }
        throw new ExecutionException(file + ": dtype " + from.label() + " but " + what + " is " + t.dtype().label());
    }

    /** TFLM's AffineQuantize: {@code clamp(round(x / scale) + zero_point)}, rounding half away from zero, in float. */
    static byte[] quantize(double[] x, Tensor t, Path file) {
        float scale = t.quant().scale();
        int zp = t.quant().zeroPoint();
        long min = switch (t.dtype()) { case INT8 -> Byte.MIN_VALUE; case UINT8 -> 0; case INT16 -> Short.MIN_VALUE; default -> Integer.MIN_VALUE; };
        long max = switch (t.dtype()) { case INT8 -> Byte.MAX_VALUE; case UINT8 -> 255; case INT16 -> Short.MAX_VALUE; default -> Integer.MAX_VALUE; };
        ByteBuffer bb = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : x) {
            float r = (float) v / scale;
            if (!Float.isFinite(r)) throw new ExecutionException(file + ": cannot quantise " + v + " for " + t.label() + " (scale " + scale + ")");
            long q = (long) Math.max(min, Math.min(max, (double) QuantizedMath.round(r) + zp));
            switch (t.dtype()) {
                case INT8, UINT8 -> bb.put((byte) q);
                case INT16 -> bb.putShort((short) q);
                case INT32 -> bb.putInt((int) q);
                default -> throw new ExecutionException(file + ": cannot quantise into " + t.label() + ", " + t.dtype().label());
            }
        }
        return bb.array();
    }

    private static double[] floats(DType from, byte[] data) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[data.length / from.bytes()];
        for (int i = 0; i < v.length; i++) v[i] = from == DType.FLOAT64 ? bb.getDouble(8 * i) : bb.getFloat(4 * i);
        return v;
    }

    private static byte[] toFloat32(DType from, byte[] data) {
        if (from == DType.FLOAT32) return data;
        double[] v = floats(from, data);
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) bb.putFloat((float) x);
        return bb.array();
    }

    /** ", scale S, zero point Z" for a quantised tensor, else nothing. */
    public static String describeQuantization(Tensor t) {
        return TensorValues.isQuantized(t) ? ", scale " + t.quant().scale() + ", zero point " + t.quant().zeroPoint() : "";
    }
}
