package io.tinyfit.layout;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Random-instance properties every strategy must satisfy. */
class PlannerPropertiesTest {

    private static final Duration EXACT_LIMIT = Duration.ofSeconds(2);

    @Property(tries = 100)
    void everyStrategyIsValidAndNeverBelowTheLowerBound(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 30) int buffers,
            @ForAll @IntRange(min = 1, max = 10) int steps,
            @ForAll("alignments") int alignment,
            @ForAll boolean offline,
            @ForAll boolean allowances) {
        LayoutProblem problem = RandomProblems.random(seed, buffers, steps, 200, alignment, offline, allowances);
        long bound = LowerBound.chainAware(problem);
        assertThat(bound).isGreaterThanOrEqualTo(LowerBound.overlapAware(problem)).isLessThanOrEqualTo(LowerBound.of(problem));
        for (IntFunction<MemoryPlanner> factory : Planners.all(Duration.ofMillis(150))) {
            MemoryPlanner planner = problem.feedInto(factory.apply(alignment));
            Layout layout = planner.layout();
            assertThat(LayoutChecker.check(problem, layout).violations()).as(planner.name()).isEmpty();
            assertThat(layout.arenaSize()).as(planner.name()).isGreaterThanOrEqualTo(bound);
            if (planner instanceof TflmGreedyPlanner) {
                // TFLM never shares, so even the allowance-blind bound holds for it
                assertThat(layout.arenaSize()).isGreaterThanOrEqualTo(LowerBound.of(problem));
            }
        }
    }

    @Provide
    Arbitrary<Integer> alignments() {
        return Arbitraries.of(1, 4, 16);
    }

    @Property(tries = 40)
    void exactSolverIsNoWorseThanAnyHeuristicOnSmallInstances(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 12) int buffers,
            @ForAll boolean allowances) {
        LayoutProblem problem = RandomProblems.random(seed, buffers, 5, 128, 16, true, allowances);
        ExactChocoPlanner exact = problem.feedInto(new ExactChocoPlanner(16, EXACT_LIMIT));
        for (IntFunction<MemoryPlanner> factory : Planners.all(EXACT_LIMIT)) {
            assertThat(exact.arenaSize()).isLessThanOrEqualTo(Planners.plan(factory, problem).arenaSize());
        }
        assertThat(LayoutChecker.check(problem, exact.layout()).valid()).isTrue();
    }

    @Property(tries = 60)
    void exactSolverMatchesBruteForceOnTinyInstances(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int buffers,
            @ForAll boolean offline,
            @ForAll boolean allowances) {
        LayoutProblem problem = RandomProblems.random(seed, buffers, 4, 48, 16, offline, allowances);
        ExactChocoPlanner exact = problem.feedInto(new ExactChocoPlanner(16, EXACT_LIMIT));
        ExactResult result = exact.lastResult();
        assertThat(result.status()).isEqualTo(SolveStatus.OPTIMAL);
        assertThat(exact.arenaSize()).isEqualTo(BruteForce.optimum(problem)).isGreaterThanOrEqualTo(LowerBound.chainAware(problem));
    }

    /**
     * Chains of allowances, each output overlapping its input from below: the chain bound never exceeds the
     * brute-force optimum, and it often rises above the per-step overlap-aware bound (the drift it exists for).
     */
    @Property(tries = 150)
    void chainBoundNeverExceedsTheOptimum(@ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int length,
                                         @ForAll boolean sideBuffer) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        long common = 16L * (2 + r.nextInt(3));
        for (int i = 0; i < length; i++) {
            // mostly equal activations and deltas well inside them, as kernels have them; sometimes neither
            long size = r.nextInt(4) == 0 ? 16L * (1 + r.nextInt(4)) : common;
            int out = b.addBuffer(size, i, i + 1);
            if (i > 0) b.allowOverlap(out, out - 1, r.nextInt(4) == 0 ? r.nextLong(size + 17) : 1 + r.nextLong(size / 2));
        }
        if (sideBuffer) b.addBuffer(16L * (1 + r.nextInt(3)), r.nextInt(length), length);
        LayoutProblem problem = b.build();
        long bound = LowerBound.chainAware(problem);
        assertThat(bound).isLessThanOrEqualTo(BruteForce.optimum(problem));
        Statistics.label("chain bound above the per-step bound").collect(bound > LowerBound.overlapAware(problem));
        Statistics.label("chain bound above the per-step bound").coverage(c -> c.check(true).percentage(p -> p > 10));
    }

    @Property(tries = 30)
    void localSearchIsDeterministicForAGivenSeed(@ForAll long seed) {
        LayoutProblem problem = RandomProblems.random(seed, 25, 8, 300, 16, false, true);
        IntFunction<MemoryPlanner> ils = a -> new IteratedLocalSearch(a, 500, Duration.ofSeconds(30), seed);
        assertThat(Planners.plan(ils, problem)).isEqualTo(Planners.plan(ils, problem));
    }

    @Property(tries = 30)
    void localSearchNeverLosesToItsStartingOrders(@ForAll long seed, @ForAll boolean allowances) {
        LayoutProblem problem = RandomProblems.random(seed, 30, 8, 300, 16, false, allowances);
        long ils = Planners.plan(a -> new IteratedLocalSearch(a, 300, Duration.ofSeconds(30), 3), problem).arenaSize();
        assertThat(ils).isLessThanOrEqualTo(Planners.plan(GreedyBySizeBestFit::new, problem).arenaSize());
        assertThat(ils).isLessThanOrEqualTo(Planners.plan(GreedyByConflicts::new, problem).arenaSize());
    }
}
