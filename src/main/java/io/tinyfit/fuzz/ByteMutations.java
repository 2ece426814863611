package io.tinyfit.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Damage to a file's bytes: a cut, flipped bytes, and plausible-looking wrong offsets and vector lengths. */
final class ByteMutations {
    private final String model;
    private final byte[] original;
    private final FlatbufferSlots slots;

    ByteMutations(String model, byte[] original) {
        this.model = model;
        this.original = original;
        this.slots = FlatbufferSlots.of(original);
    }

    Mutation truncate(Random rng) {
        int len = rng.nextInt(original.length);
        return new Mutation(MutationKind.TRUNCATE, model, "cut to " + len + " of " + original.length + " bytes", Arrays.copyOf(original, len));
    }

    Mutation flip(MutationKind kind, int count, Random rng) {
        byte[] b = original.clone();
        StringBuilder where = new StringBuilder("bytes at");
        for (int k = 0; k < count; k++) {
            int p = position(rng);
            b[p] ^= (byte) (1 + rng.nextInt(255));
            if (k < 8) where.append(' ').append(p);
        }
        if (count > 8) where.append(" ...");
        return new Mutation(kind, model, where.toString(), b);
    }

    Mutation offset(Random rng) {
        List<Integer> candidates = slots.offsets();
        int p = candidates.get(rng.nextInt(candidates.size()));
        int old = word(p);
        int v = switch (rng.nextInt(7)) {
            case 0 -> rng.nextInt(original.length);
            case 1 -> rng.nextInt(64);
            case 2 -> original.length - p + rng.nextInt(16) - 8;
            case 3 -> Integer.MAX_VALUE - rng.nextInt(16);
            case 4 -> -1 - rng.nextInt(16);
            case 5 -> old + 4 * (rng.nextInt(9) - 4);
            default -> rng.nextInt();
        };
        return new Mutation(MutationKind.OFFSET, model, "offset at " + p + ": " + old + " -> " + v, withWord(p, v));
    }

    Mutation vectorLength(Random rng) {
        List<Integer> candidates = slots.lengths();
        int p = candidates.get(rng.nextInt(candidates.size()));
        int old = word(p);
        int v = switch (rng.nextInt(7)) {
            case 0 -> old + 1;
            case 1 -> old * 2 + 1;
            case 2 -> Math.max(0, old - 1);
            case 3 -> 0;
            case 4 -> Integer.MAX_VALUE - rng.nextInt(16);
            case 5 -> 1 << (16 + rng.nextInt(14));
            default -> -1 - rng.nextInt(16);
        };
        return new Mutation(MutationKind.VECTOR_LENGTH, model, "length at " + p + ": " + old + " -> " + v, withWord(p, v));
    }

    /** Mostly positions in tables and index vectors rather than in weights, where a flip only changes a value. */
    private int position(Random rng) {
        int p = rng.nextInt(original.length);
        if (rng.nextInt(5) == 0) return p;
        for (int attempt = 0; attempt < 32 && inData(p); attempt++) p = rng.nextInt(original.length);
        return p;
    }

    private boolean inData(int p) {
        for (int[] r : slots.dataRanges()) if (p >= r[0] && p < r[1]) return true;
        return false;
    }

    private int word(int p) { return ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getInt(p); }

    private byte[] withWord(int p, int v) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(p, v);
        return b;
    }
}
