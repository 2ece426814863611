package io.tinyfit.schedule;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The reorder pass honours its budget, and {@code --exact-seconds} reaches it through the optimizer's options. */
class ReorderPassTest {
    @Test
    void theExactTimeLimitReachesTheExactScheduler() {
        // this 60-operator graph is searched exhaustively in well under a second, but not in no time at all
        Graph g = TinyGraphs.random(new Random(11), 60);
        assertThat(ordering(g, Duration.ZERO).exact()).as("no time for the exact scheduler").isFalse();
        assertThat(ordering(g, Duration.ofSeconds(30)).exact()).as("time enough for the exact scheduler").isTrue();
    }

    @Test
    void theOptimizerGivesTheExactSchedulerTheLayoutSolversTimeLimit() {
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(1234));
        assertThat(new OptimizeOptions(Set.of(ReorderPass.NAME), layout).orderBudget().timeLimit()).isEqualTo(Duration.ofMillis(1234));
    }

    private static Ordering ordering(Graph g, Duration limit) {
        PlannerSuite.Options layout = PlannerSuite.Options.quick().withExactTimeLimit(limit);
        OptimizeOptions options = new OptimizeOptions(Set.of(ReorderPass.NAME), layout);
        PassContext ctx = new PassContext(g, layout);
        ReorderPass pass = new ReorderPass(options.orderBudget());
        Plan chosen = pass.apply(TflmBaseline.plan(g), ctx).plan();
        return pass.explain(chosen, ctx);
    }
}
