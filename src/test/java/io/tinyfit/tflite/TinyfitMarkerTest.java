package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tinyfit metadata marker: written, read back, 16-byte aligned in the file, and malformed ones rejected. */
class TinyfitMarkerTest {
    @Test
    void aWrittenMarkerReadsBack() {
        TinyfitMarker m = new TinyfitMarker(TinyfitMarker.VERSION, "reference", 11532, 12336);
        Graph back = ModelReader.read(ModelWriter.toBytes(m.attachTo(TestModels.everyOp(DType.INT8))), "marked");
        assertThat(TinyfitMarker.read(back)).contains(m);
        assertThat(TinyfitMarker.read(TestModels.everyOp(DType.INT8))).isEmpty();
    }

    @Test
    void theMarkerBytesStartOnASixteenByteBoundaryOfTheFile() {
        TinyfitMarker m = new TinyfitMarker("9.9.9", "reference", 1, 2);
        byte[] file = ModelWriter.toBytes(m.attachTo(TestModels.everyOp(DType.INT8)));
        int at = indexOf(file, "tinyfit=9.9.9".getBytes(StandardCharsets.UTF_8));
        assertThat(at).isPositive();
        assertThat(at % 16).isZero();
    }

    @Test
    void aMetadataEntryNamedTinyfitWithoutItsFieldsIsRejectedNamingTheFile() {
        Graph g = TestModels.everyOp(DType.INT8).withMetadata(TinyfitMarker.NAME, "hello".getBytes(StandardCharsets.UTF_8)).withSource("odd.tflite");
        assertThatThrownBy(() -> TinyfitMarker.read(g)).isInstanceOf(ModelFormatException.class).hasMessageContaining("odd.tflite");
        Graph h = TestModels.everyOp(DType.INT8).withMetadata(TinyfitMarker.NAME,
                "tinyfit=1\nkernels=reference\narena_bytes_32bit=x\n".getBytes(StandardCharsets.UTF_8)).withSource("bad.tflite");
        assertThatThrownBy(() -> TinyfitMarker.read(h)).isInstanceOf(ModelFormatException.class).hasMessageContaining("bad.tflite").hasMessageContaining("arena_bytes_32bit");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
