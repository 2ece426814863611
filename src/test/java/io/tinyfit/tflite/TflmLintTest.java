package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.Presence;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One test per lint rule: a file that breaks it, written deliberately through {@link ModelWriter#toBytes} (which,
 * unlike {@link ModelWriter#write}, does not lint), is reported with the rule and the operator, tensor or entry;
 * and every shared model, and tinyfit's own models, pass.
 */
class TflmLintTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everySharedModelPasses() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () ->
                assertThat(TflmLint.check(Files.readAllBytes(f), f.toString()).findings()).isEmpty()));
    }

    @Test
    void builtModelsPass() {
        assertThat(TflmLint.check(DefaultModels.mobileNetV2Style()).findings()).isEmpty();
        assertThat(TflmLint.check(TestModels.everyOp(DType.INT8)).findings()).isEmpty();
    }

    @Test
    void builtinOperatorWithEmptyCustomOptionsIsRefusedNamingTheOperator() {
        Graph g = TestModels.everyOp(DType.INT8);
        Op conv = g.ops().get(1);
        Op bad = new Op(conv.opcodeIndex(), conv.kind(), conv.inputs(), conv.outputs(), conv.intermediates(), conv.options(),
                new byte[0], 0, null, Presence.of(List.of("inputs", "outputs", "builtin_options", "custom_options")));
        Graph written = withOp(g, 1, bad);
        TflmLint.Report r = TflmLint.check(ModelWriter.toBytes(written), "bad.tflite");
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.BUILTIN_WITH_CUSTOM_OPTIONS);
            assertThat(f.message()).contains("subgraph 0 operator 1 (CONV_2D)").contains("custom_options present (0 bytes)").contains("refused by TFLM");
        });
        assertThat(TflmLint.Rule.BUILTIN_WITH_CUSTOM_OPTIONS.tflmSource).contains("micro_interpreter.cc");
        // the writer refuses to put such a file in place, and leaves nothing behind
        Path out = dir.resolve("bad.tflite");
        assertThatThrownBy(() -> ModelWriter.write(written, out)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not written").hasMessageContaining("operator 1 (CONV_2D)");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void operatorCodeIndexOutOfRange() {
        Graph g = TestModels.everyOp(DType.INT8);
        Op op = g.ops().get(2);
        Graph bad = withOp(g, 2, new Op(99, op.kind(), op.inputs(), op.outputs(), op.options()));
        assertThat(lint(bad)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.OPCODE_INDEX);
            assertThat(f.where()).contains("subgraph 0 operator 2").contains("opcode_index 99 of " + g.opcodes().size());
        });
    }

    @Test
    void intermediateTensorOfNonZeroSize() {
        Graph g = TestModels.everyOp(DType.INT8);
        Op op = g.ops().get(3);
        Op bad = new Op(op.opcodeIndex(), op.kind(), op.inputs(), op.outputs(), List.of(op.input(0)), op.options(), null, 0, null, Presence.BUILT);
        assertThat(lint(withOp(g, 3, bad))).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.INTERMEDIATE_WITH_SIZE);
            assertThat(f.where()).contains("operator 3 (CONV_2D)").contains("intermediate tensor " + op.input(0));
        });
    }

    @Test
    void zeroSizedIntermediatesAreAccepted() {
        Graph g = TestModels.everyOp(DType.INT8);
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        int id = tensors.size();
        tensors.add(new Tensor(id, "empty", DType.INT8, Shape.of(0), null, null, 0, null, false, false));
        Op op = g.ops().get(3);
        Op withInter = new Op(op.opcodeIndex(), op.kind(), op.inputs(), op.outputs(), List.of(id), op.options(), null, 0, null, Presence.BUILT);
        Graph ok = withOp(g.withMain(g.main().withTensors(tensors)), 3, withInter);
        assertThat(lint(ok)).isEmpty();
    }

    @Test
    void schemaVersionOtherThanThree() {
        Graph g = TestModels.everyOp(DType.INT8);
        Graph v2 = new Graph(g.source(), 2, g.description(), g.opcodes(), g.subgraphs(), g.buffers(), g.metadata(), g.signatureDefs(), g.metadataBuffer());
        assertThat(lint(v2)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.SCHEMA_VERSION);
            assertThat(f.where()).contains("schema version 2");
        });
    }

    @Test
    void offlinePlanWithWrongEntryCount() {
        Graph g = TestModels.everyOp(DType.INT8);
        Graph bad = g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, plan(g.tensors().size() - 1, g.tensors().size() - 1, 0));
        assertThat(lint(bad)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.OFFLINE_PLAN_COUNT);
            assertThat(f.where()).contains((g.tensors().size() - 1) + " entries for " + g.tensors().size() + " tensors");
        });
    }

    @Test
    void duplicateOfflinePlan() {
        Graph g = TestModels.everyOp(DType.INT8);
        byte[] ok = plan(g.tensors().size(), g.tensors().size(), -1);
        Graph one = g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, ok);
        List<io.tinyfit.model.Metadata> md = new ArrayList<>(one.metadata());
        md.add(md.get(0));
        Graph two = new Graph(g.source(), 3, g.description(), g.opcodes(), g.subgraphs(), one.buffers(), md, g.signatureDefs(), g.metadataBuffer());
        assertThat(lint(one)).isEmpty();
        assertThat(lint(two)).singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo(TflmLint.Rule.DUPLICATE_OFFLINE_PLAN));
    }

    @Test
    void offlineOffsetsNegativeOrUnaligned() {
        Graph g = TestModels.everyOp(DType.INT8);
        int n = g.tensors().size();
        byte[] bytes = plan(n, n, -1);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(12 + 4 * 2, -16);
        bb.putInt(12 + 4 * 5, 40);
        List<TflmLint.Finding> f = lint(g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, bytes));
        assertThat(f).extracting(TflmLint.Finding::rule).containsExactly(TflmLint.Rule.OFFSET_NEGATIVE, TflmLint.Rule.OFFSET_MISALIGNED);
        assertThat(f.get(0).where()).contains("tensor 2 at offset -16");
        assertThat(f.get(1).where()).contains("tensor 5 at offset 40");
        assertThat(f).allSatisfy(x -> assertThat(x.rule().severity).isEqualTo(TflmLint.Severity.FAULTS));
    }

    @Test
    void offlinePlanBufferShortOrWithoutData() {
        Graph g = TestModels.everyOp(DType.INT8);
        assertThat(lint(g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, new byte[8])))
                .singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo(TflmLint.Rule.PLAN_BUFFER_SHORT));
        byte[] truncated = java.util.Arrays.copyOf(plan(g.tensors().size(), g.tensors().size(), 0), 12 + 8);
        assertThat(lint(g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, truncated)))
                .singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo(TflmLint.Rule.PLAN_BUFFER_SHORT));
        // an entry pointing at the empty sentinel buffer 0 has no data vector at all
        List<io.tinyfit.model.Metadata> md = List.of(new io.tinyfit.model.Metadata(Graph.OFFLINE_MEMORY_ALLOCATION, 0));
        Graph noData = new Graph(g.source(), 3, g.description(), g.opcodes(), g.subgraphs(), g.buffers(), md, g.signatureDefs(), g.metadataBuffer());
        assertThat(lint(noData)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.PLAN_BUFFER_NOT_INLINE);
            assertThat(f.where()).contains("buffer 0").contains("no data vector");
        });
    }

    @Test
    void misalignedPlanDataIsFoundInTheFileBytes() {
        // the writer aligns every buffer to 16, so misalign by hand: copy the plan's data vector to the end of the
        // file, two bytes past a word boundary, and point the plan's Buffer table at the copy
        Graph g = TestModels.everyOp(DType.INT8);
        byte[] file = ModelWriter.toBytes(g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, plan(g.tensors().size(), g.tensors().size(), -1)));
        assertThat(file.length % 4).isZero();
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int ref = planVectorRef(bb);
        int vec = ref + bb.getInt(ref);
        int len = bb.getInt(vec);
        int moved = file.length + 2;
        byte[] patched = java.util.Arrays.copyOf(file, moved + 4 + len);
        ByteBuffer pb = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        pb.putInt(moved, len);
        System.arraycopy(file, vec + 4, patched, moved + 4, len);
        pb.putInt(ref, moved - ref);
        assertThat(TflmLint.check(patched, "patched").findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(TflmLint.Rule.PLAN_BUFFER_MISALIGNED);
            assertThat(f.where()).contains("file offset " + (moved + 4));
        });
    }

    /** Position of the uoffset in the plan's Buffer table that points to its data vector. */
    private static int planVectorRef(ByteBuffer bb) {
        RawTable model = RawTable.root(bb, org.tensorflow.lite.schema.Model.class);
        RawTable md = model.tables("metadata", org.tensorflow.lite.schema.Metadata.class).get(0);
        RawTable buf = model.tables("buffers", org.tensorflow.lite.schema.Buffer.class).get((int) md.scalar("buffer"));
        return buf.pos + buf.fieldOffset(buf.layout.field("data").slot());
    }

    private static List<TflmLint.Finding> lint(Graph g) { return TflmLint.check(ModelWriter.toBytes(g), g.source()).findings(); }

    /** An offline plan of {@code entries} words claiming {@code count} tensors, each at {@code offset}. */
    private static byte[] plan(int count, int entries, int offset) {
        ByteBuffer bb = ByteBuffer.allocate(12 + 4 * entries).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(1).putInt(1).putInt(count);
        for (int i = 0; i < entries; i++) bb.putInt(offset);
        return bb.array();
    }

    private static Graph withOp(Graph g, int index, Op op) {
        List<Op> ops = new ArrayList<>(g.ops());
        ops.set(index, op);
        Subgraph s = g.main().withOps(ops);
        return g.withMain(s);
    }
}
