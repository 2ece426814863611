package io.tinyfit.api;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelReader;

import java.nio.file.Path;

/**
 * tinyfit for JVM users: load a {@code .tflite}, read TFLM's own arena, optimise it and write the result.
 *
 * <pre>{@code
 * Tinyfit model = Tinyfit.load(Path.of("model.tflite"));
 * Optimizer.Result r = model.optimize(OptimizeOptions.of("reorder", "layout", "dmo"));
 * if (r.verified()) r.write(Path.of("model.opt.tflite"));
 * }</pre>
 *
 * Every failure caused by the input is a {@link io.tinyfit.model.TinyfitException} naming the file, tensor or
 * operator.
 */
public final class Tinyfit {
    private final Graph model;

    private Tinyfit(Graph model) { this.model = model; }

    /** Reads and checks a model file. */
    public static Tinyfit load(Path file) { return new Tinyfit(ModelReader.read(file)); }

    /** A model built in code (e.g. with {@link io.tinyfit.model.GraphBuilder}). */
    public static Tinyfit of(Graph model) { return new Tinyfit(model); }

    public Graph model() { return model; }

    /** TFLM's planned head for the model as it is: what its greedy planner places. */
    public long tflmHeadBytes() { return TflmBaseline.plan(model).arenaBytes(); }

    /** The best plan the selected passes find, verified statically and by execution. */
    public Optimizer.Result optimize(OptimizeOptions options) { return Optimizer.optimize(model, options); }
}
