package io.tinyfit.verify;

import io.tinyfit.api.Optimizer;
import io.tinyfit.dmo.DmoAnalysis;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphBuilder.Activation;
import io.tinyfit.model.GraphBuilder.Padding;
import io.tinyfit.model.GraphBuilder.Ref;
import io.tinyfit.model.GraphBuilder;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.testing.CountedBudgets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier's overlap rule on a model built here (conv, pad, depthwise, skip ADD, reshape, FC): a DMO plan is
 * accepted with its declared overlaps and rejected without them; an overlap declared at the wrong step, with the
 * output above its input, on an input read later, or as a partial RESHAPE overlap is rejected; an exact RESHAPE
 * alias is accepted and runs the kernel's copy-free path.
 */
class PlanVerifierOverlapTest {
    static Graph model() {
        GraphBuilder b = new GraphBuilder("test:dmo-verifier", 7);
        Ref x = b.input("x", DType.INT8, 1, 12, 12, 4);
        Ref c1 = b.conv2d(x, 8, 3, 1, Padding.SAME, Activation.RELU6);
        Ref p = b.pad(c1, new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}});
        Ref d = b.depthwiseConv2d(p, 1, 3, 1, Padding.VALID, Activation.RELU6);
        Ref c2 = b.conv2d(d, 8, 1, 1, Padding.SAME, Activation.NONE);
        Ref sum = b.add(c2, c1, Activation.NONE);
        Ref r = b.reshape(sum, 1, -1);
        Ref fc = b.fullyConnected(r, 10, Activation.NONE);
        return b.output(b.softmax(fc)).build();
    }

    static Optimizer.Result dmoPlan(Graph g) {
        return Optimizer.optimize(g, CountedBudgets.options(Set.of(Optimizer.LAYOUT, Optimizer.DMO)));
    }

    @Test
    void dmoPlanNeedsItsDeclarations() {
        Graph g = model();
        Optimizer.Result r = dmoPlan(g);
        Plan p = r.plan();
        assertThat(r.verified()).isTrue();
        assertThat(p.overlaps()).isNotEmpty();
        assertThat(p.overlaps()).extracting(Overlap::method).contains(Overlap.ALIAS, Overlap.TRACE);
        assertThat(PlanVerifier.violations(p)).isEmpty();
        assertThat(PlanVerifier.violations(p.withOverlaps(List.of()))).hasSize(p.overlaps().size())
                .allMatch(v -> v.message().contains("share bytes"));
    }

    @Test
    void overlapAtTheWrongStepIsRejected() {
        Plan p = dmoPlan(model()).plan();
        Overlap o = p.overlaps().stream().filter(x -> x.method().equals(Overlap.TRACE)).findFirst().orElseThrow();
        Overlap moved = new Overlap(o.step() + 1, o.inputTensor(), o.outputTensor(), o.minDeltaBytes(), o.method());
        assertThat(PlanVerifier.violations(replace(p, o, moved))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("does not read tensor " + o.inputTensor()));
    }

    @Test
    void declaredDeltaIsNotTrusted() {
        // the plan claims delta 0 is safe for a conv: the verifier re-traces and refuses an output placed on its input
        Graph g = model();
        Plan base = Plans.noReuse(g);
        DmoAnalysis.Candidate conv = new DmoAnalysis().candidates(g, base.order()).stream()
                .filter(c -> c.kind().equals("CONV_2D") && c.legal() && c.trace() > 0).findFirst().orElseThrow();
        Buffer in = base.bufferOfTensor(conv.inputTensor()).orElseThrow();
        Plan p = move(base, conv.outputTensor(), in.offset()).withOverlaps(List.of(new Overlap(conv.step(), conv.inputTensor(), conv.outputTensor(), 0, Overlap.TRACE)));
        assertThat(PlanVerifier.violations(p)).anySatisfy(v -> assertThat(v.message()).contains("traced safe delta"));
    }

    @Test
    void outputAboveInputIsRejected() {
        Graph g = model();
        Plan base = Plans.noReuse(g);
        DmoAnalysis.Candidate add = new DmoAnalysis().candidates(g, base.order()).stream()
                .filter(c -> c.kind().equals("ADD") && c.legal()).findFirst().orElseThrow();
        Buffer in = base.bufferOfTensor(add.inputTensor()).orElseThrow();
        Plan p = move(base, add.outputTensor(), in.offset() + 16).withOverlaps(List.of(new Overlap(add.step(), add.inputTensor(), add.outputTensor(), 0, Overlap.TRACE)));
        assertThat(PlanVerifier.violations(p)).anySatisfy(v -> assertThat(v.message()).contains("above its input"));
    }

    @Test
    void inputReadLaterIsRejected() {
        // the first conv's output feeds the pad and, later, the skip ADD: overlapping it at the pad step is refused
        Graph g = model();
        Plan base = Plans.noReuse(g);
        DmoAnalysis.Candidate pad = new DmoAnalysis().candidates(g, base.order()).stream()
                .filter(c -> c.kind().equals("PAD")).findFirst().orElseThrow();
        assertThat(pad.legal()).isFalse();
        assertThat(pad.refusal()).contains("read again at step");
        Buffer in = base.bufferOfTensor(pad.inputTensor()).orElseThrow();
        Plan p = move(base, pad.outputTensor(), in.offset() - pad.trace()).withOverlaps(
                List.of(new Overlap(pad.step(), pad.inputTensor(), pad.outputTensor(), pad.trace(), Overlap.TRACE)));
        assertThat(PlanVerifier.violations(p)).anySatisfy(v -> assertThat(v.message()).contains("both live at steps"));
    }

    @Test
    void reshapeMayOnlyAlias() {
        Graph g = model();
        Plan base = Plans.noReuse(g);
        DmoAnalysis.Candidate reshape = new DmoAnalysis().candidates(g, base.order()).stream()
                .filter(c -> c.kind().equals("RESHAPE")).findFirst().orElseThrow();
        assertThat(reshape.legal()).isTrue();
        Buffer in = base.bufferOfTensor(reshape.inputTensor()).orElseThrow();
        Overlap alias = new Overlap(reshape.step(), reshape.inputTensor(), reshape.outputTensor(), 0, Overlap.ALIAS);
        Plan aliased = move(base, reshape.outputTensor(), in.offset()).withOverlaps(List.of(alias));
        assertThat(PlanVerifier.violations(aliased)).isEmpty();
        assertThat(ExecutionCheck.run(aliased).passed()).isTrue();
        Plan partial = move(base, reshape.outputTensor(), in.offset() - 16).withOverlaps(List.of(alias));
        assertThat(PlanVerifier.violations(partial)).anySatisfy(v -> assertThat(v.message()).contains("may only alias"));
    }

    /** The plan with tensor t's buffer at a new offset (the arena grows if needed). */
    private static Plan move(Plan p, int tensor, long offset) {
        List<Buffer> out = new ArrayList<>();
        long arena = p.arenaBytes();
        for (Buffer b : p.buffers()) {
            Buffer x = b.kind() == Buffer.Kind.TENSOR && b.tensor() == tensor ? b.withOffset(offset) : b;
            arena = Math.max(arena, x.end());
            out.add(x);
        }
        return p.withBuffers(out, arena, p.planner());
    }

    private static Plan replace(Plan p, Overlap old, Overlap neu) {
        List<Overlap> out = new ArrayList<>(p.overlaps());
        out.set(out.indexOf(old), neu);
        return p.withOverlaps(out);
    }
}
