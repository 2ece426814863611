package io.tinyfit.spill;

import io.tinyfit.plan.Bank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the {@code spill} pass may use and aims at.
 *
 * @param memories       the slower memories, fastest transfer first (spills go to the first with room)
 * @param sramBudget     the SRAM arena the plan should fit in bytes, or -1: with a budget the pass spills until the
 *                       arena fits, then undoes every spill the fit does not need (least transfer time meeting the
 *                       budget); without one it spills while the arena shrinks
 * @param maxTransferMs  estimated transfer time per inference no plan may exceed ({@code --max-transfer-ms});
 *                       infinite for no bound
 */
public record SpillOptions(List<Memory> memories, long sramBudget, double maxTransferMs) {
    public SpillOptions {
        memories = new ArrayList<>(memories);
        memories.sort(Comparator.comparingDouble((Memory m) -> m.transferNanos(4096)));
        memories = List.copyOf(memories);
        if (memories.stream().anyMatch(m -> m.name().equals(Bank.SRAM))) throw new IllegalArgumentException("'" + Bank.SRAM + "' is the arena, not a slower memory");
        if (!(maxTransferMs >= 0)) throw new IllegalArgumentException("--max-transfer-ms must be >= 0, not " + maxTransferMs);
    }

    /** The default: one {@link Memory#DEFAULT} PSRAM, no budget, no transfer bound. */
    public static SpillOptions defaults() { return new SpillOptions(List.of(Memory.parse(Memory.DEFAULT)), -1, Double.POSITIVE_INFINITY); }

    /**
     * Parses the {@code --memory} list, e.g. {@code sram:64KiB,psram:8MiB:20MB/s:1us}: an {@code sram} entry sets the
     * SRAM budget (its other fields are ignored), every other entry is a slower memory. No slower memory means the
     * default PSRAM.
     */
    public static SpillOptions parse(String list, double maxTransferMs) {
        List<Memory> slow = new ArrayList<>();
        long budget = -1;
        for (String item : list.split(",")) {
            if (item.isBlank()) continue;
            String name = item.strip().split(":", 2)[0];
            if (name.equals(Bank.SRAM)) {
                String[] f = item.strip().split(":");
                if (f.length < 2) throw new IllegalArgumentException("'" + item + "': the sram entry needs a size (sram:64KiB)");
                budget = io.tinyfit.targets.ByteSize.parse(f[1]);
            } else {
                Memory m = Memory.parse(item);
                if (slow.stream().anyMatch(x -> x.name().equals(m.name()))) throw new IllegalArgumentException("memory " + m.name() + " is named twice");
                slow.add(m);
            }
        }
        if (slow.isEmpty()) slow.add(Memory.parse(Memory.DEFAULT));
        return new SpillOptions(slow, budget, maxTransferMs);
    }

    public SpillOptions withSramBudget(long bytes) { return new SpillOptions(memories, bytes, maxTransferMs); }

    public SpillOptions withMaxTransferMs(double ms) { return new SpillOptions(memories, sramBudget, ms); }

    public boolean hasBudget() { return sramBudget >= 0; }
}
