package io.tinyfit.report;

import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How every report states the whole TFLM arena ({@code kTensorArenaSize}): the {@code tflm_arena} JSON object of
 * SCHEMA.md and the console line that leads each summary. A model TFLM refuses gets no figure, but the refusal and
 * what runs the plan instead.
 */
final class ArenaSummary {
    private ArenaSummary() {}

    /** The estimate to show, empty when TFLM refuses the model or an operator has no allocation model. */
    static Optional<ArenaEstimate> shown(Graph g, ArenaByWidth arena, int pointerBytes) {
        if (TflmSupport.refusal(g).isPresent()) return Optional.empty();
        return arena.forPointerBytes(pointerBytes);
    }

    static Map<String, Object> json(Graph g, ArenaByWidth arena, int pointerBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<ArenaEstimate> e = shown(g, arena, pointerBytes);
        m.put("predicted_min_bytes", e.map(ArenaEstimate::predictedMinBytes).orElse(null));
        m.put("head_bytes", e.map(ArenaEstimate::headBytes).orElse(null));
        m.put("tail_bytes", e.map(ArenaEstimate::tailBytes).orElse(null));
        m.put("temp_bytes", e.map(ArenaEstimate::tempBytes).orElse(null));
        m.put("pointer_bytes", pointerBytes);
        m.put("kernels", arena.kernels());
        if (!arena.kernels().equals(ArenaEstimate.REFERENCE_KERNELS)) m.put("estimate", true);
        m.put("used_bytes", e.map(ArenaEstimate::usedBytes).orElse(null));
        m.put("tail_parts", e.map(ArenaEstimate::tailParts).orElse(null));
        Optional<String> refusal = TflmSupport.refusal(g);
        m.put("tflm_refuses", refusal.orElse(null));
        m.put("runs_on", refusal.isPresent() ? "tinyfit-runtime" : "stock-tflm");
        if (refusal.isEmpty() && e.isEmpty()) m.put("not_predicted", "no TFLM allocation model for " + String.join(", ", TflmArena.unmodelledKinds(g)));
        return m;
    }

    /**
     * What the planned head leaves out when operators have no tinyfit kernel: their scratch buffers, which only
     * their kernels' Prepare knows, so the head is a lower bound of what TFLM plans. Empty when every operator has
     * a kernel.
     */
    static Optional<String> headNote(Graph g) {
        java.util.List<String> unknown = new java.util.ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) {
            if (io.tinyfit.kernels.KernelRegistry.find(g.ops().get(i).kind()).isEmpty()) unknown.add("operator " + i + " " + g.ops().get(i).kind());
        }
        if (unknown.isEmpty()) return Optional.empty();
        return Optional.of("the head leaves out any scratch buffers of " + String.join(", ", unknown)
                + " (no tinyfit kernel says what it requests), so TFLM may plan more");
    }

    /** The console statement of the whole arena, or of why there is none. */
    static String line(Graph g, ArenaByWidth arena, int pointerBytes) {
        Optional<String> refusal = TflmSupport.refusal(g);
        if (refusal.isPresent()) {
            return "TFLM refuses this model: " + refusal.get() + ". No TFLM arena exists; the plan runs on " + TflmSupport.ALTERNATIVE + ".";
        }
        Optional<ArenaEstimate> e = arena.forPointerBytes(pointerBytes);
        if (e.isEmpty()) return "TFLM whole arena: not predicted (no TFLM allocation model for " + String.join(", ", TflmArena.unmodelledKinds(g)) + ").";
        ArenaEstimate a = e.get();
        String rest = a.tempBytes() > 0 ? String.format(" + allocation-time temporaries %,d", a.tempBytes())
                : a.predictedMinBytes() < a.usedBytes() ? String.format(", less %d B the unaligned arena end saves", a.usedBytes() - a.predictedMinBytes()) : "";
        return String.format("TFLM whole arena (kTensorArenaSize, %d-bit build, %s kernels%s): %,d bytes (planned head %,d + persistent tail %,d%s)",
                pointerBytes * 8, a.kernels(), estimateNote(a.kernels()), a.predictedMinBytes(), a.headBytes(), a.tailBytes(), rest);
    }

    /** ", an estimate" for an optimised library: there are no golden TFLM figures for it. */
    static String estimateNote(String kernels) {
        return kernels.equals(ArenaEstimate.REFERENCE_KERNELS) ? "" : ", an estimate: no golden TFLM figures for this library";
    }

    /** "-632 B, -5.5%" style change from {@code from} to {@code to}. */
    static String change(long from, long to) {
        return String.format("%s%,d B, %s%.1f%%", to <= from ? "-" : "+", Math.abs(from - to), to <= from ? "-" : "+", 100.0 * Math.abs(from - to) / Math.max(1, from));
    }
}
