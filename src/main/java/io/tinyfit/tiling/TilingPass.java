package io.tinyfit.tiling;

import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;

import java.util.List;

/**
 * {@code tiling}: fused tiling (FFMT bands and grids with recomputed, cached or streamed halos; FDT channel
 * partitions; input-channel slices with int32 partial sums) of the paths around the memory peak, chosen by
 * {@link TilingSearch} within the MAC-overhead bound. It runs last, on the order and placement the other passes
 * chose, and returns a tiled plan only when its arena is smaller than the plan it was given (DMO's overlaps
 * included: a tiled plan is placed by per-byte first fit, which declares none).
 *
 * <p>Cost: every tiled plan needs tinyfit's generated C (regions, copies, partial sums), which the cost order ranks
 * above MAC overhead, so the pass is {@link Cost#TINYFIT_RUNTIME} whether or not it recomputes halos; the MACs it
 * repeats are measured on each plan and bounded by {@code --max-mac-overhead}.
 */
public final class TilingPass implements Pass {
    public static final String NAME = "tiling";
    /** After placement and overlaps: the figure to beat is theirs. */
    public static final int RANK_TILING = 950;

    private final TilingSearch.Options options;
    private TilingSearch.Result result;
    private Plan given;

    public TilingPass(double maxMacOverheadPct) { this(TilingSearch.Options.bounded(maxMacOverheadPct)); }

    public TilingPass(TilingSearch.Options options) { this.options = options; }

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK_TILING; }

    @Override public Cost cost() { return Cost.TINYFIT_RUNTIME; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        given = plan;
        if (!plan.isWholeOperators()) return Outcome.unchanged(plan);
        // every candidate is executed by the search's checks: an operator without a kernel leaves the plan as it is
        if (GraphPreparation.executionBlocker(plan.graph(), plan.order()).isPresent()) return Outcome.unchanged(plan);
        result = TilingSearch.search(plan.graph(), plan.order(), plan.keepInputs(), plan.alignment(), options);
        Plan best = result.best().plan();
        if (result.best().splits().isEmpty() || best.arenaBytes() >= plan.arenaBytes()) return Outcome.unchanged(plan);
        // the chosen plan re-placed with its tiles sliding in place (the search refined only pipelined ones so)
        Plan slid = ByteFit.improve(best, options.placementIterations(), 42, true);
        if (slid.arenaBytes() < best.arenaBytes()) best = slid;
        return new Outcome(best, null);
    }

    /**
     * What the search found: the chosen splits, their arena and MAC overhead, how many plans it placed, and the
     * layout planner of the best plan (first fit inside the search loop; ByteFit when it re-placed it smaller).
     */
    public record Summary(long givenArenaBytes, long untiledFirstFitBytes, long arenaBytes, double macOverheadPct, List<String> splits,
                          int plansPlaced, String planner, boolean applied, List<PathChoice> paths) {
        public Summary {
            splits = List.copyOf(splits);
            paths = List.copyOf(paths);
        }

        /** The plan JSON's {@code tiling}. */
        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("applied", applied);
            m.put("given_arena_bytes", givenArenaBytes);
            m.put("arena_bytes", arenaBytes);
            m.put("mac_overhead_pct", macOverheadPct);
            m.put("plans_placed", plansPlaced);
            m.put("layout_in_search", Tiler.PLANNER);
            m.put("layout_final", planner);
            m.put("paths", paths.stream().map(PathChoice::toJson).toList());
            return m;
        }
    }

    /**
     * One fused path of the chosen plan, for people: where it runs in the order, the operators at its ends, and how
     * it is split.
     *
     * @param firstPosition position of its first operator in the order
     * @param firstOp       that operator's index in the model, and {@code lastOp} the last one's
     */
    public record PathChoice(int firstPosition, int lastPosition, int firstOp, int lastOp, String split, int parts, int columns, String halo) {
        static PathChoice of(Split s, List<Integer> order) {
            return new PathChoice(s.first(), s.last(), order.get(s.first()), order.get(s.last()), s.kind().label(), s.parts(), s.columns(), s.halo().label());
        }

        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("first_position", firstPosition);
            m.put("last_position", lastPosition);
            m.put("first_op", firstOp);
            m.put("last_op", lastOp);
            m.put("split", split);
            m.put("parts", parts);
            m.put("columns", columns);
            m.put("halo", halo);
            return m;
        }

        /** {@code ops 0..9: rows x16 (pipeline)}. */
        public String describe() {
            return "ops " + firstOp + ".." + lastOp + ": " + split + " x" + (columns > 1 ? parts + "x" + columns : String.valueOf(parts)) + (halo.equals("none") ? "" : " (" + halo + ")");
        }
    }

    @Override public Object explain(Plan chosen, PassContext ctx) {
        if (result == null) return null;
        TilingSearch.Candidate b = result.best();
        // the chosen plan is this pass's when it runs over regions (placed by first fit or re-placed by ByteFit)
        boolean applied = !chosen.isWholeOperators() && (chosen.planner().equals(Tiler.PLANNER) || chosen.planner().equals(ByteFit.PLANNER));
        return new Summary(given.arenaBytes(), result.start().arenaBytes(), b.arenaBytes(), b.macOverheadPct(),
                b.splits().stream().map(Split::describe).toList(), result.tried().size(), b.plan().planner(), applied,
                b.splits().stream().map(s -> PathChoice.of(s, given.order())).toList());
    }

    /** The last search, for the curve of arena against MAC overhead (null before {@link #apply}). */
    public TilingSearch.Result lastSearch() { return result; }
}
