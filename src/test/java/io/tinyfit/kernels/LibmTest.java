package io.tinyfit.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks {@link Libm} bit for bit against results recorded from glibc 2.36 on x86-64 with FMA.
 *
 * <p>The resource {@code libm_oracle.bin} is written by {@code src/test/c/libm_oracle.c} ({@code
 * libm_oracle table FILE}); it holds special values, path boundaries and deterministic
 * pseudo-random inputs for each function. The same program's {@code all} mode supports the
 * exhaustive 2^32-input comparison, which needs gcc and is not part of the build.
 */
class LibmTest {

    private static final String RESOURCE = "libm_oracle.bin";

    /** Function name to {input bits, glibc result bits} pairs. */
    private static Map<String, int[][]> oracle;

    @BeforeAll
    static void loadOracle() throws IOException {
        oracle = new LinkedHashMap<>();
        try (InputStream raw = LibmTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(raw).as("test resource %s", RESOURCE).isNotNull();
            DataInputStream in = new DataInputStream(raw);
            while (true) {
                int nameLength;
                try {
                    nameLength = in.readUnsignedByte();
                } catch (EOFException end) {
                    break;
                }
                String name = new String(in.readNBytes(nameLength), StandardCharsets.US_ASCII);
                int count = in.readInt();
                int[][] pairs = new int[count][2];
                for (int[] pair : pairs) {
                    pair[0] = in.readInt();
                    pair[1] = in.readInt();
                }
                oracle.put(name, pairs);
            }
        }
    }

    @Test
    void oracleCoversEveryFunction() {
        assertThat(oracle).containsOnlyKeys("expf", "tanhf", "logf", "expm1f");
        assertThat(oracle.get("expf").length).isEqualTo(20_000);
        assertThat(oracle.get("tanhf").length).isEqualTo(20_000);
        assertThat(oracle.get("logf").length).isEqualTo(20_000);
        assertThat(oracle.get("expm1f").length).isEqualTo(8_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"expf", "tanhf", "logf", "expm1f"})
    void matchesGlibcBitForBit(String name) {
        IntUnaryOperator function = bitsFunction(name);
        List<String> mismatches = new ArrayList<>();
        for (int[] pair : oracle.get(name)) {
            int actual = function.applyAsInt(pair[0]);
            if (actual != pair[1]) {
                mismatches.add(String.format("%s(0x%08x = %a): glibc 0x%08x (%a), Libm 0x%08x (%a)",
                        name, pair[0], Float.intBitsToFloat(pair[0]), pair[1],
                        Float.intBitsToFloat(pair[1]), actual, Float.intBitsToFloat(actual)));
            }
        }
        assertThat(mismatches).as("inputs where Libm.%s differs from glibc", name).isEmpty();
    }

    @Test
    void specialValues() {
        assertThat(Libm.expf(Float.NEGATIVE_INFINITY)).isEqualTo(0.0f);
        assertThat(Libm.expf(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Libm.expf(0.0f)).isEqualTo(1.0f);
        assertThat(Libm.logf(1.0f)).isEqualTo(0.0f);
        assertThat(Libm.logf(-0.0f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(Libm.logf(-1.0f))).isEqualTo(0xffc0_0000);
        assertThat(Libm.tanhf(Float.NEGATIVE_INFINITY)).isEqualTo(-1.0f);
        assertThat(Float.floatToRawIntBits(Libm.tanhf(-0.0f))).isEqualTo(0x8000_0000);
    }

    /** The function under test as a map from input bits to result bits, keeping NaN payloads. */
    private static IntUnaryOperator bitsFunction(String name) {
        switch (name) {
            case "expf":
                return x -> Float.floatToRawIntBits(Libm.expf(Float.intBitsToFloat(x)));
            case "tanhf":
                return x -> Float.floatToRawIntBits(Libm.tanhf(Float.intBitsToFloat(x)));
            case "logf":
                return x -> Float.floatToRawIntBits(Libm.logf(Float.intBitsToFloat(x)));
            case "expm1f":
                return x -> Float.floatToRawIntBits(Libm.expm1f(Float.intBitsToFloat(x)));
            default:
                throw new IllegalArgumentException(name);
        }
    }
}
