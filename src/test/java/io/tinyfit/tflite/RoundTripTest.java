package io.tinyfit.tflite;

import io.tinyfit.model.Graph;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** read → write → read is lossless for every shared model, compared on the schema's full object tree. */
class RoundTripTest {

    @TestFactory
    Stream<DynamicTest> everySharedModelRoundTrips() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> roundTrip(f)));
    }

    static void roundTrip(Path file) throws Exception {
        byte[] original = Files.readAllBytes(file);
        Graph g = ModelReader.read(file);
        byte[] written = ModelWriter.toBytes(g);
        ModelT a = unpack(original);
        ModelT b = unpack(written);
        assertThat(SchemaEquality.firstDifference(a, b, "model")).as(file.getFileName().toString()).isNull();
        Graph again = ModelReader.read(written, "written");
        assertThat(again.withSource(g.source())).isEqualTo(g);
        assertBuffersAligned(written);
    }

    static ModelT unpack(byte[] bytes) {
        return Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)).unpack();
    }

    private static void assertBuffersAligned(byte[] written) {
        Model m = Model.getRootAsModel(ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN));
        for (int i = 0; i < m.buffersLength(); i++) {
            ByteBuffer d = m.buffers(i).dataAsByteBuffer();
            if (d != null && d.remaining() > 0) assertThat(d.position() % 16).as("buffer %d alignment", i).isZero();
        }
    }
}
