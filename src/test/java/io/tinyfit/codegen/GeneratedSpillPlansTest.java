package io.tinyfit.codegen;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.spill.Memory;
import io.tinyfit.spill.Spill;
import io.tinyfit.spill.SpillOptions;
import io.tinyfit.spill.SpillPass;
import io.tinyfit.spill.SpillPlans;
import io.tinyfit.spill.Split;
import io.tinyfit.spill.SplitPass;
import io.tinyfit.testing.TiledPlans;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Generated C for the plans of {@code spill} and {@code split} (issue 16): each compiles and, plain, with dead bytes
 * poisoned in every bank, and under the sanitizers, writes at every step exactly what the Java interpreter writes.
 * A spilled tensor read from SRAM would read poison.
 */
class GeneratedSpillPlansTest {
    private static final PlannerSuite.Options LAYOUT = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofMillis(500));

    private static Plan pass(io.tinyfit.plan.Pass p, Graph g) {
        return p.apply(TflmBaseline.plan(g), new PassContext(g, LAYOUT)).plan();
    }

    @TestFactory
    Stream<DynamicTest> spillAndSplitPlansRunInCAsInJava() {
        CBuild.assumeToolchain();
        Map<String, Supplier<Plan>> plans = new LinkedHashMap<>();
        plans.put("spill residual, fetched whole", () -> pass(new SpillPass(SpillOptions.defaults()), TiledPlans.residual()));
        plans.put("spill residual, mapped", () -> pass(new SpillPass(new SpillOptions(List.of(Memory.parse("psram:1MiB:20MB/s:1us:mapped")), -1,
                Double.POSITIVE_INFINITY)), TiledPlans.residual()));
        plans.put("spill residual, fused fetch in 4 bands", () -> {
            Graph g = TiledPlans.residual();
            int a = g.ops().get(0).output(0);
            return SpillPlans.build(TflmBaseline.plan(g), List.of(new Spill(a, 1, 4, "psram", false, 4)), List.of(), List.of(Memory.parse(Memory.DEFAULT)),
                    SpillPlans.Effort.QUICK, LAYOUT, "fused").plan();
        });
        plans.put("split inverted residual (partial sums)", () -> pass(new SplitPass(), TiledPlans.invertedResidual()));
        plans.put("split inverted residual (in place)", () -> SpillPlans.build(TflmBaseline.plan(TiledPlans.invertedResidual()), List.of(),
                List.of(new Split(0, false, 3)), List.of(), SpillPlans.Effort.QUICK, LAYOUT, "in-place").plan());
        plans.put("split expand-pad-dw-project (partial sums, pad per group)", () -> {
            io.tinyfit.model.GraphBuilder b = new io.tinyfit.model.GraphBuilder("expand-pad-dw", 21);
            var x = b.input("x", io.tinyfit.model.DType.INT8, 1, 12, 12, 8);
            var e = b.conv2d(x, 48, 1, 1, io.tinyfit.model.GraphBuilder.Padding.SAME, io.tinyfit.model.GraphBuilder.Activation.RELU6);
            var p = b.pad(e, new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}});
            var d = b.depthwiseConv2d(p, 1, 3, 1, io.tinyfit.model.GraphBuilder.Padding.VALID, io.tinyfit.model.GraphBuilder.Activation.RELU6);
            b.output(b.conv2d(d, 8, 1, 1, io.tinyfit.model.GraphBuilder.Padding.SAME, io.tinyfit.model.GraphBuilder.Activation.NONE));
            Graph g = b.build();
            return SpillPlans.build(TflmBaseline.plan(g), List.of(), List.of(new Split(0, true, 5, true)), List.of(), SpillPlans.Effort.QUICK, LAYOUT, "pad-split").plan();
        });
        plans.put("U-Net, skip spilled and fused-fetched into the concatenation", () -> pass(new SpillPass(SpillOptions.defaults()), io.tinyfit.spill.UNet.build()));
        return plans.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> GeneratedTiledPlansTest.check(e.getValue().get())));
    }
}
