package io.tinyfit.report;

import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.targets.Board;
import io.tinyfit.targets.ByteSize;
import io.tinyfit.targets.FitVerdict;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A budget verdict as the console states it and as the {@code fit} object of the analyze and optimize JSON. */
public final class FitReport {
    private FitReport() {}

    /**
     * {@code {"budget_bytes", "fits", "gap_bytes", "gap_pct", "needed_bytes", "judged_on", "pointer_bytes", "target",
     * "target_memory"}}, or null without a budget. {@code gap_bytes} is needed minus budget: positive is the shortfall,
     * negative the headroom.
     */
    public static Map<String, Object> json(Optional<FitVerdict> verdict) {
        if (verdict.isEmpty()) return null;
        FitVerdict v = verdict.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget_bytes", v.budget().bytes());
        m.put("fits", v.fits());
        m.put("gap_bytes", v.gapBytes());
        m.put("gap_pct", v.gapPct());
        m.put("needed_bytes", v.neededBytes());
        m.put("judged_on", v.basis().key);
        m.put("pointer_bytes", v.budget().pointerBytes());
        m.put("target", v.budget().board() == null ? null : v.budget().board().id());
        m.put("target_memory", v.budget().board() == null ? null : v.budget().board().budgetMemory());
        return m;
    }

    /** The verdict line, then notes on what the figure leaves out; {@code advice} follows a miss (may be empty). */
    public static String text(FitVerdict v, String advice) { return text(v, advice, ArenaEstimate.REFERENCE_KERNELS); }

    /** The verdict whose figure is for the {@code kernels} library (the note on the board's usual library applies only when they differ). */
    public static String text(FitVerdict v, String advice, String kernels) {
        StringBuilder sb = new StringBuilder();
        String needs = String.format(Locale.ROOT, "needs %,d B, %s%s", v.neededBytes(), v.basis().description,
                v.basis() == FitVerdict.Basis.TFLM_ARENA ? ", " + v.budget().pointerBytes() * 8 + "-bit build" : "");
        long gap = Math.abs(v.gapBytes());
        double pct = Math.abs(v.gapPct());
        if (v.fits()) {
            sb.append(String.format(Locale.ROOT, "fits the budget %s: %s; %,d B (%.1f%%) to spare%n", v.budget().describe(), needs, gap, pct));
        } else {
            sb.append(String.format(Locale.ROOT, "DOES NOT FIT the budget %s: %s; %,d B (%.1f%% of the budget) over%n", v.budget().describe(), needs, gap, pct));
            if (!advice.isEmpty()) sb.append("  ").append(advice).append('\n');
        }
        Board b = v.budget().board();
        if (b != null && !b.kernels().equals(kernels) && v.basis() == FitVerdict.Basis.TFLM_ARENA) {
            sb.append(String.format("  note: %s usually builds TFLM with %s kernels; this figure is for TFLM's %s kernels (--kernels), which request other scratch buffers%n",
                    b.name(), b.kernels(), kernels));
        }
        if (b != null && !v.fits() && b.externalRamBytes() >= v.neededBytes()) {
            sb.append(String.format("  note: its %s of external RAM (%s) would hold the arena, at a lower speed%n", ByteSize.format(b.externalRamBytes()), b.externalRamKind()));
        }
        return sb.toString();
    }
}
