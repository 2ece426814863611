package io.tinyfit.report;

import java.util.List;

/**
 * Something the arena must fit into: a board (its name and the SRAM the arena may use) or a generic SRAM size.
 * The report's fit table takes any list of them, so a board catalogue plugs in as it is.
 */
public record FitTarget(String name, long sramBytes) {
    private static final long KIB = 1024;

    public FitTarget {
        if (sramBytes <= 0) throw new IllegalArgumentException(name + ": SRAM must be positive, not " + sramBytes);
    }

    /** Powers of two from 32 KiB to 2 MiB: the SRAM sizes microcontrollers come with. */
    public static List<FitTarget> genericSizes() {
        return List.of(32, 64, 128, 256, 512, 1024, 2048).stream().map(k -> new FitTarget(size(k * KIB) + " SRAM", k * KIB)).toList();
    }

    /** "64 KiB", "1 MiB", or a byte count when it is not a whole number of KiB. */
    static String size(long bytes) {
        if (bytes % (KIB * KIB) == 0) return bytes / (KIB * KIB) + " MiB";
        if (bytes % KIB == 0) return bytes / KIB + " KiB";
        return String.format("%,d B", bytes);
    }
}
