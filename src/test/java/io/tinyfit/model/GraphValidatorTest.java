package io.tinyfit.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load-time validation, one rule at a time, each on the smallest change to a valid model that breaks it.
 * Several are the minimal reproducers of crashes the whole-pipeline fuzz found before the validation existed
 * (named in each test), the others of models that used to pass silently and compute garbage.
 */
class GraphValidatorTest {
    private final Graph valid = TestModels.everyOp(DType.INT8);

    private static void refused(Graph g, String... parts) {
        assertThatThrownBy(() -> GraphValidator.validate(g, Limits.DEFAULT))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(g.source() + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(parts));
    }

    @Test
    void aValidModelPasses() {
        assertThat(GraphValidator.validate(valid, Limits.DEFAULT)).isSameAs(valid);
    }

    /**
     * Used to run with exit 0 and garbage (the consumer read its input before the producer had written it), and
     * was IllegalArgumentException in schedule.OpDag.of under optimize.
     */
    @Test
    void aCycleIsRefused() {
        Op first = valid.ops().get(1);
        List<Integer> inputs = new ArrayList<>(first.inputs());
        inputs.set(0, valid.ops().get(3).output(0));
        refused(valid.withOp(1, first.withOperands(inputs, first.outputs())), "operator 1 (CONV_2D) reads", "before operator 3 (CONV_2D) writes it", "cycle");
    }

    /** plan.BufferRequests.of threw IllegalStateException ("read before any operator writes it"). */
    @Test
    void readingATensorNobodyWritesIsRefused() {
        Op pool = valid.ops().get(5);
        Tensor fresh = valid.tensor(pool.input(0)).withId(valid.tensors().size());
        Graph g = valid.withMain(valid.main().withTensors(append(valid.tensors(), fresh)));
        refused(g.withOp(5, pool.withOperands(List.of(fresh.id()), pool.outputs())),
                "operator 5 (MAX_POOL_2D) reads tensor " + fresh.id(), "neither a graph input, a constant nor written by any operator");
    }

    @Test
    void twoWritersOfOneTensorAreRefused() {
        Op conv = valid.ops().get(3);
        refused(valid.withOp(3, conv.withOperands(conv.inputs(), List.of(valid.ops().get(1).output(0)))),
                "is written by operator 1 (CONV_2D) and again by operator 3 (CONV_2D)");
    }

    @Test
    void operandsOutOfRangeAreRefused() {
        Op conv = valid.ops().get(1);
        List<Integer> inputs = new ArrayList<>(conv.inputs());
        inputs.set(0, 999);
        refused(valid.withOp(1, conv.withOperands(inputs, conv.outputs())), "operator 1 (CONV_2D) input is tensor 999");
    }

    @Test
    void graphInputsAndOutputsMustBeUsable() {
        int weights = valid.ops().get(1).input(1);
        refused(valid.withIo(List.of(weights), valid.outputs()), "graph input", "is a constant");
        refused(valid.withIo(List.of(valid.inputs().get(0), valid.inputs().get(0)), valid.outputs()), "is listed twice");
        int written = valid.ops().get(1).output(0);
        refused(valid.withIo(List.of(written), valid.outputs()), "writes graph input");
    }

    @Test
    void aGraphOutputNobodyWritesIsRefused() {
        GraphBuilder b = new GraphBuilder("dangling", 1);
        GraphBuilder.Ref x = b.input("x", DType.INT8, 1, 4);
        Graph g = b.output(b.softmax(x)).build();
        Graph extra = g.withMain(g.main().withTensors(append(g.main().tensors(), g.tensor(0).withId(g.tensors().size()))));
        refused(extra.withIo(extra.inputs(), List.of(extra.tensors().size() - 1)), "graph output", "is never written");
    }

    /**
     * A product that overflowed gave negative sizes: IllegalArgumentException in layout.LayoutProblem$Builder.add
     * ("size must be >= 0").
     */
    @Test
    void dimensionsMustBeNonNegativeAndTheirProductFitALong() {
        Tensor t = valid.tensor(valid.ops().get(1).output(0));
        refused(valid.withTensor(t.withShape(Shape.of(1, -1, 12, 8))), GraphValidator.describe(t), "dimension 1 is -1");
        refused(valid.withTensor(t.withShape(Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE))), "overflows 64 bits");
    }

    /** Dimensions scaled by 65,536 made gigabyte arenas that ran for minutes; now refused before any allocation. */
    @Test
    void tensorsAndActivationTotalsAboveTheLimitAreRefusedBeforeAnyAllocation() {
        Tensor t = valid.tensor(valid.ops().get(1).output(0));
        Graph scaled = valid.withTensor(t.withShape(Shape.of(65_536, 96, 96, 8)));
        assertThatThrownBy(() -> GraphValidator.validate(scaled, Limits.DEFAULT)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(GraphValidator.describe(t)).hasMessageContaining("--max-arena-bytes");
        assertThatThrownBy(() -> GraphValidator.validate(valid, new Limits(1024))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("the limit of 1,024 bytes");
    }

    @Test
    void constantDataMustCoverItsTensor() {
        Tensor w = valid.tensor(valid.ops().get(1).input(1));
        refused(valid.withTensor(w.withShape(Shape.of(9, 3, 3, 3))), "needs 243 bytes of data", "holds 216");
    }

    @Test
    void aVariableTensorHasNoConstantData() {
        Tensor w = valid.tensor(valid.ops().get(1).input(1));
        refused(valid.withTensor(w.withVariable(true)), GraphValidator.describe(w), "is variable but has constant data");
        Tensor activation = valid.tensor(valid.ops().get(1).output(0));
        assertThat(GraphValidator.validate(valid.withTensor(activation.withVariable(true)), Limits.DEFAULT)).isNotNull();
    }

    /** Used to be accepted everywhere; a zero scale makes every multiplier meaningless. */
    @ParameterizedTest
    @ValueSource(floats = {0f, Float.NaN, Float.POSITIVE_INFINITY, -0.5f})
    void invalidScalesAreRefused(float scale) {
        Tensor t = valid.tensor(valid.ops().get(1).output(0));
        refused(valid.withTensor(t.withQuantization(Quantization.perTensor(scale, 0))), GraphValidator.describe(t), "quantisation scale " + scale);
    }

    @Test
    void zeroPointsMustFitTheirType() {
        Tensor t = valid.tensor(valid.ops().get(1).output(0));
        refused(valid.withTensor(t.withQuantization(Quantization.perTensor(0.1f, 1000))), "zero point 1000", "int8 range [-128, 127]");
        Tensor bias = valid.tensor(valid.ops().get(1).input(2));
        Quantization q = bias.quant();
        long[] zp = q.zeroPoints();
        zp[0] = 5;
        refused(valid.withTensor(bias.withQuantization(new Quantization(null, null, q.scales(), zp, q.quantizedDimension()))), "zero point 5", "int32 range [0, 0]");
    }

    @Test
    void quantisationArraysMustHaveConsistentLengths() {
        Tensor t = valid.tensor(valid.ops().get(1).output(0));
        refused(valid.withTensor(t.withQuantization(new Quantization(null, null, new float[] {0.1f, 0.1f}, new long[] {0}, 3))), "2 quantisation scales but 1 zero points");
        refused(valid.withTensor(t.withQuantization(new Quantization(null, null, new float[] {0.1f, 0.1f}, new long[] {0, 0}, 3))), "2 per-channel scales for 8 channels");
        refused(valid.withTensor(t.withQuantization(new Quantization(new float[] {0f}, null, new float[] {0.1f}, new long[] {0}, 0))), "1 quantisation minima but 0 maxima");
    }

    @Test
    void optionsMustBeTheOperatorsTable() {
        Op add = valid.ops().get(4);
        refused(valid.withOp(4, add.withOptions(valid.ops().get(1).options())), "operator 4 (ADD) carries Conv2DOptions but ADD reads AddOptions");
        assertThat(GraphValidator.validate(valid.withOp(4, add.withOptions(Options.NONE)), Limits.DEFAULT)).isNotNull();
    }

    private static <T> List<T> append(List<T> list, T x) {
        List<T> out = new ArrayList<>(list);
        out.add(x);
        return out;
    }
}
