package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.CaseFiles;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden check of the generated C is not vacuous: ResNet-8's TFLM plan matches the golden data in C, and the
 * same plan with one fault planted does not. A buffer moved onto one that is still live corrupts the run in every
 * build; a lifetime cut short (its bytes declared free while a later step still reads them) is caught by the
 * poisoned build, which overwrites dead buffers as tinyfit's interpreter does. The verifier refuses both plans.
 */
class PlantedFaultTest {
    private static final String MODEL = "mlperf_ic_resnet8_int8";

    @Test
    void aBufferMovedOntoALiveOneChangesTheRun() {
        Shared.assume();
        CBuild.assumeToolchain();
        Plan good = TflmBaseline.plan(model());
        assertThat(mismatch(good, CBuild.Profile.PLAIN)).as("the unmodified plan").isNull();
        Plan bad = movedOntoLiveBuffer(good);
        assertThat(PlanVerifier.violations(bad)).as("the verifier sees the fault").isNotEmpty();
        assertThat(mismatch(bad, CBuild.Profile.PLAIN)).as("the planted fault must change the C run").isNotNull();
    }

    @Test
    void aLifetimeCutShortIsCaughtByThePoisonedBuild() {
        Shared.assume();
        CBuild.assumeToolchain();
        Plan bad = lifetimeCutShort(TflmBaseline.plan(model()));
        assertThat(PlanVerifier.violations(bad)).as("the verifier sees the fault").isNotEmpty();
        assertThat(mismatch(bad, CBuild.Profile.PLAIN)).as("nothing else uses the freed bytes: the plain build cannot tell").isNull();
        assertThat(mismatch(bad, CBuild.Profile.POISON)).as("the poisoned build must").isNotNull();
    }

    private static Graph model() { return ModelReader.read(Shared.models().resolve(MODEL + ".tflite")); }

    private static String mismatch(Plan plan, CBuild.Profile profile) {
        Path golden = Shared.golden().resolve(MODEL);
        try (GeneratedRun run = GeneratedRun.of(plan)) {
            GeneratedRun.Outcome got = run.run(profile, golden);
            return GeneratedRun.firstMismatch(plan, got, CaseFiles.numbered(golden, "output_"), GeneratedModelsGoldenTest.goldenTensors(golden));
        }
    }

    /** The first tensor buffer b written while another, a, is live and read after b's first step: b moves onto a. */
    static Plan movedOntoLiveBuffer(Plan p) {
        for (Buffer a : p.buffers()) {
            for (Buffer b : p.buffers()) {
                if (a == b || a.kind() != Buffer.Kind.TENSOR || b.kind() != Buffer.Kind.TENSOR) continue;
                if (b.firstStep() > a.firstStep() && b.firstStep() < a.lastStep() && a.offset() + b.bytes() <= p.arenaBytes()) {
                    return replaced(p, b, b.withOffset(a.offset()));
                }
            }
        }
        throw new AssertionError("no buffer pair to plant a fault on");
    }

    /** A tensor read two or more steps after it is written ends right after its first step instead. */
    static Plan lifetimeCutShort(Plan p) {
        for (Buffer b : p.buffers()) {
            if (b.kind() == Buffer.Kind.TENSOR && b.lastStep() > b.firstStep() + 1 && !p.graph().inputs().contains(b.tensor())) {
                return replaced(p, b, new Buffer(b.id(), b.tensor(), b.kind(), b.scratchOp(), b.scratchIndex(), b.name(), b.rawBytes(), b.bytes(),
                        b.offset(), b.firstStep(), b.firstStep()));
            }
        }
        throw new AssertionError("no long-lived buffer to cut short");
    }

    private static Plan replaced(Plan p, Buffer old, Buffer now) {
        List<Buffer> buffers = new ArrayList<>(p.buffers());
        buffers.set(buffers.indexOf(old), now);
        return p.withBuffers(buffers, p.arenaBytes(), p.planner() + "+planted-fault");
    }
}
