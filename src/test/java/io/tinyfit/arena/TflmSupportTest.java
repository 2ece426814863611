package io.tinyfit.arena;

import io.tinyfit.model.DType;
import io.tinyfit.model.TestModels;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which models stock TFLM refuses: the golden runs say so for the uint8 and hybrid float models only. */
class TflmSupportTest {
    @Test
    void integerAndFloatModelsRun() {
        assertThat(TflmSupport.refusal(TestModels.everyOp(DType.INT8))).isEmpty();
        assertThat(TflmSupport.refusal(TestModels.everyOp(DType.FLOAT32))).isEmpty();
    }

    @Test
    void theRefusalsMatchTheGoldenStatusOfEverySharedModel() {
        Shared.assume();
        for (var dir : io.tinyfit.testing.CaseFiles.dirs(Shared.golden())) {
            String name = dir.getFileName().toString();
            boolean tflmRan = "ok".equals(io.tinyfit.testing.CaseFiles.meta(dir).path("status").asText());
            var refusal = TflmSupport.refusal(ModelReader.read(Shared.models().resolve(name + ".tflite")));
            assertThat(refusal.isEmpty()).as(name + " " + refusal).isEqualTo(tflmRan);
            refusal.ifPresent(r -> assertThat(r).as(name).startsWith("operator 0 (CONV_2D)").contains("Hybrid models are not supported on TFLite Micro."));
        }
    }
}
