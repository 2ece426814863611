package io.tinyfit.api;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
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
        long smallest = o.tried().stream().mapToLong(PlanSearch.Candidate::neededBytes).min().orElseThrow();
        assertThat(o.written().neededBytes()).isEqualTo(smallest);
        assertThat(o.written().result().verified()).isTrue();
        assertThat(o.written().wholeArena()).isTrue();
        assertThat(o.written().macOverheadPct()).isZero();
        assertThat(o.smaller()).isNull();
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
        assertThat(miss.written().neededBytes()).isEqualTo(miss.tried().stream().mapToLong(PlanSearch.Candidate::neededBytes).min().orElseThrow());
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
}
