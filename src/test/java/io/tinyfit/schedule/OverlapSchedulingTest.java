package io.tinyfit.schedule;

import io.tinyfit.layout.LayoutChecker;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.LowerBound;
import io.tinyfit.layout.OverlapAllowance;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator order search with DMO pairs: credit only where the pair's operator reads its input last. */
class OverlapSchedulingTest {

    private static final int X = 0;
    private static final int A = 1;
    private static final int C = 2;
    private static final int WRITES_C = 1;  // op1

    /**
     * x (320 B) feeds op0 (x -> a, 320 B) and op1 (x -> c, 160 B); op2 reduces c to c2 (16 B); op3 joins a and
     * c2. Without sharing, running the c branch first is best: x + c2 + a = 656 B at op0, against 800 B when
     * a waits during op1. If op1 may write c over x (delta 0), file order makes op1 x's last reader, and its step
     * drops to x + a + c - 160 = 640 B: the better order flips to file order.
     */
    static Graph sharedInput() {
        TinyGraphs b = new TinyGraphs();
        int x = b.input("x", 320);
        int a = b.tensor("a", 320);
        int c = b.tensor("c", 160);
        int c2 = b.tensor("c2", 16);
        int y = b.tensor("y", 16);
        b.op("TEST_OP", List.of(x), List.of(a));
        b.op("TEST_OP", List.of(x), List.of(c));
        b.op("TEST_OP", List.of(c), List.of(c2));
        b.op("TEST_OP", List.of(a, c2), List.of(y));
        b.output(y);
        Graph g = b.build("shared-input");
        assertThat(List.of(x, a, c)).containsExactly(X, A, C);
        return g;
    }

    /** op1 (which writes c) may write c over x. */
    private static final OverlapModel C_OVER_X = pairs(Map.of(WRITES_C,
            List.of(new OverlapModel.Pair(X, C, 0))));

    private static OverlapModel pairs(Map<Integer, List<OverlapModel.Pair>> byOp) {
        return op -> byOp.getOrDefault(op, List.of());
    }

    @Test
    void aPairThatMakesAnotherBranchOrderCheaperChangesTheExactOrder() {
        Graph g = sharedInput();
        ExactScheduler.Result plain = ExactScheduler.schedule(g);
        assertThat(plain.order()).containsExactly(1, 2, 0, 3);
        assertThat(plain.peak()).isEqualTo(656);

        ExactScheduler.Result shared = ExactScheduler.schedule(g, ExactScheduler.Budget.defaults(), 16, C_OVER_X);
        assertThat(shared.status()).isEqualTo(ExactScheduler.Status.OPTIMAL);
        assertThat(shared.order()).isEqualTo(Plans.fileOrder(g));
        assertThat(shared.peak()).isEqualTo(640).isLessThan(plain.peak());
    }

    @Test
    void orderSearchJudgesCandidatesByTheirOverlapAwareArena() {
        Graph g = sharedInput();
        OrderSearch.Result plain = OrderSearch.search(g);
        assertThat(plain.order()).containsExactly(1, 2, 0, 3);
        assertThat(plain.arenaBytes()).isEqualTo(656);

        OrderSearch.Result shared = OrderSearch.search(g, OrderSearch.Options.defaults().withOverlaps(C_OVER_X));
        assertThat(shared.order()).isEqualTo(Plans.fileOrder(g));
        assertThat(shared.overlapLowerBound()).isEqualTo(640);
        assertThat(shared.arenaBytes()).isEqualTo(640).isLessThan(plain.arenaBytes());
        // the working set ignores sharing, so it is no bound for this layout
        assertThat(shared.workingSetLowerBound()).isEqualTo(800);
        LayoutProblem problem = OrderSearch.problem(g, shared.order(), 16, C_OVER_X);
        assertThat(LayoutChecker.check(problem, shared.best().layout()).valid()).isTrue();

        // the reorder pass takes the pairs another pass shared
        assertThat(reorder(g, null).order()).isEqualTo(plain.order());
        assertThat(reorder(g, C_OVER_X).order()).isEqualTo(shared.order());
    }

    @Test
    void aPairIsNeverCreditedWhenItsOperatorIsNotTheLastReader() {
        Graph g = sharedInput();
        MemoryModel plain = new MemoryModel(g, 16);
        MemoryModel shared = new MemoryModel(g, 16, C_OVER_X);

        // op1 first: op0 still reads x afterwards, so c must not land on it
        MemoryModel.State early = shared.new State();
        assertThat(early.stepBytes(1)).isEqualTo(plain.new State().stepBytes(1)).isEqualTo(480);
        assertThat(shared.peakOf(List.of(1, 2, 0, 3))).isEqualTo(plain.peakOf(List.of(1, 2, 0, 3))).isEqualTo(656);
        assertThat(OrderSearch.problem(g, List.of(1, 2, 0, 3), 16, C_OVER_X).allowances()).isEmpty();

        // after op0, op1 is the last reader: its step shares all of c with x
        MemoryModel.State late = shared.new State();
        late.apply(0);
        assertThat(late.stepBytes(1)).isEqualTo(800 - 160);
        LayoutProblem problem = OrderSearch.problem(g, List.of(0, 1, 2, 3), 16, C_OVER_X);
        // BufferRequests lists tensors by index, so buffer ids equal tensor ids here
        assertThat(problem.allowances()).containsExactly(new OverlapAllowance(C, X, 0));
        assertThat(LowerBound.overlapAware(problem)).isEqualTo(shared.peakOf(List.of(0, 1, 2, 3))).isEqualTo(640);
    }

    @Test
    void pairsTheOperatorCannotUseAreIgnored() {
        Graph g = sharedInput();
        OverlapModel useless = pairs(Map.of(
                // op0 neither reads c nor writes it
                0, List.of(new OverlapModel.Pair(C, A, 0), new OverlapModel.Pair(X, C, 0)),
                // y is a graph output that op3 writes, not reads; the delta of the last leaves nothing to share
                3, List.of(new OverlapModel.Pair(4, A, 0), new OverlapModel.Pair(A, 4, 16))));
        MemoryModel model = new MemoryModel(g, 16, useless);
        for (int op = 0; op < 4; op++) assertThat(model.pairInput[op]).as("op %d", op).isEmpty();
        assertThat(OrderSearch.problem(g, Plans.fileOrder(g), 16, useless).allowances()).isEmpty();
    }

    /** op0 reads p (64 B) and q (160 B) and writes r (160 B); r may overlap p (delta 0) or q (delta 32). */
    private static Graph twoInputs(boolean qIsAlsoAGraphOutput) {
        TinyGraphs b = new TinyGraphs();
        int p = b.input("p", 64);
        int q = b.input("q", 160);
        int r = b.tensor("r", 160);
        b.op("TEST_OP", List.of(p, q), List.of(r));
        b.output(r);
        if (qIsAlsoAGraphOutput) b.output(q);
        return b.build("two-inputs");
    }

    private static final OverlapModel R_OVER_P_OR_Q = pairs(Map.of(0,
            List.of(new OverlapModel.Pair(0, 2, 0), new OverlapModel.Pair(1, 2, 32))));

    @Test
    void eachTensorJoinsOnePairPerStepLargestSavingFirst() {
        Graph g = twoInputs(false);
        MemoryModel model = new MemoryModel(g, 16, R_OVER_P_OR_Q);
        // q shares 160 - 32 = 128 B, p only 64 B: the larger one wins and r is used up
        assertThat(model.new State().stepBytes(0)).isEqualTo(64 + 160 + 160 - 128);
        // the layout may still use either allowance; its bound subtracts both at op0's step (a valid, looser
        // bound: 192 B), which leaves the inputs alone at time 0 as the peak
        LayoutProblem problem = OrderSearch.problem(g, List.of(0), 16, R_OVER_P_OR_Q);
        assertThat(problem.allowances()).hasSize(2);
        assertThat(LowerBound.overlapAware(problem)).isEqualTo(64 + 160).isLessThan(model.peakOf(List.of(0)));
    }

    @Test
    void anInputThatIsAlsoAGraphOutputIsNeverOverwritten() {
        Graph g = twoInputs(true);
        MemoryModel model = new MemoryModel(g, 16, R_OVER_P_OR_Q);
        // q must survive to the end, so only p's pair is left
        assertThat(model.new State().stepBytes(0)).isEqualTo(64 + 160 + 160 - 64);
        assertThat(OrderSearch.problem(g, List.of(0), 16, R_OVER_P_OR_Q).allowances())
                .containsExactly(new OverlapAllowance(2, 0, 0));
    }

    private static Ordering reorder(Graph g, OverlapModel shared) {
        PassContext ctx = new PassContext(g, PlannerSuite.Options.quick());
        if (shared != null) ctx.share(OverlapModel.class, shared);
        ReorderPass pass = new ReorderPass(ExactScheduler.Budget.defaults());
        Plan chosen = pass.apply(TflmBaseline.plan(g), ctx).plan();
        return pass.explain(chosen, ctx);
    }
}
