package io.tinyfit.cli;

import io.tinyfit.exec.InputFiles;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.Interpreter;
import io.tinyfit.exec.Npy;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plan;
import io.tinyfit.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model with tinyfit's bit-exact kernels inside its TFLM-planned arena; prints each output's values (dequantised where quantised, the top classes of class scores) and every input's and output's scale and zero point.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = ".tflite model (default: the embedded model)")
    Path model;

    @Option(names = "--inputs", paramLabel = "PATH", description = "a folder with input_<i>.bin (raw little-endian) or input_<i>.npy per input, or for a model with one input a single .bin or .npy file; default: the golden xorshift inputs")
    Path inputs;

    @Option(names = "--quantize-inputs", description = "the input files hold real numbers (.npy float32 or float64, .bin float32): quantise them with each quantised input's scale and zero point, as TFLM's QUANTIZE does")
    boolean quantizeInputs;

    @Option(names = "--top", paramLabel = "K", description = "classes to list for outputs that hold class scores (default: ${DEFAULT-VALUE}; 0 lists values instead)")
    int top = 5;

    @Option(names = "--outputs", paramLabel = "DIR", description = "where output_<i>.bin are written")
    Path outputs;

    @Option(names = "--npy", description = "also write output_<i>.npy")
    boolean npy;

    @Option(names = "--dump", paramLabel = "DIR", description = "write every non-constant tensor after the step that produces it, as <tensor_index>.bin")
    Path dump;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Mixin
    ModelOptions modelOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        if (top < 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be 0 or more, not " + top);
        Outputs files = outputOptions.against(model, inputs).directory("--outputs", outputs).directory("--dump", dump);
        Graph g = modelOptions.load(model);
        List<byte[]> in = inputs == null ? InputGenerator.golden(g) : InputFiles.read(g, inputs, quantizeInputs);
        Plan plan = modelOptions.baseline(g, spec.commandLine().getErr());
        Map<Integer, byte[]> dumped = new LinkedHashMap<>();
        if (dump != null) for (int i = 0; i < in.size(); i++) dumped.put(g.inputs().get(i), in.get(i));
        List<byte[]> out = new Interpreter(plan).run(in, dump == null ? io.tinyfit.exec.StepObserver.NONE : (step, opIndex, op, outs) -> {
            for (int i = 0; i < outs.size(); i++) dumped.put(op.output(i), outs.get(i).toByteArray());
        });
        // Written only after the whole run succeeded, all together, so a failure leaves no partial output behind.
        if (outputs != null) {
            for (int i = 0; i < out.size(); i++) {
                files.put(outputs.resolve("output_" + i + ".bin"), out.get(i));
                Tensor t = g.tensor(g.outputs().get(i));
                if (npy) files.put(outputs.resolve("output_" + i + ".npy"), Npy.write(t.dtype(), t.shape(), out.get(i)));
            }
        }
        if (dump != null) dumped.forEach((t, bytes) -> files.put(dump.resolve(t + ".bin"), bytes));
        files.commit(spec.commandLine().getOut());
        var w = spec.commandLine().getOut();
        w.printf("%s: ran %d operators in a %,d-byte arena (TFLM plan: %s)%n", g.source(), plan.stepCount(), plan.arenaBytes(), plan.planner());
        w.print(RunReport.text(g, out, top));
        if (outputs != null) w.printf("outputs written to %s%n", outputs);
        return 0;
    }
}
