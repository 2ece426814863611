package io.tinyfit.exec;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden data's input generator (../shared/golden/README.md): input i is filled from a 32-bit xorshift
 * whose state starts at {@code seed + i}, one draw per element in row-major order. With the default seed
 * 0x12345678 it reproduces the stored golden inputs byte for byte; other seeds give further test inputs.
 */
public final class InputGenerator {
    public static final int GOLDEN_SEED = 0x12345678;

    private InputGenerator() {}

    public static List<byte[]> golden(Graph g) { return generate(g, GOLDEN_SEED); }

    public static List<byte[]> generate(Graph g, int seed) {
        List<byte[]> out = new ArrayList<>();
        List<Integer> inputs = g.inputs();
        for (int i = 0; i < inputs.size(); i++) out.add(fill(g.tensor(inputs.get(i)), seed + i));
        return out;
    }

    /** One tensor's bytes from the generator started at {@code state}. */
    public static byte[] fill(Tensor t, int state) {
        int n = (int) t.shape().numElements();
        ByteBuffer bb = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int x = state;
        for (int e = 0; e < n; e++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            switch (t.dtype()) {
                case INT8, UINT8 -> bb.put((byte) (x & 0xFF));
                case BOOL -> bb.put((byte) (x & 1));
                case INT16 -> bb.putShort((short) (x & 0xFFFF));
                case INT32 -> bb.putInt(x);
                case FLOAT32 -> bb.putFloat(((x & 0xFFFF) / 65535.0f) * 2 - 1);
                default -> throw new ExecutionException(t.label() + ": cannot generate inputs of type " + t.dtype().label());
            }
        }
        return bb.array();
    }
}
