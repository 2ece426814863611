package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.model.Presence;
import io.tinyfit.model.TestModels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Built models survive the writer and the reader unchanged, and two builds write the same bytes. */
class GraphBuilderRoundTripTest {
    @TempDir
    Path dir;

    private static final Map<String, Supplier<Graph>> MODELS = Map.of(
            "default:mobilenetv2-96", DefaultModels::mobileNetV2Style,
            "every-op-int8", () -> TestModels.everyOp(DType.INT8),
            "every-op-float32", () -> TestModels.everyOp(DType.FLOAT32));

    @TestFactory
    Stream<DynamicTest> builtModelsRoundTrip() {
        return MODELS.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Graph g = e.getValue().get();
            byte[] bytes = ModelWriter.toBytes(g);
            assertThat(ModelWriter.toBytes(e.getValue().get())).as("a second build writes the same bytes").isEqualTo(bytes);
            Graph read = ModelReader.read(bytes, "written");
            // a model read from a file records which optional fields it had; a built one does not
            assertThat(read.withSource(g.source())).usingRecursiveComparison().ignoringFieldsOfTypes(Presence.class).isEqualTo(g);
            assertThat(ModelWriter.toBytes(read)).isEqualTo(bytes);
            Path f = dir.resolve(e.getKey().replace(':', '_') + ".tflite");
            ModelWriter.write(g, f);
            assertThat(ModelReader.read(f).withSource(g.source())).isEqualTo(read.withSource(g.source()));
        }));
    }

    @Test
    void builtinCodesAreTheSchemas() {
        GraphBuilder.BUILTIN_CODES.forEach((name, code) -> assertThat(BuiltinOperator.name(code)).as(name).isEqualTo(name));
        assertThat(GraphBuilder.BUILTIN_CODES).containsEntry("CONV_2D", (int) BuiltinOperator.CONV_2D)
                .containsEntry("MEAN", (int) BuiltinOperator.MEAN).containsEntry("MAX_POOL_2D", (int) BuiltinOperator.MAX_POOL_2D);
    }

    @Test
    void readOperatorKindsMatchTheBuiltOnes() {
        Graph g = TestModels.everyOp(DType.INT8);
        Graph read = ModelReader.read(ModelWriter.toBytes(g), "written");
        for (int i = 0; i < g.ops().size(); i++) {
            assertThat(read.opcodes().get(read.ops().get(i).opcodeIndex()).name()).isEqualTo(g.ops().get(i).kind());
        }
    }
}
