package io.tinyfit.bench;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.plan.Plan;
import io.tinyfit.tiling.TilingSearch;
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
 * The tiling search alone ({@link TilingSearch#search} with the optimizer's counted budgets) on the order and
 * placement of {@code reorder,layout,dmo}, as {@code optimize --methods reorder,layout,dmo,tiling} runs it. The
 * issue's target: under 30 s for {@code tflm_mobilenet_v2_224_int8} on a 2-core machine. Returns the number of plans
 * placed, which is the same on every run (the budgets are counts, never times).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = "-Xmx8g")
public class TilingSearchBenchmark {
    @Param("../shared/models/tflm_mobilenet_v2_224_int8.tflite")
    public String model;

    @Param("0")
    public double maxMacOverheadPct;

    private Plan given;

    @Setup
    public void prepare() {
        OptimizeOptions o = OptimizeOptions.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO).withMaxMacOverhead(maxMacOverheadPct);
        given = Optimizer.plan(BenchModels.load(model), o).plan();
    }

    @Benchmark
    public int search() {
        return TilingSearch.search(given.graph(), given.order(), given.keepInputs(), given.alignment(), TilingSearch.Options.bounded(maxMacOverheadPct)).tried().size();
    }
}
