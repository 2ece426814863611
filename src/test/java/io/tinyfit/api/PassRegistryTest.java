package io.tinyfit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.cli.Main;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A pass is one class plus one registry line: registered here, {@code tinyfit optimize --methods NAME} runs it. */
class PassRegistryTest {
    @TempDir
    Path dir;

    /** Changes nothing, counts its runs and explains itself. */
    static final class Idle implements Pass {
        static final AtomicInteger RUNS = new AtomicInteger();

        @Override public String name() { return "idle"; }
        @Override public int rank() { return 500; }
        @Override public Outcome apply(Plan plan, PassContext ctx) {
            RUNS.incrementAndGet();
            return Outcome.unchanged(plan);
        }
        @Override public Object explain(Plan chosen, PassContext ctx) { return "idle looked at " + chosen.stepCount() + " steps"; }
    }

    @org.junit.jupiter.api.AfterEach
    void unregisterIdle() { PassRegistry.unregister("idle"); }

    @Test
    void aRegisteredPassRunsFromTheCommandLine() throws Exception {
        PassRegistry.register("idle", o -> new Idle());
        int before = Idle.RUNS.get();
        Path json = dir.resolve("plan.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"optimize", "--methods", "idle,layout", "--plan-json", json.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(Idle.RUNS.get()).isEqualTo(before + 1);
        JsonNode opt = new ObjectMapper().readTree(json.toFile()).path("optimized");
        assertThat(opt.path("methods").toString()).contains("idle");
        assertThat(opt.path("verified").asBoolean()).isTrue();
    }

    @Test
    void passesRunInRankOrderAndEachExplainsItself() {
        PassRegistry.register("idle", o -> new Idle());
        Optimizer.Result r = Tinyfit.of(io.tinyfit.model.DefaultModels.mobileNetV2Style()).optimize(OptimizeOptions.of("layout", "idle", "reorder"));
        assertThat(r.passes()).extracting(Optimizer.PassRun::pass).containsExactly("reorder", "idle", "layout");
        assertThat(r.explanations().get("idle")).isEqualTo("idle looked at " + r.plan().stepCount() + " steps");
    }

    @Test
    void anUnknownMethodNamesTheRegisteredOnes() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"optimize", "--methods", "nope"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown method 'nope'").contains("reorder").contains("layout").contains("dmo");
    }
}
