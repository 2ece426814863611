package io.tinyfit.cli;

import io.tinyfit.exec.ExecutionException;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.exec.Npy;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model with tinyfit's bit-exact kernels inside its TFLM-planned arena.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = "--inputs", paramLabel = "DIR", description = "input_<i>.bin (raw little-endian) or input_<i>.npy; default: the golden xorshift inputs")
    Path inputs;

    @Option(names = "--outputs", paramLabel = "DIR", description = "where output_<i>.bin are written")
    Path outputs;

    @Option(names = "--npy", description = "also write output_<i>.npy")
    boolean npy;

    @Option(names = "--dump", paramLabel = "DIR", description = "write every non-constant tensor after the step that produces it, as <tensor_index>.bin")
    Path dump;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Graph g = modelOptions.load(model);
        List<byte[]> in = inputs == null ? InputGenerator.golden(g) : readInputs(g, inputs);
        Plan plan = modelOptions.baseline(g, spec.commandLine().getErr());
        Map<Integer, byte[]> dumped = new LinkedHashMap<>();
        if (dump != null) for (int i = 0; i < in.size(); i++) dumped.put(g.inputs().get(i), in.get(i));
        List<byte[]> out = new Interpreter(plan).run(in, dump == null ? io.tinyfit.exec.StepObserver.NONE : (step, opIndex, op, outs) -> {
            for (int i = 0; i < outs.size(); i++) dumped.put(op.output(i), outs.get(i).toByteArray());
        });
        // Write only after the whole run succeeded, so a failing run leaves no partial output behind.
        if (outputs != null) {
            for (int i = 0; i < out.size(); i++) {
                AtomicFiles.write(outputs.resolve("output_" + i + ".bin"), out.get(i));
                if (npy) {
                    Tensor t = g.tensor(g.outputs().get(i));
                    AtomicFiles.write(outputs.resolve("output_" + i + ".npy"), Npy.write(t.dtype(), t.shape(), out.get(i)));
                }
            }
        }
        if (dump != null) dumped.forEach((t, bytes) -> AtomicFiles.write(dump.resolve(t + ".bin"), bytes));
        var w = spec.commandLine().getOut();
        w.printf("%s: ran %d operators in a %,d-byte arena (TFLM plan: %s)%n", g.source(), plan.stepCount(), plan.arenaBytes(), plan.planner());
        for (int i = 0; i < out.size(); i++) {
            Tensor t = g.tensor(g.outputs().get(i));
            w.printf("output %d: %s %s %s, %d bytes%s%n", i, t.label(), t.dtype().label(), t.shape(), out.get(i).length,
                    outputs == null ? "" : " -> " + outputs.resolve("output_" + i + ".bin"));
        }
        return 0;
    }

    static List<byte[]> readInputs(Graph g, Path dir) {
        if (!Files.isDirectory(dir)) throw new ExecutionException(dir + ": input directory does not exist");
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            Tensor t = g.tensor(g.inputs().get(i));
            Path bin = dir.resolve("input_" + i + ".bin");
            Path npyFile = dir.resolve("input_" + i + ".npy");
            try {
                if (Files.exists(npyFile)) {
                    Npy.Array a = Npy.read(Files.readAllBytes(npyFile), npyFile.toString());
                    if (a.dtype() != t.dtype()) {
                        throw new ExecutionException(npyFile + ": dtype " + a.dtype().label() + " but input " + i + " (" + t.label() + ") is " + t.dtype().label());
                    }
                    if (a.shape().numElements() != t.shape().numElements() || !a.shape().equals(t.shape()) && a.shape().rank() != 0) {
                        throw new ExecutionException(npyFile + ": shape " + a.shape() + " but input " + i + " (" + t.label() + ") is " + t.shape());
                    }
                    out.add(a.data());
                } else if (Files.exists(bin)) {
                    byte[] data = Files.readAllBytes(bin);
                    if (data.length != t.bytes()) {
                        throw new ExecutionException(bin + ": " + data.length + " bytes but input " + i + " (" + t.label() + ", " + t.dtype().label() + " " + t.shape() + ") needs " + t.bytes());
                    }
                    out.add(data);
                } else {
                    throw new ExecutionException(dir + ": missing input_" + i + ".bin or input_" + i + ".npy for input " + i + " (" + t.label() + ")");
                }
            } catch (IOException e) {
                throw new ExecutionException(dir + ": cannot read input " + i + " (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
