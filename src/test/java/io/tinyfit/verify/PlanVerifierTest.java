package io.tinyfit.verify;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TFLM baseline of every shared model passes the verifier, and three kinds of injected faults are always
 * caught: an offset moved onto a buffer live at the same time, a lifetime ended one step early, an arena
 * shrunk below its last buffer.
 */
class PlanVerifierTest {

    @TestFactory
    Stream<DynamicTest> baselinesVerifyAndFaultsAreCaught() {
        Shared.assume();
        return Shared.modelFiles().stream().map(f -> DynamicTest.dynamicTest(Shared.stem(f), () -> check(f)));
    }

    static void check(Path f) {
        Graph g = ModelReader.read(f);
        Plan p = TflmBaseline.plan(g);
        assertThat(PlanVerifier.violations(p)).isEmpty();
        assertThat(PlanVerifier.violations(Plans.noReuse(g))).isEmpty();

        int injected = 0;
        for (Buffer a : p.buffers()) {
            // Fault 1: move a onto every buffer that is live with it.
            for (Buffer b : p.buffers()) {
                if (a == b || !a.conflictsWith(b) || a.offset() == b.offset()) continue;
                Plan moved = replace(p, a.withOffset(b.offset()));
                assertThat(PlanVerifier.violations(moved)).as("%s moved onto %s", a.name(), b.name()).isNotEmpty();
                injected++;
                break;
            }
            // Fault 2: end a's lifetime one step early.
            if (a.lastStep() > a.firstStep()) {
                Buffer shorter = new Buffer(a.id(), a.tensor(), a.kind(), a.scratchOp(), a.scratchIndex(), a.name(), a.rawBytes(), a.bytes(), a.offset(), a.firstStep(), a.lastStep() - 1);
                assertThat(PlanVerifier.violations(replace(p, shorter))).as("%s ends early", a.name()).isNotEmpty();
                injected++;
            }
        }
        // Fault 3: shrink the arena by one alignment step.
        if (p.arenaBytes() > 0) {
            Plan small = p.withBuffers(p.buffers(), p.arenaBytes() - p.alignment(), p.planner());
            assertThatThrownBy(() -> PlanVerifier.check(small)).isInstanceOf(PlanViolationException.class).hasMessageContaining("outside");
            injected++;
        }
        assertThat(injected).isPositive();
    }

    static Plan replace(Plan p, Buffer b) {
        List<Buffer> list = new ArrayList<>(p.buffers());
        list.set(b.id(), b);
        return p.withBuffers(list, p.arenaBytes(), p.planner());
    }
}
