package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.partial.PartialPass;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.StepKind;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.verify.ExecutionCheck;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated C for partial-execution plans (issue 15): the plan the partial pass chooses for a shared model, channel
 * slices with int32 partial sums and in-place slices, compiles and runs bit-exact with the Java interpreter, step by
 * step, plain and with dead bytes poisoned.
 */
class GeneratedPartialPlansTest {
    @Test
    void partialPlanOfASharedModelRunsInCAsInJava() throws Exception {
        CBuild.assumeToolchain();
        Shared.assume();
        Path f = Shared.models().resolve("mlperf_vww_mobilenet_v1_int8.tflite");
        Graph g = ModelReader.read(Files.readAllBytes(f), f.getFileName().toString());
        Plan plan = PartialPass.search(g, Plans.fileOrder(g), false, 16, PartialPass.MIN_WIDTH).plan();
        assertThat(plan.steps()).anyMatch(s -> s.kind() == StepKind.ACCUMULATE || s.region() != null);
        assertThat(ExecutionCheck.run(plan).passed()).isTrue();
        GeneratedTiledPlansTest.check(plan, List.of(CBuild.Profile.PLAIN, CBuild.Profile.POISON), "mlperf_vww_mobilenet_v1_int8 partial");
    }
}
