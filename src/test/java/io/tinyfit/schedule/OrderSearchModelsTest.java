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
        rows.add(OrderSearchBenchmark.header());
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
            rows.add(OrderSearchBenchmark.row(model, g, r) + String.format(" %8.1f", ms));
        }
        rows.forEach(System.out::println);
    }

    @Test
    void largestSharedModelIsSearchedWellWithinTenSeconds() throws IOException {
        Shared.assume();
        Path p = Shared.models().resolve("tflm_mobilenet_v2_224_int8.tflite");
        org.junit.jupiter.api.Assumptions.assumeTrue(p.toFile().isFile(), "mobilenet_v2 not shared");
        Graph g = ModelReader.read(p);
        OrderSearch.search(g); // warm-up: class loading and JIT would otherwise dominate
        long t0 = System.nanoTime();
        OrderSearch.Result r = OrderSearch.search(g);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("OrderSearch on tflm_mobilenet_v2_224_int8 (%d ops): %.3f s, %s%n", g.ops().size(), seconds,
                r.exact().status());
        assertThat(seconds).isLessThan(10.0);
    }
}
