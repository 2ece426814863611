package io.tinyfit.tiling;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PassRegistry;
import io.tinyfit.api.PlanCost;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.CountedBudgets;
import io.tinyfit.testing.TiledPlans;

import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TilingPassTest {
    @Test
    void registeredAsARuntimeOnlyPass() {
        assertThat(PassRegistry.names()).contains(TilingPass.NAME);
        TilingPass p = new TilingPass(0);
        assertThat(p.cost()).isEqualTo(Pass.Cost.TINYFIT_RUNTIME);
        assertThat(p.rank()).isGreaterThan(Pass.RANK_OVERLAP);
    }

    /**
     * The inverted residual (12×12×8 → expand 48 → depthwise → project 8) in 48 slices of one expanded channel, the
     * project conv accumulating int32 partial sums: the input (1,152 B) is read by every slice, the accumulator holds
     * 12×12×8 int32 (4,608 B), one channel of the expanded and of the depthwise tensor is 144 B each, and the output
     * (1,152 B) is written by the finish step once the input is dead, on its bytes: 1,152 + 4,608 + 144 + 144 = 6,048.
     * FDT without partial sums (expand and depthwise per channel, into the whole depthwise output, 6,912 B, which the
     * project conv reads whole): 1,152 + 6,912 + 144 = 8,208.
     */
    @Test
    void channelPartitionFiguresByHand() {
        Graph g = TiledPlans.invertedResidual();
        assertThat(TilerTest.tiled(g, new Split(0, 2, Split.Kind.INPUT_CHANNELS, 48, 1, Split.Halo.NONE)).arenaBytes()).isEqualTo(6048);
        assertThat(TilerTest.tiled(g, new Split(0, 1, Split.Kind.CHANNELS, 48, 1, Split.Halo.NONE)).arenaBytes()).isEqualTo(8208);
        assertThat(OpCost.overheadPct(TilerTest.tiled(g, new Split(0, 1, Split.Kind.CHANNELS, 4, 1, Split.Halo.NONE)))).isZero();
    }

    /** Cached halos repeat no MAC; recomputed ones do, more with more bands; every variant runs bit-exact. */
    @Test
    void cachedHalosRepeatNothingRecomputedOnesDo() {
        Graph g = TiledPlans.chain();
        long untiled = Tiler.build(g, Plans.fileOrder(g), false, List.of(), 16).arenaBytes();
        double before = 0;
        for (int n : new int[] {2, 4, 8}) {
            Plan cached = TilerTest.tiled(g, new Split(0, 2, Split.Kind.ROWS, n, 1, Split.Halo.CACHE));
            Plan streamed = TilerTest.tiled(g, new Split(0, 2, Split.Kind.ROWS, n, 1, Split.Halo.STREAM));
            Plan recomputed = TilerTest.tiled(g, new Split(0, 2, Split.Kind.ROWS, n, 1, Split.Halo.RECOMPUTE));
            assertThat(OpCost.overheadPct(cached)).isZero();
            assertThat(OpCost.overheadPct(streamed)).isZero();
            assertThat(OpCost.overheadPct(recomputed)).isGreaterThan(before);
            before = OpCost.overheadPct(recomputed);
            assertThat(recomputed.arenaBytes()).isLessThan(untiled);
            assertThat(cached.arenaBytes()).isLessThan(untiled);
        }
        // the cache copies the rows the next band shares: one copy per intermediate and band after the first
        Plan c4 = TilerTest.tiled(g, new Split(0, 2, Split.Kind.ROWS, 4, 1, Split.Halo.CACHE));
        assertThat(c4.steps().stream().filter(s -> s.kind() == io.tinyfit.plan.StepKind.COPY).count()).isEqualTo(2 * 3);
        TilerTest.tiled(g, new Split(0, 2, Split.Kind.GRID, 3, 4, Split.Halo.RECOMPUTE));
        TilerTest.tiled(g, new Split(0, 2, Split.Kind.COLUMNS, 4, 1, Split.Halo.CACHE));
    }

    /** The peak of the chain is its two intermediates: the search tiles the whole chain and never exceeds the bound. */
    @Test
    void searchStartsFromThePeakAndKeepsTheBound() {
        Graph g = TiledPlans.chain();
        int[] peak = TilingSearch.peak(Tiler.build(g, Plans.fileOrder(g), false, List.of(), 16), Plans.fileOrder(g));
        assertThat(peak[0]).isEqualTo(1);
        for (double mac : new double[] {0, 10, 100}) {
            TilingSearch.Result r = TilingSearch.search(g, Plans.fileOrder(g), false, 16, TilingSearch.Options.bounded(mac));
            TilerTest.checked(r.best().plan());
            assertThat(r.best().macOverheadPct()).isLessThanOrEqualTo(mac);
            assertThat(r.best().arenaBytes()).isLessThan(r.start().arenaBytes());
            if (mac == 0) assertThat(r.best().splits()).allMatch(s -> s.halo() != Split.Halo.RECOMPUTE);
        }
    }

    /** Through the optimizer as every pass: verified statically and by execution, smaller than DMO, runtime-only. */
    @Test
    void throughTheOptimizer() {
        Graph g = TiledPlans.chain();
        Optimizer.Result dmo = Optimizer.optimize(g, CountedBudgets.options(Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO)));
        OptimizeOptions o = CountedBudgets.options(Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO, TilingPass.NAME));
        Optimizer.Result r = Optimizer.optimize(g, o);
        assertThat(r.verified()).as(r.verification()).isTrue();
        assertThat(r.plan().arenaBytes()).isLessThan(dmo.plan().arenaBytes());
        assertThat(r.deployability().isStockTflm()).isFalse();
        assertThat(PlanCost.macOverheadPct(r.plan())).isZero();
        // the working-set bound of a plan over regions counts bytes, not whole buffers: it never exceeds the arena
        assertThat(r.lowerBoundBytes()).isPositive().isLessThanOrEqualTo(r.plan().arenaBytes());
        TilingPass.Summary why = (TilingPass.Summary) r.explanations().get(TilingPass.NAME);
        assertThat(why.applied()).isTrue();
        assertThat(why.splits()).isNotEmpty();
        // the plan JSON's account names each path by its operators, split and halo, and both layout planners
        assertThat(why.paths()).hasSameSizeAs(why.splits());
        java.util.Map<String, Object> json = why.toJson();
        assertThat(json).containsEntry("applied", true).containsEntry("arena_bytes", r.plan().arenaBytes()).containsEntry("layout_in_search", Tiler.PLANNER);
        TilingPass.PathChoice first = why.paths().get(0);
        assertThat(first.firstOp()).isEqualTo(r.plan().order().get(first.firstPosition()));
        assertThat(first.describe()).startsWith("ops " + first.firstOp() + ".." + first.lastOp() + ": ");
        assertThat(io.tinyfit.report.OptimizeReport.json(r, List.of("tiling"), 4)).containsKey("tiling").containsKey("written_file");
        // the written .tflite cannot hold a plan over regions: it carries the best whole-operator plan (DMO's
        // here), whose offline plan verifies as TFLM runs it, and says so; its arena is the DMO plan's
        assertThat(r.writesAnotherPlan()).isTrue();
        assertThat(r.written().isWholeOperators()).isTrue();
        assertThat(r.written().arenaBytes()).isEqualTo(dmo.plan().arenaBytes());
        Graph file = io.tinyfit.tflite.ModelReader.read(r.modelBytes(), "written.tflite");
        assertThat(io.tinyfit.verify.FilePlan.check(file).status()).isNotEqualTo(io.tinyfit.verify.FilePlan.Status.UNSAFE);
        assertThat(io.tinyfit.report.OptimizeReport.summary(r, 4)).contains("the written .tflite carries the best whole-operator plan");
        Optimizer.Result ten = Optimizer.optimize(g, o.withMaxMacOverhead(10));
        assertThat(ten.verified()).isTrue();
        assertThat(PlanCost.macOverheadPct(ten.plan())).isLessThanOrEqualTo(10);
        assertThat(ten.plan().arenaBytes()).isLessThanOrEqualTo(r.plan().arenaBytes());
    }

    /**
     * Two inverted residuals (24×24×8 → expand 48 → depthwise → project 8, + the block's input; then expand 48 →
     * depthwise stride 2 → project 8): the expanded tensors (27,648 B) make the peak, the projected ones (4,608 B) are
     * the small tensors between blocks.
     */
    static Graph twoBlocks() {
        GraphBuilder b = new GraphBuilder("two-blocks", 17);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 24, 24, 8);
        GraphBuilder.Ref e = b.conv2d(x, 48, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d = b.depthwiseConv2d(e, 1, 3, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref p = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        GraphBuilder.Ref a = b.add(x, p, Activation.NONE);
        GraphBuilder.Ref e2 = b.conv2d(a, 48, 1, 1, Padding.SAME, Activation.RELU6);
        GraphBuilder.Ref d2 = b.depthwiseConv2d(e2, 1, 3, 2, Padding.SAME, Activation.RELU6);
        b.output(b.conv2d(d2, 8, 1, 1, Padding.SAME, Activation.NONE));
        return b.build();
    }

    /**
     * Chains of pipelined paths cover the order from its start, one path per block (cut at the small tensor between
     * them: the ADD's output), each run bit-exact; the search takes a chain when it is the smallest plan.
     */
    @Test
    void chainsOfPipelinedPaths() {
        Graph g = twoBlocks();
        List<Integer> order = Plans.fileOrder(g);
        assertThat(PipelineChains.cuts(g, order)).contains(3);
        List<List<Split>> chains = PipelineChains.chains(g, order);
        assertThat(chains).isNotEmpty();
        assertThat(chains).allSatisfy(c -> {
            assertThat(c.get(0).first()).isZero();
            assertThat(c).allMatch(s -> s.halo() == Split.Halo.PIPELINE && s.kind() == Split.Kind.ROWS && s.length() >= 2);
        });
        assertThat(chains.get(0)).extracting(Split::first, Split::last).containsExactly(org.assertj.core.groups.Tuple.tuple(0, 3),
                org.assertj.core.groups.Tuple.tuple(4, 6));
        long untiled = Tiler.build(g, order, false, List.of(), 16).arenaBytes();
        for (List<Split> c : chains) assertThat(TilerTest.checked(Tiler.build(g, order, false, c, 16)).arenaBytes()).isLessThan(untiled);
        TilingSearch.Result r = TilingSearch.search(g, order, false, 16, TilingSearch.Options.bounded(0));
        TilerTest.checked(r.best().plan());
        TilingSearch.Candidate chain = TilingSearch.chains(g, order, false, 16, TilingSearch.Options.bounded(0), r.start(), new java.util.ArrayList<>());
        assertThat(chain).isNotNull();
        assertThat(r.best().arenaBytes()).isLessThanOrEqualTo(chain.arenaBytes());
        assertThat(r.best().macOverheadPct()).isZero();
    }
}
