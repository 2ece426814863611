package io.tinyfit.kernels;

import io.tinyfit.exec.Interpreter;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.TestModels;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kernel preparation, rule by rule, on the smallest change to a valid model. Most are the minimal reproducers of
 * the crashes the whole-pipeline fuzz found deep inside execution, DMO or layout before operators were prepared
 * (the crash site is named in each test); all are now refused up front with the operator and the rule.
 * The operators of {@link TestModels#everyOp}: 0 PAD, 1 CONV_2D, 2 DEPTHWISE_CONV_2D, 3 CONV_2D, 4 ADD,
 * 5 MAX_POOL_2D, 6 AVERAGE_POOL_2D, 7 CONCATENATION, 8 MEAN, 9 RESHAPE, 10 FULLY_CONNECTED, 11 SOFTMAX.
 */
class PreparationTest {
    private final Graph valid = TestModels.everyOp(DType.INT8);

    private static AbstractThrowableAssert<?, ? extends Throwable> prepare(Graph g, int op) {
        return assertThatThrownBy(() -> KernelRegistry.forOp(g, op).prepare(new Preparation(g, op)))
                .hasMessageStartingWith(g.source() + ": " + "operator " + op + " (" + g.ops().get(op).kind() + "): ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Graph withShape(int tensor, int... dims) { return valid.withTensor(valid.tensor(tensor).withShape(Shape.of(dims))); }

    private Graph withOptions(int op, Options o) { return valid.withOp(op, valid.ops().get(op).withOptions(o)); }

    @Test
    void everyOperatorOfAValidModelPasses() {
        GraphPreparation.forExecution(valid, Plans.fileOrder(valid));
        Graph f32 = TestModels.everyOp(DType.FLOAT32);
        GraphPreparation.forExecution(f32, Plans.fileOrder(f32));
    }

    /**
     * Was IllegalArgumentException in kernels.BroadcastBinary.<init> ("shapes are not broadcastable"; the element order
     * is now kernels.ElementOrder, which would throw the same).
     */
    @Test
    void binaryInputsThatDoNotBroadcast() {
        prepare(withShape(valid.ops().get(4).input(1), 1, 12, 12, 3), 4).isInstanceOf(ModelFormatException.class).hasMessageContaining("do not broadcast");
    }

    /**
     * Was ArithmeticException in dmo.Window.firstChannel (now kernels.Window.firstChannel, which the kernels' loop
     * nests and region inference use too): a depthwise output with fewer channels than its input.
     */
    @Test
    void depthwiseOutputChannelsMustBeAMultipleOfTheInputs() {
        prepare(withShape(valid.ops().get(2).input(0), 1, 12, 12, 32), 2).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("output depth 16 is not a multiple of input depth 32");
    }

    /** Was ArithmeticException elsewhere in the overlap analyses (division by a zero stride or window). */
    @Test
    void windowParametersMustBePositive() {
        prepare(withOptions(1, valid.ops().get(1).options().with("strideH", 0)), 1).isInstanceOf(ModelFormatException.class).hasMessageContaining("strideH is 0");
        prepare(withOptions(2, valid.ops().get(2).options().with("dilationWFactor", -1)), 2).hasMessageContaining("dilationWFactor is -1");
        prepare(withOptions(5, valid.ops().get(5).options().with("filterWidth", 0)), 5).hasMessageContaining("filterWidth is 0");
    }

    @Test
    void theFilterMustFitTheInputWithValidPadding() {
        Tensor w = valid.tensor(valid.ops().get(1).input(1));
        Graph g = valid.withTensor(w.withShape(Shape.of(8, 15, 3, 3)));
        prepare(g, 1).isInstanceOf(ModelFormatException.class).hasMessageContaining("filter window is larger than the 14x14 input");
    }

    /** Was ArrayIndexOutOfBoundsException in dmo.StreamBounds.fullyConnected. */
    @Test
    void fullyConnectedWeightsMustMatchTheUnits() {
        prepare(withShape(valid.ops().get(10).output(0), 1, 3), 10).isInstanceOf(ModelFormatException.class).hasMessageContaining("has 5 rows for 3 output units");
    }

    /** Was NullPointerException in model.Options.getFloat. */
    @Test
    void softmaxNeedsItsBeta() {
        prepare(withOptions(11, Options.NONE), 11).isInstanceOf(ModelFormatException.class).hasMessageContaining("has no beta");
    }

    /** Was IllegalStateException in model.Options.getInt. */
    @Test
    void poolingNeedsItsOptions() {
        prepare(withOptions(5, Options.NONE), 5).isInstanceOf(ModelFormatException.class).hasMessageContaining("has no Pool2DOptions");
    }

    /** Was IndexOutOfBoundsException from an immutable list (a dropped operand). */
    @Test
    void operandCountsAreChecked() {
        Op conv = valid.ops().get(1);
        prepare(valid.withOp(1, conv.withOperands(List.of(conv.input(0)), conv.outputs())), 1)
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("CONV_2D takes 2 to 3 inputs, not 1");
        prepare(valid.withOp(1, conv.withOperands(List.of(conv.input(0), -1, conv.input(2)), conv.outputs())), 1).hasMessageContaining("input 1 is missing");
    }

    /** Was IllegalArgumentException in model.Shape.extended (a rank above 4 where the kernel extends to 4). */
    @Test
    void ranksAreChecked() {
        prepare(withShape(valid.ops().get(6).input(0), 1, 1, 12, 12, 8), 6).isInstanceOf(ModelFormatException.class).hasMessageContaining("needs rank 4");
    }

    /** Was IllegalArgumentException in kernels.QuantizedMath.qmin (no quantised range for the dtype). */
    @Test
    void dtypesWithoutAKernelAreUnsupported() {
        Op pool = valid.ops().get(5);
        Graph g = valid.withTensor(valid.tensor(pool.input(0)).withDType(DType.INT32)).withTensor(valid.tensor(pool.output(0)).withDType(DType.INT32));
        prepare(g, 5).isInstanceOf(UnsupportedOpVariantException.class).hasMessageContaining("of type int32");
    }

    /** person_detect with one dimension set to 0 ran with exit 0 and wrong classes; the output no longer fits. */
    @Test
    void outputShapesMustBeWhatTheOperatorComputes() {
        Graph zero = withShape(valid.ops().get(1).output(0), 1, 12, 0, 8);
        prepare(zero, 1).isInstanceOf(ModelFormatException.class).hasMessageContaining("output is 12x0 but the input, filter, strides and padding give 12x12");
        assertThatThrownBy(() -> GraphPreparation.forExecution(zero, Plans.fileOrder(zero))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("operator 1 (CONV_2D): output tensor").hasMessageContaining("is empty");
    }

    @Test
    void meanNeedsElementsToAverage() {
        prepare(withShape(valid.ops().get(8).input(0), 1, 6, 0, 16), 8).isInstanceOf(ModelFormatException.class).hasMessageContaining("MEAN averages over zero elements");
    }

    @Test
    void quantisedArithmeticNeedsScalesAndRepresentableMultipliers() {
        Tensor out = valid.tensor(valid.ops().get(1).output(0));
        prepare(valid.withTensor(out.withQuantization(null)), 1).isInstanceOf(ModelFormatException.class).hasMessageContaining("has no quantisation scale");
        prepare(valid.withTensor(out.withQuantization(Quantization.perTensor(1e-30f, 0))), 1).hasMessageContaining("too large to represent");
        Tensor sum = valid.tensor(valid.ops().get(4).output(0));
        prepare(valid.withTensor(sum.withQuantization(Quantization.perTensor(1e-9f, 0))), 4).hasMessageContaining("must lie in (0, 1)");
    }

    /**
     * A uint8 model with an unsupported kernel failed only after 29 s of running the operators before it: every
     * operator is now prepared when the interpreter is built, before the first one runs.
     */
    @Test
    void theInterpreterPreparesEveryOperatorBeforeTheFirstRuns() {
        Op softmax = valid.ops().get(11);
        Graph g = valid.withTensor(valid.tensor(softmax.output(0)).withDType(DType.INT32));
        assertThatThrownBy(() -> new Interpreter(Plans.noReuse(g))).isInstanceOf(UnsupportedOpVariantException.class)
                .hasMessageContaining("operator 11 (SOFTMAX)");
    }

    /** Was ArithmeticException (division by a zero rank) in the SVDF kernel. */
    @Test
    void svdfRankMustDivideTheFilters() throws Exception {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve("tflm_keyword_scrambled_int8.tflite"));
        int svdf = Plans.fileOrder(g).stream().filter(i -> g.ops().get(i).kind().equals("SVDF")).findFirst().orElseThrow();
        Graph broken = g.withOp(svdf, g.ops().get(svdf).withOptions(g.ops().get(svdf).options().with("rank", 0)));
        prepare(broken, svdf).isInstanceOf(ModelFormatException.class).hasMessageContaining("is not a multiple of rank 0");
        assertThat(KernelRegistry.forOp(broken, svdf).scratchBytes(broken, broken.ops().get(svdf))).isEmpty();
    }

    /** The preparation must not refuse anything TFLM runs: every shared model and opsuite case loads and prepares. */
    @Test
    void everySharedModelAndOpsuiteCasePasses() throws Exception {
        Shared.assume();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Shared.root())) {
            files = s.filter(p -> p.toString().endsWith(".tflite")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(24 + 240);
        for (Path f : files) {
            Graph g = ModelReader.read(f);
            GraphPreparation.forExecution(g, Plans.fileOrder(g));
        }
    }
}
