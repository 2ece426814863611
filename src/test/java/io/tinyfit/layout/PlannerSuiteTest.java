package io.tinyfit.layout;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerSuiteTest {

    @Test
    void picksTheBestValidLayoutAndReportsTheGap() {
        LayoutProblem problem = RandomProblems.modelLike(7, 40, 16, true);
        PlannerSuite.Result r = PlannerSuite.run(problem, PlannerSuite.Options.quick());
        assertThat(r.runs()).extracting(PlannerSuite.StrategyRun::strategy).containsExactly("tflm-greedy",
                "tflm-greedy+dmo", "greedy-size-bestfit", "greedy-conflicts", "iterated-local-search", "exact-choco");
        assertThat(r.runs()).allMatch(PlannerSuite.StrategyRun::valid);
        // the TFLM figure stays stock TFLM's, even though its DMO variant shares bytes here
        assertThat(r.tflmArenaSize()).isEqualTo(r.runs().get(0).arenaSize())
                .isGreaterThan(r.runs().get(1).arenaSize());
        assertThat(LayoutChecker.check(problem, r.best()).valid()).isTrue();
        long smallest = r.runs().stream().mapToLong(PlannerSuite.StrategyRun::arenaSize).min().orElseThrow();
        assertThat(r.best().arenaSize()).isEqualTo(smallest);
        assertThat(r.bestStrategy()).isEqualTo(r.best().strategy());
        assertThat(r.lowerBound()).isEqualTo(LowerBound.chainAware(problem));
        assertThat(r.gapBytes()).isEqualTo(r.best().arenaSize() - r.lowerBound()).isNotNegative();
        assertThat(r.savedVsTflm()).isNotNegative();
    }

    @Test
    void creditsTheFirstStrategyThatReachedTheBestSizeAndProvesOptimality() {
        // every strategy finds 0..16 / 16..32: the TFLM baseline is credited, and it meets the bound
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(16, 0, 1);
        b.addBuffer(16, 1, 2);
        PlannerSuite.Result r = PlannerSuite.run(b.build(), PlannerSuite.Options.quick());
        assertThat(r.bestStrategy()).isEqualTo("tflm-greedy");
        assertThat(r.provenOptimal()).isTrue();
        assertThat(r.gapPercent()).isZero();
    }

    @Test
    void canSkipTheExactSolver() {
        LayoutProblem problem = RandomProblems.modelLike(3, 20, 16, false);
        PlannerSuite.Result r = PlannerSuite.run(problem, PlannerSuite.Options.quick().withExactTimeLimit(Duration.ZERO));
        assertThat(r.exactStatus()).isNull();
        assertThat(r.runs()).hasSize(5);
    }
}
