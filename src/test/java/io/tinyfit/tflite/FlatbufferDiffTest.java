package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Presence;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level check itself: silent on a file written unchanged, loud on every kind of difference the object
 * API would hide (an absent vector written empty) or that a writer bug could make (a scalar, an operand, an
 * operator out of the declared order, a foreign metadata entry).
 */
class FlatbufferDiffTest {
    private static final Graph G = TestModels.everyOp(DType.INT8);
    private static final byte[] ORIGINAL = ModelWriter.toBytes(G);
    @TestFactory
    Stream<DynamicTest> everySharedModelWrittenUnchangedIsTheSameFile() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> {
            byte[] original = Files.readAllBytes(f);
            Graph g = ModelReader.read(original, f.getFileName().toString());
            assertThat(FlatbufferDiff.unchanged(original, ModelWriter.toBytes(g))).isEmpty();
        }));
    }

    @Test
    void anEmptyVectorWhereTheOriginalHasNoneIsADifference() {
        Op conv = G.ops().get(1);
        Op withEmpty = new Op(conv.opcodeIndex(), conv.kind(), conv.inputs(), conv.outputs(), conv.intermediates(), conv.options(),
                new byte[0], 0, null, Presence.of(List.of("inputs", "outputs", "builtin_options", "custom_options")));
        assertThat(FlatbufferDiff.unchanged(ORIGINAL, ModelWriter.toBytes(withOp(G, 1, withEmpty))))
                .containsExactly("model.subgraphs[0].operators[1].customOptions: absent in original, present in written file");
    }

    @Test
    void scalarsOperandsAndOptionsAreCompared() {
        Op conv = G.ops().get(1);
        List<Integer> inputs = new ArrayList<>(conv.inputs());
        inputs.set(2, -1);
        Op noBias = new Op(conv.opcodeIndex(), conv.kind(), inputs, conv.outputs(), conv.options().with("strideW", 2));
        assertThat(FlatbufferDiff.unchanged(ORIGINAL, ModelWriter.toBytes(withOp(G, 1, noBias))))
                .containsExactly("model.subgraphs[0].operators[1].inputs[2]: element differs",
                        "model.subgraphs[0].operators[1].builtinOptions.strideW: 1 in original, 2 written");
    }

    @Test
    void afterOptimizeAcceptsTheDeclaredOrderAndOwnMetadataOnly() {
        List<Integer> order = List.of(0, 1, 2, 3, 4, 6, 5, 7, 8, 9, 10, 11);
        Graph reordered = G.withOps(order.stream().map(G.ops()::get).toList()).withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, new byte[16]);
        byte[] written = ModelWriter.toBytes(reordered);
        assertThat(FlatbufferDiff.afterOptimize(ORIGINAL, written, order, Set.of(Graph.OFFLINE_MEMORY_ALLOCATION))).isEmpty();
        // the same file claimed to be in file order: the swapped operators differ
        assertThat(FlatbufferDiff.afterOptimize(ORIGINAL, written, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), Set.of(Graph.OFFLINE_MEMORY_ALLOCATION)))
                .anyMatch(d -> d.startsWith("model.subgraphs[0].operators[5 <- 5]"));
        // metadata that is not tinyfit's is a difference
        assertThat(FlatbufferDiff.afterOptimize(ORIGINAL, written, order, Set.of()))
                .contains("model.metadata: 0 entries besides tinyfit's in original, 1 written");
    }

    private static Graph withOp(Graph g, int index, Op op) {
        List<Op> ops = new ArrayList<>(g.ops());
        ops.set(index, op);
        return g.withOps(ops);
    }
}
