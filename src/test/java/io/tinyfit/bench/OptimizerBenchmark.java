package io.tinyfit.bench;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.Graph;
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
 * One whole {@code optimize} (passes, static checks, the execution check) with the command line's budgets.
 * {@code methods} is a comma-separated pass list; {@code model} as in {@link InterpreterBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class OptimizerBenchmark {
    @Param("default")
    public String model;

    @Param({"reorder,layout", "reorder,layout,dmo"})
    public String methods;

    private Graph graph;

    @Setup
    public void load() {
        graph = BenchModels.load(model);
    }

    @Benchmark
    public long optimize() {
        return Optimizer.optimize(graph, OptimizeOptions.of(methods.split(","))).plan().arenaBytes();
    }
}
