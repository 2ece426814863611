package io.tinyfit.spill;

import java.util.List;

/**
 * What {@code spill} did, for the report and the plan JSON.
 *
 * @param sramBefore     the SRAM arena of the plan the pass was given
 * @param sramAfter      the SRAM arena of its plan
 * @param sramBudget     the budget it aimed at, -1 for none
 * @param transferBytes  bytes copied between SRAM and the slower memories per inference
 * @param transferMs     estimated time of those copies
 * @param directMs       estimated time readers spend reading mapped memories in place
 * @param bankBytes      bytes each slower memory holds
 */
public record SpillSummary(List<String> memories, long sramBefore, long sramAfter, long sramBudget, List<Moved> spills, long transferBytes,
                           double transferMs, double directMs, java.util.Map<String, Long> bankBytes, String note) {
    public SpillSummary {
        memories = List.copyOf(memories);
        spills = List.copyOf(spills);
        bankBytes = java.util.Map.copyOf(bankBytes);
    }

    /** One spilled tensor: out after the operator at order position {@code after}, back before {@code before}. */
    public record Moved(String tensor, long bytes, int after, int before, String memory, boolean mapped) {}

    public boolean budgetMet() { return sramBudget < 0 || sramAfter <= sramBudget; }
}
