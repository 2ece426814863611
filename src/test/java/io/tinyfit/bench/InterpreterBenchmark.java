package io.tinyfit.bench;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One inference in the TFLM-planned arena (the interpreter's speed target lives here, never in a unit test).
 * {@code model} is {@code default} (the embedded model) or a {@code .tflite} path, e.g.
 * {@code -p model=../shared/models/mlperf_ic_resnet8_int8.tflite}. How to run: see {@code bench/README.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InterpreterBenchmark {
    @Param("default")
    public String model;

    private Interpreter interpreter;
    private List<byte[]> inputs;

    @Setup
    public void load() {
        Graph g = BenchModels.load(model);
        Plan plan = TflmBaseline.plan(g);
        interpreter = new Interpreter(plan);
        inputs = InputGenerator.golden(g);
    }

    @Benchmark
    public List<byte[]> inference() { return interpreter.run(inputs); }
}
