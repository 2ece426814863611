package io.tinyfit.schedule;

import io.tinyfit.api.Optimizer;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The optimizer's order pass honours the layout options it is given: {@code --exact-seconds} bounds the exact scheduler too. */
class OrderingsTest {
    @Test
    void theExactTimeLimitReachesTheExactScheduler() {
        // this 60-operator graph is searched exhaustively in well under a second, but not in no time at all
        Graph g = TinyGraphs.random(new Random(11), 60);
        Optimizer.Ordering none = Orderings.search(g, PlannerSuite.Options.quick().withExactTimeLimit(Duration.ZERO));
        Optimizer.Ordering some = Orderings.search(g, PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofSeconds(30)));
        assertThat(none.exact()).as("no time for the exact scheduler").isFalse();
        assertThat(some.exact()).as("time enough for the exact scheduler").isTrue();
    }
}
