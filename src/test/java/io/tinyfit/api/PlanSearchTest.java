package io.tinyfit.api;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Deployability;
import io.tinyfit.plan.Pass;
import io.tinyfit.targets.Budget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan search's rules on the embedded model, independent of which passes are registered (other tests register
 * more): sets grow by cost, the smallest verified plan wins without a budget, a budget stops at the first plan that
 * meets it, the time limit stops between sets and says so.
 */
class PlanSearchTest {
    private static final Graph MODEL = DefaultModels.mobileNetV2Style();
    private static final OptimizeOptions OPTIONS = OptimizeOptions.of();

    private static PlanSearch.Request request(Optional<Budget> budget, Duration limit) {
        return new PlanSearch.Request(OPTIONS, PassRegistry.names(), 0, budget, 4, limit);
    }

    @Test
    void methodSetsGrowByCostUpToEveryPass() {
        List<List<String>> sets = PlanSearch.methodSets(PassRegistry.names(), OPTIONS);
        assertThat(sets.get(sets.size() - 1)).containsExactlyInAnyOrderElementsOf(PassRegistry.names());
        for (int i = 1; i < sets.size(); i++) assertThat(sets.get(i)).containsAll(sets.get(i - 1)).hasSizeGreaterThan(sets.get(i - 1).size());
        // the first set costs nothing at run time: DMO, proven for the reference kernels only, comes later
        for (String m : sets.get(0)) assertThat(PassRegistry.create(m, OPTIONS).cost()).isEqualTo(Pass.Cost.FREE);
        assertThat(sets.get(0)).doesNotContain(Optimizer.DMO);
        assertThat(PlanSearch.methodSets(List.of(), OPTIONS)).containsExactly(List.of());
    }

    @Test
    void withoutABudgetTheSmallestVerifiedPlanIsWritten() {
        List<String> events = new ArrayList<>();
        PlanSearch.Outcome o = PlanSearch.search(MODEL, request(Optional.empty(), null), new PlanSearch.Progress() {
            @Override public void trying(int index, int total, List<String> methods) { events.add("try " + index + "/" + total); }
            @Override public void tried(PlanSearch.Candidate c) { events.add("tried " + c.label()); }
            @Override public void done() { events.add("done"); }
        });
        int sets = PlanSearch.methodSets(PassRegistry.names(), OPTIONS).size();
        assertThat(o.tried()).hasSize(sets);
        assertThat(o.notTried()).isEmpty();
        assertThat(o.stop()).isNull();
        // the written file runs in stock TFLM: the smallest such plan; a smaller runtime-only plan (tiling) is named
        long smallest = o.tried().stream().filter(c -> c.deployability().isStockTflm()).mapToLong(PlanSearch.Candidate::neededBytes).min().orElseThrow();
        assertThat(o.written().neededBytes()).isEqualTo(smallest);
        assertThat(o.written().result().verified()).isTrue();
        assertThat(o.written().wholeArena()).isTrue();
        assertThat(o.written().macOverheadPct()).isZero();
        if (o.smaller() != null) {
            assertThat(o.smaller().deployability().isStockTflm()).isFalse();
            assertThat(o.smaller().neededBytes()).isLessThan(smallest);
            assertThat(o.smaller().result().verified()).isTrue();
        }
        assertThat(events).hasSize(2 * sets + 1).endsWith("done");
        // the figure is the written file's whole TFLM arena, as --budget judges it
        assertThat(o.written().neededBytes()).isEqualTo(o.written().result().arena().bits32().predictedMinBytes());
    }

    @Test
    void aBudgetStopsAtTheFirstPlanThatMeetsIt() {
        Optional<Budget> roomy = Budget.of(1L << 30, null, Optional.empty(), 4);
        PlanSearch.Outcome o = PlanSearch.search(MODEL, request(roomy, null), PlanSearch.Progress.NONE);
        assertThat(o.tried()).hasSize(1);
        assertThat(o.written()).isSameAs(o.tried().get(0));
        assertThat(o.written().result().verified()).isTrue();
        if (PlanSearch.methodSets(PassRegistry.names(), OPTIONS).size() > 1) {
            assertThat(o.stop()).startsWith("budget met by " + o.written().label());
            assertThat(o.notTried()).isNotEmpty();
        }
        // too small for any plan: every set is tried and the smallest is written
        Optional<Budget> tight = Budget.of(1L, null, Optional.empty(), 4);
        PlanSearch.Outcome miss = PlanSearch.search(MODEL, request(tight, null), PlanSearch.Progress.NONE);
        assertThat(miss.notTried()).isEmpty();
        assertThat(miss.written().neededBytes()).isEqualTo(miss.tried().stream().filter(c -> c.deployability().isStockTflm())
                .mapToLong(PlanSearch.Candidate::neededBytes).min().orElseThrow());
    }

    @Test
    void theTimeLimitStopsBetweenMethodSetsAndSaysSo() {
        PlanSearch.Outcome o = PlanSearch.search(MODEL, request(Optional.empty(), Duration.ZERO), PlanSearch.Progress.NONE);
        assertThat(o.tried()).hasSize(1);
        if (PlanSearch.methodSets(PassRegistry.names(), OPTIONS).size() > 1) {
            assertThat(o.timedOut()).isTrue();
            assertThat(o.stop()).startsWith("time limit of 0.0 s reached after 1 of ");
            assertThat(o.notTried()).isNotEmpty();
        }
        assertThat(o.written().result().verified()).isTrue();
    }

    @Test
    void wholePlansRepeatNoMacsAndMoveNoBytes() {
        Optimizer.Result r = Optimizer.optimize(MODEL, OptimizeOptions.of("reorder", "layout"));
        assertThat(PlanCost.macOverheadPct(r.plan())).isZero();
        assertThat(PlanCost.transferBytes(r.plan())).isZero();
    }

    /**
     * The rules on planted candidates (no pass makes tiles or spills yet): a smaller plan that needs tinyfit's
     * runtime is named but the stock-TFLM one is written; MAC overhead above the limit is never chosen; with a
     * budget the cheapest plan meeting it wins over a smaller, dearer one; a plan failing execution is skipped.
     */
    @Test
    void theRulesPreferStockTflmThenMacsThenTransfers() {
        Optimizer.Result real = Optimizer.plan(MODEL, OPTIONS);
        Deployability stock = new Deployability(Deployability.STOCK_TFLM, null);
        Deployability runtime = new Deployability(Deployability.TINYFIT_RUNTIME, "tiles TFLM cannot express");
        PlanSearch.Candidate a = new PlanSearch.Candidate(List.of("a"), real, stock, 1000, true, 0, 0, 0, null);
        PlanSearch.Candidate b = new PlanSearch.Candidate(List.of("a", "b"), real, runtime, 800, true, 0, 0, 0, null);
        PlanSearch.Candidate c = new PlanSearch.Candidate(List.of("a", "c"), real, stock, 900, true, 12.5, 0, 0, "MAC overhead 12.5% above the limit of 0.0%");
        PlanSearch.Candidate d = new PlanSearch.Candidate(List.of("a", "d"), real, stock, 950, true, 0, 4096, 0, null);
        List<PlanSearch.Candidate> executed = new ArrayList<>();
        java.util.function.UnaryOperator<PlanSearch.Candidate> exec = x -> {
            executed.add(x);
            return x;
        };

        PlanSearch.Outcome o = PlanSearch.choose(List.of(a, b, c, d), List.of(), Optional.empty(), null, exec);
        assertThat(o.written()).isSameAs(d);   // the smallest stock plan: 950 B, though it moves bytes
        assertThat(o.smaller()).isSameAs(b);   // 800 B, but only as tinyfit's generated C
        assertThat(executed).containsExactly(d, b).doesNotContain(c);

        // with a budget both a and d meet, the cheaper (no transfers) wins although it is larger
        Optional<Budget> budget = Budget.of(1000L, null, Optional.empty(), 4);
        assertThat(PlanSearch.choose(List.of(a, b, c, d), List.of(), budget, null, exec).written()).isSameAs(a);

        // a plan that fails execution is rejected and the next one taken
        PlanSearch.Outcome failed = PlanSearch.choose(List.of(a, d), List.of(), Optional.empty(), null,
                x -> x == d ? new PlanSearch.Candidate(x.methods(), x.result(), x.deployability(), x.neededBytes(), true, 0, 4096, 0, "failed verification by execution: planted") : x);
        assertThat(failed.written()).isSameAs(a);
        assertThat(failed.tried()).anyMatch(x -> "failed verification by execution: planted".equals(x.rejection()));
    }
}
