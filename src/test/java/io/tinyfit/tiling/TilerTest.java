package io.tinyfit.tiling;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;

import org.junit.jupiter.api.Test;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TilerTest {
    /** The plan, after asserting it verifies statically and by execution (shared with the pass's tests). */
    static Plan checked(Plan p) {
        assertThat(PlanVerifier.violations(p)).as(p.planner()).isEmpty();
        ExecutionCheck.Result r = ExecutionCheck.run(p);
        assertThat(r.passed()).as(r.describe()).isTrue();
        return p;
    }

    /** The file order of {@code g} tiled by one split, checked. */
    static Plan tiled(Graph g, Split s) {
        return checked(Tiler.build(g, Plans.fileOrder(g), false, List.of(s), 16));
    }

    @Test
    void everyHaloTreatmentOfTheChainRunsBitExact() {
        Graph g = TiledPlans.chain();
        long untiled = Tiler.build(g, Plans.fileOrder(g), false, List.of(), 16).arenaBytes();
        for (Split.Halo h : new Split.Halo[] {Split.Halo.RECOMPUTE, Split.Halo.CACHE, Split.Halo.STREAM, Split.Halo.PIPELINE}) {
            for (int n : new int[] {2, 3, 4, 8, 24}) {
                Plan p = tiled(g, new Split(0, 2, Split.Kind.ROWS, n, 1, h));
                System.out.printf("chain %s x%d: %d (untiled %d) mac %.1f%%%n", h, n, p.arenaBytes(), untiled, OpCost.overheadPct(p));
                Plan c = tiled(g, new Split(0, 2, Split.Kind.COLUMNS, n, 1, h));
                System.out.printf("chain cols %s x%d: %d mac %.1f%%%n", h, n, c.arenaBytes(), OpCost.overheadPct(c));
            }
        }
        Plan grid = tiled(g, new Split(0, 2, Split.Kind.GRID, 3, 4, Split.Halo.RECOMPUTE));
        System.out.printf("chain grid 3x4: %d mac %.1f%%%n", grid.arenaBytes(), OpCost.overheadPct(grid));
    }

    @Test
    void channelPartitionsAndPartialSums() {
        Graph g = TiledPlans.invertedResidual();
        long untiled = Tiler.build(g, Plans.fileOrder(g), false, List.of(), 16).arenaBytes();
        for (int n : new int[] {2, 3, 4, 8, 48}) {
            Plan c = tiled(g, new Split(0, 1, Split.Kind.CHANNELS, n, 1, Split.Halo.NONE));
            Plan a = tiled(g, new Split(0, 2, Split.Kind.INPUT_CHANNELS, n, 1, Split.Halo.NONE));
            System.out.printf("ir x%d: channels %d, partial sums %d (untiled %d) macs %.1f %.1f%n", n, c.arenaBytes(), a.arenaBytes(), untiled,
                    OpCost.overheadPct(c), OpCost.overheadPct(a));
            assertThat(OpCost.overheadPct(c)).isZero();
            assertThat(OpCost.overheadPct(a)).isZero();
        }
    }

    @Test
    void searchOnTheChain() {
        Graph g = TiledPlans.chain();
        for (double mac : new double[] {0, 10, 100}) {
            TilingSearch.Result r = TilingSearch.search(g, Plans.fileOrder(g), false, 16, TilingSearch.Options.bounded(mac));
            System.out.printf("search chain mac<=%.0f: %d -> %d (%.1f%%) %s, %d tried%n", mac, r.start().arenaBytes(), r.best().arenaBytes(), r.best().macOverheadPct(),
                    r.best().splits(), r.tried().size());
            checked(r.best().plan());
            assertThat(r.best().macOverheadPct()).isLessThanOrEqualTo(mac);
        }
    }
}
