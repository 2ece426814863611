package io.tinyfit.targets;

import java.util.Map;
import java.util.Set;

/**
 * One board of the catalogue ({@code boards.json}): what bounds the tensor arena there, and where each figure
 * comes from.
 *
 * @param sramBytes        all on-chip SRAM
 * @param largestBankBytes the largest block one array can occupy: the budget {@code --target} sets
 * @param bankNote         what that block is (which bank, or why it is smaller than the SRAM)
 * @param flashBytes       the program flash the model lives in
 * @param externalRamBytes external RAM (PSRAM, SDRAM), 0 when none; slower than SRAM, and not in the budget
 * @param kernels          the TFLM kernel library the board's usual TFLM build uses
 * @param sources          where each figure comes from, as text (datasheet or product page names)
 * @param unchecked        the figures not checked against their source when the catalogue was written
 */
public record Board(String id, String name, String mcu, Cpu cpu, long sramBytes, long largestBankBytes, String bankNote,
                    long flashBytes, long externalFlashBytes, long externalRamBytes, String externalRamKind, String kernels,
                    int pointerBytes, Map<Figure, String> sources, Set<Figure> unchecked) {

    /** The processor: its core(s), clock, and the vector extensions optimised kernel libraries use. */
    public record Cpu(String core, int clockMhz, boolean dsp, boolean mve) {
        /** {@code Cortex-M4F @ 64 MHz, DSP}. */
        public String label() {
            return core + " @ " + clockMhz + " MHz" + (mve ? ", DSP+MVE" : dsp ? ", DSP" : "");
        }
    }

    /** The figures a board states, each with a source. */
    public enum Figure {
        SRAM, LARGEST_BANK, FLASH, EXTERNAL, CPU, KERNELS;

        /** The key in the catalogue's {@code sources} and {@code unchecked}. */
        public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public Board {
        sources = Map.copyOf(sources);
        unchecked = Set.copyOf(unchecked);
    }

    /** Whether the arena must fit a bank smaller than the whole SRAM. */
    public boolean splitBanks() { return largestBankBytes < sramBytes; }

    /** What {@code --target} budgets: "SRAM 256 KiB" or "largest contiguous SRAM bank 512 KiB of 1 MiB (AXI SRAM ...)". */
    public String budgetMemory() {
        return splitBanks()
                ? "largest contiguous SRAM bank " + ByteSize.format(largestBankBytes) + " of " + ByteSize.format(sramBytes) + " (" + bankNote + ")"
                : "SRAM " + ByteSize.format(sramBytes);
    }
}
