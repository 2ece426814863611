package io.tinyfit.plan;

/**
 * A memory a plan places buffers in, of exactly {@code bytes}: the on-chip SRAM arena, and for plans that spill,
 * slower external memories.
 */
public record Bank(String name, long bytes) {
    /** The on-chip arena every plan has. */
    public static final String SRAM = "sram";

    public Bank {
        if (bytes < 0) throw new IllegalArgumentException("bank " + name + " of " + bytes + " bytes");
    }

    public static Bank sram(long bytes) { return new Bank(SRAM, bytes); }
}
