package io.tinyfit.codegen;

import io.tinyfit.exec.InputGenerator;
import io.tinyfit.plan.Plan;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random conv/depthwise/pool chains tiled into random row and column bands or into channel slices with int32 partial
 * sums ({@link TiledPlans#random}): every plan the verifier accepts and the Java execution check passes runs in C,
 * with dead bytes poisoned and under the sanitizers with view bounds checked, writing at every step exactly the
 * regions the Java interpreter writes. Few tries: each one compiles C.
 */
class GeneratedTiledPropertiesTest {
    @Property(tries = 8)
    void randomTiledChainsRunInCAsInJava(@ForAll long seed) {
        if (!HostToolchain.available()) {
            System.out.println("gcc and make not found on the PATH; skipping the generated C of random tilings");
            return;
        }
        TiledPlans.RandomTiling t = TiledPlans.random(seed);
        Plan plan = t.plan();
        assertThat(PlanVerifier.violations(plan)).as(t.description()).isEmpty();
        assertThat(ExecutionCheck.run(plan).passed()).as(t.description()).isTrue();
        List<byte[]> inputs = InputGenerator.golden(plan.graph());
        GeneratedRun.Reference want = GeneratedRun.Reference.of(plan, inputs);
        try (GeneratedRun run = GeneratedRun.of(plan)) {
            Path in = run.inputs(inputs);
            for (CBuild.Profile p : List.of(CBuild.Profile.POISON, CBuild.Profile.SANITIZE)) {
                assertThat(GeneratedRun.firstMismatch(plan, run.run(p, in), want)).as("%s, %s build", t.description(), p).isNull();
            }
        }
    }
}
