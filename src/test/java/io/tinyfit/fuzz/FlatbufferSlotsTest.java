package io.tinyfit.fuzz;

import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk that finds the offset and length words of a file follows the schema: every word it finds points
 * inside the file, and the vector lengths it finds include the counts the official accessors report.
 */
class FlatbufferSlotsTest {
    @Test
    void builtModels() {
        check(ModelWriter.toBytes(DefaultModels.mobileNetV2Style()));
        check(ModelWriter.toBytes(TestModels.everyOp(DType.INT8)));
    }

    @Test
    void sharedModels() throws Exception {
        Shared.assume();
        for (Path f : Shared.modelFiles()) check(Files.readAllBytes(f));
    }

    private static void check(byte[] file) {
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        FlatbufferSlots slots = FlatbufferSlots.of(file);
        for (int p : slots.offsets()) assertThat(p + bb.getInt(p)).isBetween(0, file.length - 1);
        Set<Integer> lengths = new HashSet<>();
        for (int p : slots.lengths()) {
            int n = bb.getInt(p);
            assertThat((long) p + 4 + n).isLessThanOrEqualTo(file.length);
            lengths.add(n);
        }
        Model m = Model.getRootAsModel(bb);
        List<Integer> expected = new ArrayList<>(List.of(m.subgraphsLength(), m.buffersLength(), m.operatorCodesLength()));
        SubGraph sg = m.subgraphs(0);
        expected.addAll(List.of(sg.tensorsLength(), sg.operatorsLength(), sg.inputsLength(), sg.outputsLength(), sg.tensors(0).shapeLength()));
        assertThat(lengths).containsAll(expected);
        for (int[] r : slots.dataRanges()) assertThat(r[1]).isLessThanOrEqualTo(file.length);
        assertThat(slots.offsets()).hasSizeGreaterThan(sg.tensorsLength());
    }
}
