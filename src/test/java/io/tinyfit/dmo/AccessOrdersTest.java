package io.tinyfit.dmo;

import io.tinyfit.kernels.ReferenceOrders;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.testing.RandomOps;
import io.tinyfit.verify.SingleStep;
import io.tinyfit.verify.TraceMethod;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Java kernels touch memory in TFLM's reference order: for random shapes of every modelled kind, the access
 * stream the kernel produces under tracing (I and O disjoint, as the trace method runs it) equals, event for
 * event, the stream {@link AccessOrders#enumerate} derives from TFLM's loop nest.
 */
class AccessOrdersTest {
    /** The kinds the brief requires a loop nest for; AccessOrders models more. */
    private static final Set<String> REQUIRED = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "PAD", "PADV2",
            "FULLY_CONNECTED", "ADD", "SUB", "MUL", "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE",
            "DEQUANTIZE", "SOFTMAX", "RESHAPE", "MEAN");

    @Example
    void everyRequiredKindIsModelledWithItsTflmSource() {
        assertThat(ReferenceOrders.kinds()).containsAll(REQUIRED);
        for (String kind : ReferenceOrders.kinds()) {
            ReferenceOrders.Descriptor d = ReferenceOrders.of(kind).orElseThrow();
            assertThat(d.kind()).isEqualTo(kind);
            assertThat(d.tflmSource()).as(kind).contains("tensorflow/lite/");
            assertThat(d.loopNest()).as(kind).isNotBlank();
            assertThat(ReferenceOrders.has(kind)).isTrue();
        }
        assertThat(ReferenceOrders.has("GATHER")).isFalse();
        assertThat(ReferenceOrders.of("GATHER")).isEmpty();
    }

    /** Each modelled kind yields TFLM variants often enough that a fixed corpus compares at least a few of each. */
    @Example
    void theFixedCorpusComparesEveryModelledKind() {
        Set<String> compared = new TreeSet<>();
        for (String kind : ReferenceOrders.kinds()) {
            for (long seed = 0; seed < 12; seed++) if (compareAll(RandomOps.of(kind, seed)) > 0) compared.add(kind);
        }
        assertThat(compared).containsExactlyInAnyOrderElementsOf(ReferenceOrders.kinds());
    }

    @Property(tries = 100)
    void kernelStreamEqualsTflmLoopNest(@ForAll("modelled") String kind, @ForAll long seed) {
        compareAll(RandomOps.of(kind, seed));
    }

    /** RESHAPE on one buffer: TFLM skips its copy, and so does the kernel: no access at all. */
    @Example
    void aliasedReshapeTouchesNothing() {
        for (long seed = 0; seed < 5; seed++) {
            RandomOps.OpCase c = RandomOps.of("RESHAPE", seed);
            Op op = c.graph().ops().get(0);
            EventLog want = new EventLog();
            AccessOrders.enumerate(c.graph(), 0, 0, 0, true, want.input, want.output);
            EventLog got = new EventLog();
            new SingleStep(c.graph(), 0).run(op.input(0), op.output(0), 0, 1, got.input, got.output);
            assertThat(want.events()).isEmpty();
            assertThat(got.events()).as(c.label()).isEmpty();
        }
    }

    @Example
    void unmodelledVariantsAreRefused() {
        RandomOps.OpCase gather = RandomOps.of("GATHER", 1);
        try {
            AccessOrders.enumerate(gather.graph(), 0, 0, 0, new EventLog().input, new EventLog().output);
            fail("GATHER has no loop nest here");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).contains("GATHER");
        }
    }

    /** Compares every arena operand the loop nests model; returns how many streams were compared. */
    private static int compareAll(RandomOps.OpCase c) {
        int compared = 0;
        for (int in : c.arenaInputs()) {
            EventLog want = new EventLog();
            try {
                AccessOrders.enumerate(c.graph(), 0, in, 0, want.input, want.output);
            } catch (IllegalArgumentException notModelled) {
                continue; // hybrid, broadcast or non-data operand: outside TFLM's modelled paths
            }
            EventLog got = traced(c.graph(), in);
            int d = EventLog.firstDifference(want.events(), got.events());
            if (d >= 0) {
                fail("%s operand %d: streams differ at event %d of %d/%d: TFLM %s, kernel %s", c.label(), in, d, want.events().size(),
                        got.events().size(), at(want.events(), d), at(got.events(), d));
            }
            assertThat(got.events()).as(c.label()).isNotEmpty();
            compared++;
        }
        return compared;
    }

    private static EventLog traced(Graph g, int inputIndex) {
        Op op = g.ops().get(0);
        EventLog log = new EventLog();
        long disjoint = SingleStep.alignUp(g.tensor(op.output(0)).bytes());
        new SingleStep(g, 0).run(op.input(inputIndex), op.output(0), disjoint, TraceMethod.SEED, log.input, log.output);
        return log;
    }

    private static String at(List<String> events, int i) { return i < events.size() ? events.get(i) : "(end)"; }

    @Provide Arbitrary<String> modelled() { return Arbitraries.of(List.copyOf(ReferenceOrders.kinds())); }
}
