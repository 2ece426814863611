package io.tinyfit.dmo;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.testing.RandomOps;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DMO invariants ({@link DmoInvariants}) on random single-operator models of every registered kernel kind,
 * one property per kernel family so that each family gets its own tries.
 */
class AnalyticalMethodPropertiesTest {
    static final List<String> WINDOW = List.of("CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D");
    static final List<String> ELEMENTWISE = List.of("ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "RELU", "RELU6",
            "LEAKY_RELU", "PRELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE");
    static final List<String> REDUCTION = List.of("MEAN", "SUM", "SOFTMAX", "LOG_SOFTMAX", "ARG_MAX", "ARG_MIN",
            "RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR");
    static final List<String> DATA = List.of("RESHAPE", "SQUEEZE", "EXPAND_DIMS", "PAD", "PADV2", "CONCATENATION", "SPLIT", "SPLIT_V",
            "PACK", "UNPACK", "TRANSPOSE", "STRIDED_SLICE", "SLICE", "SHAPE", "GATHER");
    static final List<String> SEQUENCE = List.of("UNIDIRECTIONAL_SEQUENCE_LSTM", "SVDF");
    /** Custom operators with kernels: SSD's detection post-processing. */
    static final List<String> CUSTOM = List.of("CUSTOM(TFLite_Detection_PostProcess)");

    @Example
    void theFamiliesCoverEveryRegisteredKind() {
        Set<String> all = new HashSet<>();
        for (List<String> f : List.of(WINDOW, ELEMENTWISE, REDUCTION, DATA, SEQUENCE, CUSTOM)) all.addAll(f);
        assertThat(all).isEqualTo(KernelRegistry.kinds());
    }

    @Property(tries = 80)
    void windowAndMatmulKinds(@ForAll("window") String kind, @ForAll long seed) { checkAll(kind, seed); }

    @Property(tries = 80)
    void elementwiseKinds(@ForAll("elementwise") String kind, @ForAll long seed) { checkAll(kind, seed); }

    @Property(tries = 60)
    void reductionKinds(@ForAll("reduction") String kind, @ForAll long seed) { checkAll(kind, seed); }

    @Property(tries = 60)
    void dataMovementKinds(@ForAll("data") String kind, @ForAll long seed) { checkAll(kind, seed); }

    @Property(tries = 30)
    void sequenceKinds(@ForAll("sequence") String kind, @ForAll long seed) { checkAll(kind, seed); }

    @Property(tries = 20)
    void customKinds(@ForAll("custom") String kind, @ForAll long seed) { checkAll(kind, seed); }

    private static void checkAll(String kind, long seed) {
        RandomOps.OpCase c = RandomOps.of(kind, seed);
        assertThat(c.arenaInputs()).as(c.label()).isNotEmpty();
        for (int in : c.arenaInputs()) DmoInvariants.check(c, in);
    }

    @Provide Arbitrary<String> window() { return Arbitraries.of(WINDOW); }

    @Provide Arbitrary<String> elementwise() { return Arbitraries.of(ELEMENTWISE); }

    @Provide Arbitrary<String> reduction() { return Arbitraries.of(REDUCTION); }

    @Provide Arbitrary<String> data() { return Arbitraries.of(DATA); }

    @Provide Arbitrary<String> sequence() { return Arbitraries.of(SEQUENCE); }

    @Provide Arbitrary<String> custom() { return Arbitraries.of(CUSTOM); }
}
