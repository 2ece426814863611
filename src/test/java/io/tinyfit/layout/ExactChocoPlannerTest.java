package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ExactChocoPlannerTest {

    @Test
    void beatsTflmOnTheGreedyMediumCaseAndProvesIt() {
        ExactChocoPlanner p = new ExactChocoPlanner(1, Duration.ofSeconds(5));
        p.addBuffer(10, 0, 1);
        p.addBuffer(20, 1, 2);
        p.addBuffer(30, 2, 3);
        p.addBuffer(40, 3, 4);
        p.addBuffer(50, 0, 1);
        // TFLM needs 90; steps 2..3 hold 30 + 40 and steps 0..1 hold 10 + 50 + 20 = 80
        assertThat(p.arenaSize()).isEqualTo(80);
        assertThat(p.lastResult().status()).isEqualTo(SolveStatus.OPTIMAL);
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
    }

    @Test
    void keepsTheIncumbentAndSaysSoWhenTimeRunsOut() {
        LayoutProblem problem = RandomProblems.modelLike(11, 120, 16, true);
        Layout incumbent = Planners.plan(TflmGreedyPlanner::new, problem);
        ExactResult r = ExactChocoPlanner.solve(problem, incumbent, Duration.ofMillis(200));
        assertThat(r.layout().arenaSize()).isLessThanOrEqualTo(incumbent.arenaSize());
        assertThat(r.incumbent()).isEqualTo(incumbent.arenaSize());
        assertThat(LayoutChecker.check(problem, r.layout()).valid()).isTrue();
        if (r.status() != SolveStatus.OPTIMAL) {
            assertThat(r.status()).isEqualTo(SolveStatus.TIME_LIMITED);
            assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(5));
        }
        if (r.improvements() == 0) {
            assertThat(r.layout()).isEqualTo(incumbent);
        }
    }

    @Test
    void incumbentAtTheLowerBoundIsOptimalWithoutSearching() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(64, 0, 1);
        b.addBuffer(32, 1, 2);
        LayoutProblem problem = b.build();
        ExactResult r = ExactChocoPlanner.solve(problem, Planners.plan(TflmGreedyPlanner::new, problem), Duration.ofSeconds(1));
        assertThat(r.status()).isEqualTo(SolveStatus.OPTIMAL);
        assertThat(r.improvements()).isZero();
        assertThat(r.layout().arenaSize()).isEqualTo(96);
    }

    @Test
    void honoursOfflineOffsets() {
        ExactChocoPlanner p = new ExactChocoPlanner(16, Duration.ofSeconds(2));
        p.addBuffer(64, 0, 2, 64);
        p.addBuffer(64, 0, 0);
        p.addBuffer(128, 1, 2);
        assertThat(p.offsetOf(0)).isEqualTo(64);
        assertThat(LayoutChecker.check(p.problem(), p.layout()).valid()).isTrue();
        // buffer 2 cannot fit below the fixed buffer, so it goes above: 128 + 128
        assertThat(p.arenaSize()).isEqualTo(256);
        assertThat(p.lastResult().optimal()).isTrue();
    }
}
