package io.tinyfit.schedule;

import io.tinyfit.layout.LowerBound;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Order search on every shared real model; prints the comparison table. */
class OrderSearchModelsTest {

    @Test
    void bestOrderNeverNeedsMoreThanTflmOnFileOrder() throws IOException {
        Shared.assume();
        List<String> rows = new ArrayList<>();
        rows.add(header());
        for (Path p : Shared.modelFiles()) {
            Graph g = ModelReader.read(p);
            long t0 = System.nanoTime();
            OrderSearch.Result r = OrderSearch.search(g);
            double ms = (System.nanoTime() - t0) / 1e6;
            String model = Shared.stem(p);
            OpDag dag = OpDag.of(g);
            long baseline = TflmBaseline.plan(g).arenaBytes();

            assertThat(r.arenaBytes()).as(model).isLessThanOrEqualTo(baseline);
            assertThat(r.fileOrder().tflmArenaBytes()).as(model).isEqualTo(baseline);
            assertThat(r.exactCompleted()).as(model).isTrue();
            for (OrderSearch.Candidate c : r.candidates()) {
                assertThat(dag.isTopologicalOrder(c.order())).as(model + " " + c.scheduler()).isTrue();
                assertThat(new MemoryModel(g, 16).peakOf(c.order())).as(model).isEqualTo(c.liveness().peak());
            }
            assertThat(r.workingSetLowerBound()).as(model)
                    .isEqualTo(LowerBound.of(OrderSearch.problem(g, r.order(), 16)))
                    .isLessThanOrEqualTo(r.arenaBytes());
            assertThat(r.minPeakOverAllOrders()).as(model)
                    .isLessThanOrEqualTo(Liveness.of(g, Plans.fileOrder(g)).peak());
            rows.add(row(model, g, r) + String.format(" %8.1f", ms));
        }
        rows.forEach(System.out::println);
    }

    /** Column titles matching {@link #row}, plus the search time in milliseconds. */
    private static String header() {
        return String.format("%-36s %4s %10s %10s %10s %10s %10s  %-44s %-28s %8s", "model", "ops", "file-tflm",
                "file-best", "best-arena", "best-ws-lb", "min-ws-any", "winner (scheduler / planner)", "search status", "ms");
    }

    /**
     * model, op count, file-order TFLM baseline, file order's best layout, best order's placed arena, the working
     * set lower bound of that order, least working set over all orders (exact only), winner, search status.
     */
    private static String row(String model, Graph g, OrderSearch.Result r) {
        long baseline = TflmBaseline.plan(g).arenaBytes();
        ExactScheduler.Result e = r.exact();
        long minAny = r.minPeakOverAllOrders();
        String[] parts = r.scheduler().split("\\+");
        String winner = (parts.length == 1 ? parts[0] : parts[0] + " (+" + (parts.length - 1) + " same)") + " / " + r.planner();
        return String.format("%-36s %4d %10d %10d %10d %10d %10s  %-44s %-28s", model, g.ops().size(), baseline,
                r.fileOrder().arenaBytes(), r.arenaBytes(), r.workingSetLowerBound(), minAny < 0 ? "-" : Long.toString(minAny),
                winner, e.status() + " (" + e.states() + " states)");
    }
}
