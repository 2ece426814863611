package io.tinyfit.bench;

import io.tinyfit.model.Graph;
import io.tinyfit.schedule.OrderSearch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The operator-order search with its default budgets. Target: the largest shared model
 * ({@code tflm_mobilenet_v2_224_int8}, 84 operators) well within 10 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class OrderSearchBenchmark {
    @Param("default")
    public String model;

    private Graph graph;

    @Setup
    public void load() {
        graph = BenchModels.load(model);
    }

    @Benchmark
    public long search() { return OrderSearch.search(graph).arenaBytes(); }
}
