package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of bad input fails with a {@link ModelFormatException} whose message names the file and the problem. */
class ReaderBadInputTest {
    @TempDir
    Path dir;

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.tflite");
        assertFails(f, "absent.tflite", "no such file");
    }

    @Test
    void directory() {
        assertFails(dir, dir.getFileName().toString(), "is a directory");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(file("empty.tflite", new byte[0]), "empty.tflite: ", "file too short to be a TFLite model (0 bytes)");
    }

    @Test
    void textFile() throws IOException {
        byte[] text = "This is a README, not a model.\nIt has several lines of text.\n".getBytes(StandardCharsets.US_ASCII);
        assertFails(file("notes.tflite", text), "notes.tflite: ", "wrong file identifier ' is ', expected 'TFL3' (not a TFLite model)");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        assertFails(file("noise.tflite", noise), "noise.tflite: ", "not a TFLite model");
    }

    @Test
    void wrongIdentifier() throws IOException {
        byte[] b = model();
        b[7] = '2';
        assertFails(file("tfl2.tflite", b), "tfl2.tflite: ", "wrong file identifier 'TFL2', expected 'TFL3'");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] b = model();
        assertFails(file("half.tflite", Arrays.copyOf(b, b.length / 2)), "half.tflite: ", "truncated or corrupt file");
        assertFails(file("head.tflite", Arrays.copyOf(b, 64)), "head.tflite: ", "truncated or corrupt file");
    }

    @Test
    void rootOffsetOutsideTheFile() throws IOException {
        byte[] b = model();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x7FFF_FFF0);
        assertFails(file("root.tflite", b), "root.tflite: ", "root table offset 2147483632 outside the file");
    }

    @Test
    void subgraphsOffsetOutsideTheFile() throws IOException {
        byte[] b = model();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int field = fieldPosition(bb, bb.getInt(0), 2); // Model.subgraphs is the schema's third field
        bb.putInt(field, b.length);
        assertFails(file("offset.tflite", b), "offset.tflite: ", "truncated or corrupt file: a table, vector or string lies outside its "
                + b.length + " bytes");
    }

    @Test
    void vectorLengthBeyondTheFile() throws IOException {
        byte[] b = model();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int field = fieldPosition(bb, bb.getInt(0), 2);
        int vector = field + bb.getInt(field);
        bb.putInt(vector, 0x4000_0000);
        assertFails(file("length.tflite", b), "length.tflite: ", "subgraphs claims 1073741824 elements, more than the file can hold");
    }

    @Test
    void shapeDisagreesWithBufferSize() throws IOException {
        Graph g = small();
        Op conv = g.ops().get(0);
        Tensor w = g.tensor(conv.input(1));
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        tensors.set(w.id(), new Tensor(w.id(), w.name(), w.dtype(), Shape.of(8, 3, 3, 2), w.shapeSignature(), w.quantization(),
                w.buffer(), w.data(), w.variable(), w.hasRank()));
        Graph bad = g.withMain(g.main().withTensors(tensors));
        assertFails(file("shape.tflite", ModelWriter.toBytes(bad)), "shape.tflite: ", "tensor " + w.id() + " 'conv2d/weights' has shape [8, 3, 3, 2] int8 (144 bytes) but its buffer "
                + w.buffer() + " holds 216 bytes");
    }

    @Test
    void operatorInputOutOfRange() throws IOException {
        Graph g = small();
        Op conv = g.ops().get(0);
        List<Integer> inputs = new ArrayList<>(conv.inputs());
        inputs.set(0, 999);
        List<Op> ops = new ArrayList<>(g.ops());
        ops.set(0, new Op(conv.opcodeIndex(), conv.kind(), inputs, conv.outputs(), conv.options()));
        Graph bad = g.withOps(ops);
        assertFails(file("index.tflite", ModelWriter.toBytes(bad)), "index.tflite: ",
                "operator 0 (CONV_2D) input 0 is tensor 999 of " + g.tensors().size());
    }

    @Test
    void theIntactModelLoads() throws IOException {
        assertThat(ModelReader.read(file("fine.tflite", model())).ops()).hasSize(46);
    }

    private static void assertFails(Path f, String fileName, String problem) {
        assertThatThrownBy(() -> ModelReader.read(f))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(fileName)
                .hasMessageContaining(problem);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] model() { return ModelWriter.toBytes(DefaultModels.mobileNetV2Style()); }

    private static Graph small() {
        GraphBuilder b = new GraphBuilder("small", 3);
        Ref x = b.input("x", DType.INT8, 1, 8, 8, 3);
        x = b.conv2d(x, 8, 3, 1, Padding.SAME, Activation.RELU);
        return b.output(b.softmax(b.reshape(x, 1, -1))).build();
    }

    /** Where field {@code index} of the table at {@code table} stores its offset (flatbuffers' vtable lookup). */
    private static int fieldPosition(ByteBuffer bb, int table, int index) {
        int vtable = table - bb.getInt(table);
        short offset = bb.getShort(vtable + 4 + 2 * index);
        assertThat(offset).as("field %d present", index).isPositive();
        return table + offset;
    }
}
