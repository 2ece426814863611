package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.Model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates valid models (truncation, byte flips, plausible-looking offsets and lengths written over 4-byte words,
 * zeroed ranges) and requires the reader to either load each one or reject it with a
 * {@link ModelFormatException}: never another exception, never a hang. The seed is fixed, so a failure names a
 * mutation that reproduces.
 */
class ReaderFuzzTest {
    private static final long SEED = 0x7F1F_2024L;
    /** A guard against hangs, not a speed target: a sound read of any of these models takes milliseconds. */
    private static final Duration GUARD = Duration.ofSeconds(10);

    @Test
    void builtModelsLoadOrFailCleanlyUnderMutation() {
        Tally t = new Tally("built");
        fuzz("default:mobilenetv2-96", ModelWriter.toBytes(DefaultModels.mobileNetV2Style()), 800, new Random(SEED), t);
        fuzz("every-op-int8", ModelWriter.toBytes(TestModels.everyOp(DType.INT8)), 700, new Random(SEED + 1), t);
        fuzz("every-op-float32", ModelWriter.toBytes(TestModels.everyOp(DType.FLOAT32)), 500, new Random(SEED + 2), t);
        t.print();
        assertThat(t.total()).isGreaterThanOrEqualTo(2000);
        assertThat(t.rejected).as("mutations that the reader rejected").isPositive();
    }

    @Test
    void sharedModelsLoadOrFailCleanlyUnderMutation() throws Exception {
        Shared.assume();
        Tally t = new Tally("shared");
        Random rng = new Random(SEED + 3);
        for (Path f : Shared.modelFiles()) {
            byte[] bytes = Files.readAllBytes(f);
            // The few multi-megabyte models cost most of the time per read; fewer mutations keep the test short.
            fuzz(f.getFileName().toString(), bytes, bytes.length > 1_000_000 ? 15 : 50, rng, t);
        }
        t.print();
        assertThat(t.total()).isPositive();
    }

    static void fuzz(String name, byte[] original, int mutations, Random rng, Tally tally) {
        List<int[]> data = dataRanges(original);
        for (int i = 0; i < mutations; i++) {
            Mutation mutation = mutate(original, data, rng);
            byte[] input = mutation.bytes;
            String label = name + " mutation " + i + " (" + mutation.description + ")";
            assertTimeoutPreemptively(GUARD, () -> {
                try {
                    ModelReader.read(input, name);
                    tally.loaded++;
                } catch (ModelFormatException e) {
                    assertThat(e.getMessage()).as(label).startsWith(name + ": ");
                    tally.rejected++;
                } catch (Throwable e) {
                    fail(label + " escaped as " + e, e);
                }
            }, label + " did not finish within " + GUARD);
        }
    }

    record Mutation(byte[] bytes, String description) {}

    /** One random mutation of a copy of {@code original}. */
    static Mutation mutate(byte[] original, List<int[]> data, Random rng) {
        int n = original.length;
        int kind = rng.nextInt(5);
        if (kind == 0) {
            int len = rng.nextInt(n);
            return new Mutation(Arrays.copyOf(original, len), "truncate to " + len + " bytes");
        }
        byte[] b = original.clone();
        return new Mutation(b, switch (kind) {
            case 1 -> {
                StringBuilder sb = new StringBuilder("flip bytes at");
                for (int k = 1 + rng.nextInt(8); k > 0; k--) {
                    int p = position(n, data, rng);
                    b[p] ^= (byte) (1 + rng.nextInt(255));
                    sb.append(' ').append(p);
                }
                yield sb.toString();
            }
            case 2, 3 -> {
                int p = position(n, data, rng) & ~3;
                if (p + 4 > n) p = n - 4;
                int v = switch (rng.nextInt(7)) {
                    case 0 -> rng.nextInt(n);
                    case 1 -> rng.nextInt(64);
                    case 2 -> n - p + rng.nextInt(16) - 8;
                    case 3 -> Integer.MAX_VALUE - rng.nextInt(16);
                    case 4 -> -1 - rng.nextInt(16);
                    case 5 -> 1 << (20 + rng.nextInt(11));
                    default -> rng.nextInt();
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(p, v);
                yield "word at " + p + " := " + v;
            }
            default -> {
                int p = position(n, data, rng);
                int len = Math.min(n - p, 1 + rng.nextInt(256));
                Arrays.fill(b, p, p + len, (byte) 0);
                yield "zero " + len + " bytes at " + p;
            }
        });
    }

    /** Mostly positions in the flatbuffer's tables and vectors rather than in weight bytes, where flips are harmless. */
    private static int position(int n, List<int[]> data, Random rng) {
        int p = rng.nextInt(n);
        if (rng.nextInt(5) == 0) return p;
        for (int attempt = 0; attempt < 32 && inside(p, data); attempt++) p = rng.nextInt(n);
        return p;
    }

    private static boolean inside(int p, List<int[]> ranges) {
        for (int[] r : ranges) if (p >= r[0] && p < r[1]) return true;
        return false;
    }

    /** Byte ranges of the buffers' data in a valid model. */
    static List<int[]> dataRanges(byte[] bytes) {
        Model m = Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < m.buffersLength(); i++) {
            ByteBuffer d = m.buffers(i).dataAsByteBuffer();
            if (d != null && d.remaining() > 0) out.add(new int[] {d.position(), d.limit()});
        }
        return out;
    }

    static final class Tally {
        final String what;
        int loaded;
        int rejected;

        Tally(String what) { this.what = what; }

        int total() { return loaded + rejected; }

        void print() {
            System.out.println("ReaderFuzzTest " + what + ": " + total() + " mutations, " + loaded + " loaded, " + rejected + " rejected with ModelFormatException");
        }
    }
}
