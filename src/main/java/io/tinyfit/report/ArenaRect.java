package io.tinyfit.report;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.List;

/**
 * One rectangle of the arena map: bytes {@code [offset, offset + bytes)} over steps {@code [firstStep, lastStep]}.
 * A buffer holds a whole tensor ({@code region} null) or part of one (a tile of a tiled plan: its region in the
 * tensor's coordinates), or a kernel's scratch request; an overlap rectangle is where two buffers live at the same
 * step and share bytes, which a verified plan allows only for a proven DMO overlap.
 */
public record ArenaRect(Kind kind, String label, int tensor, Region region, long offset, long bytes, int firstStep, int lastStep) {

    /** What the rectangle is, by which the map colours it. */
    public enum Kind {
        INPUT("graph input"), OUTPUT("graph output"), ACTIVATION("activation"), TILE("tile (part of a tensor)"),
        SCRATCH("kernel scratch"), OVERLAP("shared bytes (DMO overlap)");

        public final String legend;

        Kind(String legend) { this.legend = legend; }
    }

    public long end() { return offset + bytes; }

    /** A tooltip line: what, where and when. */
    public String describe() {
        String where = String.format("bytes %,d to %,d (%,d B)", offset, end(), bytes);
        String when = firstStep == lastStep ? "step " + firstStep : "steps " + firstStep + " to " + lastStep;
        return label + (region == null ? "" : " " + region) + ": " + where + ", " + when;
    }

    /** The plan's SRAM buffers (the arena; buffers a slower bank holds are not in it), then the overlaps among them. */
    public static List<ArenaRect> of(Plan p) {
        List<ArenaRect> rects = new ArrayList<>();
        for (Buffer b : p.buffers()) if (b.bank().equals(Bank.SRAM)) rects.add(of(p.graph(), b));
        rects.addAll(overlaps(rects));
        return rects;
    }

    /** One buffer; a tile of a tiled plan (part of its tensor) carries its region, an accumulator counts as scratch. */
    static ArenaRect of(Graph g, Buffer b) {
        if (b.kind() == Buffer.Kind.SCRATCH) {
            return new ArenaRect(Kind.SCRATCH, "scratch " + b.scratchIndex() + " of op " + b.scratchOp(), -1, null, b.offset(), b.bytes(), b.firstStep(), b.lastStep());
        }
        if (b.kind() == Buffer.Kind.ACCUMULATOR) {
            return new ArenaRect(Kind.SCRATCH, "int32 accumulator of op " + b.scratchOp(), b.tensor(), b.region(), b.offset(), b.bytes(), b.firstStep(), b.lastStep());
        }
        Region region = b.region();
        Kind kind = region != null ? Kind.TILE : g.inputs().contains(b.tensor()) ? Kind.INPUT : g.outputs().contains(b.tensor()) ? Kind.OUTPUT : Kind.ACTIVATION;
        return new ArenaRect(kind, "tensor " + b.tensor() + " " + b.name(), b.tensor(), region, b.offset(), b.bytes(), b.firstStep(), b.lastStep());
    }

    /** Every byte range two buffers share while both are live, over the steps they are live together. */
    static List<ArenaRect> overlaps(List<ArenaRect> buffers) {
        List<ArenaRect> out = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            for (int j = i + 1; j < buffers.size(); j++) {
                ArenaRect a = buffers.get(i), b = buffers.get(j);
                long lo = Math.max(a.offset, b.offset), hi = Math.min(a.end(), b.end());
                int first = Math.max(a.firstStep, b.firstStep), last = Math.min(a.lastStep, b.lastStep);
                if (lo >= hi || first > last) continue;
                out.add(new ArenaRect(Kind.OVERLAP, a.label + " and " + b.label + " share bytes", -1, null, lo, hi - lo, first, last));
            }
        }
        return out;
    }
}
