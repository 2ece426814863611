package io.tinyfit.spill;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.TiledPlans;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpillPassTest {
    static final PlannerSuite.Options LAYOUT = PlannerSuite.Options.quick().withExactTimeLimit(Duration.ofSeconds(1));

    static Pass.Outcome spill(Plan p, SpillOptions o) {
        return new SpillPass(o).apply(p, new PassContext(p.graph(), LAYOUT));
    }

    /**
     * The residual (16×16×8 input; a, the depthwise output d and c 16×16×16 = 4096 B; the expanded e 16×16×32 = 8192 B):
     * TFLM keeps a live through the expand and project convs, 4096 + 4096 + 8192 = 16384 B at both. Spilled after the
     * depthwise conv and fetched before the ADD, the peak is d + e = e + c = a + c + out = 12288 B; the copies move
     * 2 × 4096 B, each 1 µs + 4096 B / 20 MB/s = 205.8 µs: 0.4116 ms per inference.
     */
    @Test
    void theResidualSpillsItsSkipTensorOverItsColdRange() {
        Graph g = TiledPlans.residual();
        Plan tflm = TflmBaseline.plan(g);
        assertThat(tflm.arenaBytes()).isEqualTo(16384);
        SpillPass pass = new SpillPass(SpillOptions.defaults());
        Pass.Outcome out = pass.apply(tflm, new PassContext(g, LAYOUT));
        Plan p = PlanVerifier.check(out.plan());
        assertThat(p.arenaBytes()).isEqualTo(12288);
        int a = g.ops().get(0).output(0);
        List<Step> copies = p.steps().stream().filter(s -> s.kind() == StepKind.COPY).toList();
        assertThat(copies).hasSize(2);
        Buffer slow = p.buffers().get(copies.get(0).to());
        assertThat(slow.bank()).isEqualTo("psram");
        assertThat(slow.tensor()).isEqualTo(a);
        assertThat(p.bank("psram").bytes()).isEqualTo(4096);
        SpillSummary s = pass.explain(p, null);
        assertThat(s.spills()).extracting(SpillSummary.Moved::after, SpillSummary.Moved::before).containsExactly(org.assertj.core.groups.Tuple.tuple(1, 4));
        assertThat(s.transferBytes()).isEqualTo(8192);
        assertThat(s.transferMs()).isCloseTo(0.4116, org.assertj.core.data.Offset.offset(1e-9));
        // nothing reads a from SRAM between the copies: the interpreter poisons its bytes there
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }

    /** In a mapped memory the ADD reads a where it lies: one copy out, 4096 B, and a direct read of 4096 B. */
    @Test
    void aMappedMemoryIsReadInPlace() {
        Graph g = TiledPlans.residual();
        SpillPass pass = new SpillPass(new SpillOptions(List.of(Memory.parse("psram:8MiB:20MB/s:1us:mapped")), -1, Double.POSITIVE_INFINITY));
        Plan p = PlanVerifier.check(pass.apply(TflmBaseline.plan(g), new PassContext(g, LAYOUT)).plan());
        assertThat(p.arenaBytes()).isEqualTo(12288);
        assertThat(p.steps().stream().filter(s -> s.kind() == StepKind.COPY)).hasSize(1);
        SpillSummary s = pass.explain(p, null);
        assertThat(s.transferBytes()).isEqualTo(4096);
        assertThat(s.directMs()).isCloseTo(0.2058, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }

    /**
     * The fused fetch: the ADD runs in 4 row bands, each fetching its 4 rows of a (1024 B) into a tile; the ADD reads
     * exactly the rows it writes, so the 4 fetches move 4096 B as the whole fetch does, at 4 latencies (4 × 1 µs + 4096
     * B / 20 MB/s, plus the copy out: 0.4146 ms), and a is never whole in SRAM after the spill.
     */
    @Test
    void aFusedFetchStreamsTheSpilledTensorIntoItsReader() {
        Graph g = TiledPlans.residual();
        int a = g.ops().get(0).output(0);
        SpillPlans.Built b = SpillPlans.build(TflmBaseline.plan(g), List.of(new Spill(a, 1, 4, "psram", false, 4)), List.of(),
                List.of(Memory.parse(Memory.DEFAULT)), SpillPlans.Effort.FULL, LAYOUT, "fused");
        Plan p = PlanVerifier.check(b.plan());
        assertThat(p.steps().stream().filter(s -> s.kind() == StepKind.COPY)).hasSize(5);
        assertThat(b.transferBytes()).isEqualTo(8192);
        assertThat(b.transferMs()).isCloseTo(0.4146, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.buffers()).filteredOn(x -> x.tensor() == a && x.bank().equals(Bank.SRAM) && x.region() == null).hasSize(1);
        assertThat(p.arenaBytes()).isEqualTo(12288);
        assertThat(ExecutionCheck.run(p).passed()).isTrue();
    }

    /** A transfer bound below one round trip leaves the plan as it was. */
    @Test
    void theTransferBoundIsNeverExceeded() {
        Graph g = TiledPlans.residual();
        Plan tflm = TflmBaseline.plan(g);
        Pass.Outcome out = spill(tflm, SpillOptions.defaults().withMaxTransferMs(0.4));
        assertThat(out.plan()).isSameAs(tflm);
    }

    /** A memory too small for the tensor takes nothing. */
    @Test
    void aFullMemoryTakesNothing() {
        Graph g = TiledPlans.residual();
        Plan tflm = TflmBaseline.plan(g);
        assertThat(spill(tflm, new SpillOptions(List.of(Memory.parse("psram:4000")), -1, Double.POSITIVE_INFINITY)).plan()).isSameAs(tflm);
    }

    @Test
    void memoriesParseInOneForm() {
        Memory m = Memory.parse("psram:8MiB:20MB/s:1us");
        assertThat(m.bytes()).isEqualTo(8L << 20);
        assertThat(m.bytesPerSecond()).isEqualTo(20e6);
        assertThat(m.latencyNanos()).isEqualTo(1000);
        assertThat(m.mapped()).isFalse();
        assertThat(Memory.parse(m.spec())).isEqualTo(m);
        Memory f = Memory.parse("flash:16MiB:40MiB/s:250ns:mapped");
        assertThat(f.bytesPerSecond()).isEqualTo(40.0 * 1024 * 1024);
        assertThat(f.mapped()).isTrue();
        SpillOptions o = SpillOptions.parse("sram:64KiB,psram:8MiB:20MB/s:1us", 5);
        assertThat(o.sramBudget()).isEqualTo(65536);
        assertThat(o.memories()).containsExactly(m);
        assertThat(o.maxTransferMs()).isEqualTo(5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Memory.parse("psram:8MiB:fast")).hasMessageContaining("'fast' is not a bandwidth");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Memory.parse("psram")).hasMessageContaining("is not a memory");
    }

    @Test
    void withABudgetOnlyTheSpillsItNeedsStay() {
        Graph g = TiledPlans.residual();
        Plan tflm = TflmBaseline.plan(g);
        Plan p = spill(tflm, SpillOptions.defaults().withSramBudget(16000)).plan();
        assertThat(p.arenaBytes()).isLessThanOrEqualTo(16000);
        assertThat(p.banks()).extracting(Bank::name).contains("psram");
    }
}
