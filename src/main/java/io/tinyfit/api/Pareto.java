package io.tinyfit.api;

import io.tinyfit.model.Graph;
import io.tinyfit.tiling.TilingPass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The curve of arena against MAC overhead ({@code optimize --pareto}), as msf-CNN tabulates it: every pass with
 * tiling, once per MAC-overhead bound, each plan verified statically and by execution before its figure is kept;
 * a point stays on the curve only when no point repeating fewer MACs has an arena as small.
 */
public final class Pareto {
    /** The MAC-overhead bounds tried, in percent. */
    public static final double[] BOUNDS = {0, 5, 10, 20, 40};

    private Pareto() {}

    /**
     * One plan of the curve.
     *
     * @param boundPct       the bound the search had
     * @param macOverheadPct the MACs the plan repeats (measured on its steps)
     * @param arenaBytes     its SRAM arena
     * @param deployability  what runs it
     * @param verified       executed bit-exact in an arena of exactly its size
     * @param splits         the tiling's paths, split kinds and partition counts (empty when tiling gained nothing)
     */
    public record Point(double boundPct, double macOverheadPct, long arenaBytes, String deployability, boolean verified, List<String> splits) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max_mac_overhead_pct", boundPct);
            m.put("mac_overhead_pct", macOverheadPct);
            m.put("arena_bytes", arenaBytes);
            m.put("deployability", deployability);
            m.put("verified", verified);
            m.put("splits", splits);
            return m;
        }
    }

    /** The curve for the model: one point per bound that lowers the arena, fewest MACs first. */
    public static List<Point> curve(Graph g, OptimizeOptions base) {
        List<Point> all = new ArrayList<>();
        for (double bound : BOUNDS) {
            OptimizeOptions o = base.withMethods(Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO, TilingPass.NAME)).withMaxMacOverhead(bound);
            Optimizer.Result r = Optimizer.optimize(g, o);
            Object why = r.explanations().get(TilingPass.NAME);
            List<String> splits = why instanceof TilingPass.Summary s && s.applied() ? s.splits() : List.of();
            all.add(new Point(bound, PlanCost.macOverheadPct(r.plan()), r.plan().arenaBytes(), r.deployability().label(), r.verified(), splits));
        }
        List<Point> curve = new ArrayList<>();
        all.stream().filter(Point::verified).sorted(java.util.Comparator.comparingDouble(Point::macOverheadPct).thenComparingLong(Point::arenaBytes)).forEach(p -> {
            if (curve.isEmpty() || p.arenaBytes() < curve.get(curve.size() - 1).arenaBytes()) curve.add(p);
        });
        return curve;
    }

    /** The curve for people. */
    public static String text(List<Point> curve) {
        StringBuilder sb = new StringBuilder("  arena against MAC overhead (--pareto; every point verified by execution):\n");
        sb.append(String.format("    %-9s %-9s %12s  %-16s %s%n", "max MAC", "MAC", "arena", "deployability", "splits"));
        for (Point p : curve) {
            sb.append(String.format(java.util.Locale.ROOT, "    %-9s %-9s %,12d  %-16s %s%n", fmt(p.boundPct()), fmt(p.macOverheadPct()), p.arenaBytes(), p.deployability(),
                    p.splits().isEmpty() ? "-" : String.join("; ", p.splits())));
        }
        return sb.toString();
    }

    private static String fmt(double pct) { return String.format(java.util.Locale.ROOT, "%.1f %%", pct); }
}
