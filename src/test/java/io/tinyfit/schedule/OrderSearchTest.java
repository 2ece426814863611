package io.tinyfit.schedule;

import io.tinyfit.model.Graph;
import io.tinyfit.model.TestModels;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.verify.PlanVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderSearchTest {

    /**
     * x (16 B) feeds a narrow branch (two 400 B tensors) and a wide one (a 1000 B expansion reduced to 16 B);
     * CONCATENATION joins them. The file lists the narrow branch first, so its 400 B result waits in memory
     * while the wide branch expands: 16 + 400 + 1008 = 1424 B at the peak. Running the wide branch first keeps
     * only its 16 B result waiting: the peak drops to x + expansion + reduced = 16 + 1008 + 16 = 1040 B.
     */
    static Graph wideAndNarrowBranches() {
        TinyGraphs b = new TinyGraphs();
        int x = b.input("x", 16);
        int n1 = b.tensor("narrow1", 400);
        int n2 = b.tensor("narrow2", 400);
        int w1 = b.tensor("wide1", 1000);
        int w2 = b.tensor("wide2", 16);
        int y = b.tensor("y", 416);
        b.op("TEST_NARROW", List.of(x), List.of(n1));
        b.op("TEST_NARROW", List.of(n1), List.of(n2));
        b.op("TEST_EXPAND", List.of(x), List.of(w1));
        b.op("TEST_REDUCE", List.of(w1), List.of(w2));
        b.op("CONCATENATION", List.of(n2, w2), List.of(y));
        b.output(y);
        return b.build("wide-and-narrow");
    }

    /** Kept graph inputs stay live to the end of the orders the search judges and of the plan it returns. */
    @Test
    void keptInputsStayLiveToTheEnd() {
        Graph g = TestModels.peakReadsTheInput();
        // x (2,048 B) and the conv's output (2,048 B) at step 0; a kept x then also stays beside the pool's (512 B)
        assertThat(OrderSearch.search(g).arenaBytes()).isEqualTo(4096);
        OrderSearch.Result kept = OrderSearch.search(g, OrderSearch.Options.defaults().withKeepInputs(true));
        assertThat(kept.arenaBytes()).isEqualTo(4608);
        Plan p = kept.plan(g);
        assertThat(p.keepInputs()).isTrue();
        assertThat(p.bufferOfTensor(g.inputs().get(0)).orElseThrow().lastStep()).isEqualTo(p.stepCount() - 1);
        assertThat(PlanVerifier.violations(p)).isEmpty();
    }

    @Test
    void reorderingBranchesBeatsFileOrder() {
        Graph g = wideAndNarrowBranches();
        assertThat(Liveness.of(g, Plans.fileOrder(g)).peak()).isEqualTo(1424);

        ExactScheduler.Result exact = ExactScheduler.schedule(g);
        assertThat(exact.status()).isEqualTo(ExactScheduler.Status.OPTIMAL);
        assertThat(exact.peak()).isEqualTo(1040);
        assertThat(exact.order()).isEqualTo(List.of(2, 3, 0, 1, 4));

        OrderSearch.Result r = OrderSearch.search(g);
        long fileTflm = TflmBaseline.plan(g).arenaBytes();
        assertThat(fileTflm).isEqualTo(1424);
        assertThat(r.arenaBytes()).isEqualTo(1040).isLessThan(fileTflm);
        assertThat(r.workingSetLowerBound()).isEqualTo(1040);
        assertThat(r.minPeakOverAllOrders()).isEqualTo(1040);
        assertThat(r.scheduler()).contains(OrderSearch.EXACT);
        assertThat(r.exactCompleted()).isTrue();
        assertThat(r.plan(g).order()).isEqualTo(r.order());
        assertThat(OpDag.of(g).isTopologicalOrder(r.order())).isTrue();
    }

    @Test
    void deferLongLivedHeuristicFindsTheBranchOrderToo() {
        Graph g = wideAndNarrowBranches();
        List<Integer> order = HeuristicScheduler.schedule(g, HeuristicScheduler.Strategy.SEGMENTS);
        assertThat(order).isEqualTo(List.of(2, 3, 0, 1, 4));
        assertThat(Liveness.of(g, order).peak()).isEqualTo(1040);
    }

    /** {@code branches} parallel chains of {@code length} ops from one input, joined by one concatenation. */
    static Graph parallelBranches(int branches, int length) {
        TinyGraphs b = new TinyGraphs();
        int x = b.input("x", 64);
        List<Integer> ends = new java.util.ArrayList<>();
        for (int k = 0; k < branches; k++) {
            int t = x;
            for (int i = 0; i < length; i++) {
                // each branch swells in the middle and ends small or large, so the branch order matters
                int bytes = 32 + 16 * ((k * 7 + i * (k + 3)) % 40) + (i == length - 1 ? 64 * k : 0);
                int next = b.tensor("b" + k + "_" + i, bytes);
                b.op("TEST_OP", List.of(t), List.of(next));
                t = next;
            }
            ends.add(t);
        }
        int y = b.tensor("y", 256);
        b.op("CONCATENATION", ends, List.of(y));
        b.output(y);
        return b.build("parallel-" + branches + "x" + length);
    }

    @Test
    void tooManyInterleavingsFallBackToTheChainTier() {
        // 11^6 interleavings of six 10-op branches exceed the state cap; as chains there are only 2^6 states
        Graph g = parallelBranches(6, 10);
        ExactScheduler.Result r = ExactScheduler.schedule(g,
                new ExactScheduler.Budget(20_000, java.time.Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ExactScheduler.Status.OPTIMAL_CONTIGUOUS_CHAINS);
        assertThat(r.units()).isEqualTo(7);
        assertThat(OpDag.of(g).isTopologicalOrder(r.order())).isTrue();
        assertThat(Liveness.of(g, r.order()).peak()).isEqualTo(r.peak())
                .isLessThanOrEqualTo(Liveness.of(g, Plans.fileOrder(g)).peak());

        OrderSearch.Result search = OrderSearch.search(g, OrderSearch.Options.defaults()
                .withExactBudget(new ExactScheduler.Budget(20_000, java.time.Duration.ofSeconds(5))));
        assertThat(search.exactCompleted()).isTrue();
        assertThat(search.minPeakOverAllOrders()).isEqualTo(-1);
        assertThat(search.arenaBytes()).isLessThanOrEqualTo(TflmBaseline.plan(g).arenaBytes());
    }

    @Test
    void exhaustedBudgetStillYieldsAValidOrder() {
        Graph g = parallelBranches(3, 4);
        OrderSearch.Result r = OrderSearch.search(g, OrderSearch.Options.defaults()
                .withExactBudget(new ExactScheduler.Budget(1, java.time.Duration.ofSeconds(1))));
        assertThat(r.exact().status()).isEqualTo(ExactScheduler.Status.BUDGET_EXCEEDED);
        assertThat(r.exactCompleted()).isFalse();
        assertThat(r.candidates()).noneMatch(c -> c.scheduler().contains(OrderSearch.EXACT));
        assertThat(OpDag.of(g).isTopologicalOrder(r.order())).isTrue();
        assertThat(r.arenaBytes()).isLessThanOrEqualTo(TflmBaseline.plan(g).arenaBytes());
    }

    @Test
    void chainKeepsFileOrderEverywhere() {
        TinyGraphs b = new TinyGraphs();
        int t = b.input("in", 100);
        for (int i = 0; i < 6; i++) {
            int next = b.tensor("t" + i, 50 + 40 * i);
            b.op("TEST_OP", List.of(t, b.constant("w" + i, 10)), List.of(next));
            t = next;
        }
        b.output(t);
        Graph g = b.build("chain");
        OrderSearch.Result r = OrderSearch.search(g);
        for (OrderSearch.Candidate c : r.candidates()) assertThat(c.order()).isEqualTo(Plans.fileOrder(g));
        assertThat(r.candidates()).hasSize(1);
        assertThat(r.exact().units()).isEqualTo(6);
        assertThat(ExactScheduler.chains(OpDag.of(g))).hasDimensions(1, 6);
    }

    @Test
    void livenessCountsAlignedBuffersPerStep() {
        Graph g = wideAndNarrowBranches();
        Liveness l = Liveness.of(g, List.of(2, 3, 0, 1, 4));
        // step 0: x + wide1; 1: x + wide1 + wide2; 2: x + wide2 + narrow1; 3: wide2 + narrow1 + narrow2;
        // 4: wide2 + narrow2 + y
        assertThat(l.inputBytes()).isEqualTo(16);
        assertThat(l.stepBytes()).containsExactly(1024L, 1040L, 432L, 816L, 832L);
        assertThat(l.peak()).isEqualTo(1040);
        assertThat(l.peakStep()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidOrders() {
        Graph g = wideAndNarrowBranches();
        assertThat(OpDag.of(g).isTopologicalOrder(List.of(1, 0, 2, 3, 4))).isFalse();
        assertThat(OpDag.of(g).isTopologicalOrder(List.of(0, 1, 2, 3))).isFalse();
        assertThat(OpDag.of(g).isTopologicalOrder(List.of(0, 0, 2, 3, 4))).isFalse();
        assertThatThrownBy(() -> OrderSearch.evaluate(g, List.of(4, 0, 1, 2, 3), "bad", OrderSearch.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void variableTensorsKeepTheirWritersInFileOrder() {
        TinyGraphs b = new TinyGraphs();
        int x = b.input("x", 32);
        int state = b.tensor("state", 64);
        int a = b.tensor("a", 32);
        int c = b.tensor("c", 32);
        b.op("TEST_OP", List.of(x, state), List.of(a));
        b.op("TEST_OP", List.of(x, state), List.of(c));
        b.output(a);
        b.output(c);
        Graph plain = b.build("stateless");
        assertThat(OpDag.of(plain).predecessors(1)).isEmpty();
        // same graph with the shared tensor marked variable: the two ops now depend on each other's effect
        var tensors = new java.util.ArrayList<>(plain.tensors());
        var s = tensors.get(state);
        tensors.set(state, new io.tinyfit.model.Tensor(s.id(), s.name(), s.dtype(), s.shape(), null, null, 0, null,
                true, true));
        Graph stateful = plain.withMain(plain.main().withTensors(tensors));
        assertThat(OpDag.of(stateful).predecessors(1)).containsExactly(0);
    }
}
