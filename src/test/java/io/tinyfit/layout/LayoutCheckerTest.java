package io.tinyfit.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LayoutCheckerTest {

    private static LayoutProblem twoLiveTogether() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(32, 0, 1);
        b.addBuffer(16, 1, 2);
        b.addBuffer(48, 3, 3, 0);
        return b.build();
    }

    private static List<LayoutChecker.Kind> kinds(LayoutChecker.Report r) {
        return r.violations().stream().map(LayoutChecker.Violation::kind).toList();
    }

    @Test
    void acceptsADisjointLayout() {
        assertThat(LayoutChecker.check(twoLiveTogether(), new long[] {0, 32, 0}).valid()).isTrue();
    }

    @Test
    void rejectsBuffersSharingBytesWhileBothLive() {
        LayoutChecker.Report r = LayoutChecker.check(twoLiveTogether(), new long[] {0, 16, 0});
        assertThat(kinds(r)).containsExactly(LayoutChecker.Kind.OVERLAP);
        assertThat(r.violations().get(0).buffers()).containsExactly(0, 1);
    }

    @Test
    void touchingBuffersAndBuffersLiveAtDifferentStepsAreFine() {
        // buffer 2 (step 3) shares bytes with buffer 0 (steps 0..1): never live together
        assertThat(LayoutChecker.check(twoLiveTogether(), new long[] {0, 32, 0}).valid()).isTrue();
        // [0,32) and [32,48) touch but share no byte
        assertThat(LayoutChecker.check(twoLiveTogether(), new long[] {0, 32, 0}).violations()).isEmpty();
    }

    @Test
    void rejectsMisalignedNegativeAndMovedOfflineOffsets() {
        assertThat(kinds(LayoutChecker.check(twoLiveTogether(), new long[] {0, 40, 0})))
                .containsExactly(LayoutChecker.Kind.MISALIGNED);
        assertThat(kinds(LayoutChecker.check(twoLiveTogether(), new long[] {-16, 32, 0})))
                .containsExactly(LayoutChecker.Kind.NEGATIVE_OFFSET);
        assertThat(kinds(LayoutChecker.check(twoLiveTogether(), new long[] {0, 32, 16})))
                .containsExactly(LayoutChecker.Kind.OFFLINE_MOVED);
        assertThat(kinds(LayoutChecker.check(twoLiveTogether(), new long[] {0, 32})))
                .containsExactly(LayoutChecker.Kind.WRONG_COUNT);
    }

    @Test
    void rejectsAWrongArenaSize() {
        LayoutProblem p = twoLiveTogether();
        Layout lying = new Layout("test", List.of(0L, 32L, 0L), 32);
        assertThat(kinds(LayoutChecker.check(p, lying))).containsExactly(LayoutChecker.Kind.WRONG_ARENA);
        assertThat(LayoutChecker.check(p, Layout.of("test", p, new long[] {0, 32, 0})).valid()).isTrue();
    }

    @Test
    void allowanceOnlyPermitsTheDeclaredDirection() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        int in = b.addBuffer(64, 0, 0);
        int out = b.addBuffer(64, 0, 1);
        b.allowOverlap(out, in, 16);
        LayoutProblem p = b.build();
        assertThat(LayoutChecker.check(p, new long[] {16, 0}).valid()).isTrue();
        // the input below the output is not covered by the allowance
        assertThat(LayoutChecker.check(p, new long[] {0, 16}).valid()).isFalse();
        // delta 0 < 16: one alignment step short
        assertThat(LayoutChecker.check(p, new long[] {0, 0}).valid()).isFalse();
    }

    @Test
    void emptyBuffersNeverConflict() {
        LayoutProblem.Builder b = LayoutProblem.builder(16);
        b.addBuffer(64, 0, 1);
        b.addBuffer(0, 0, 1);
        assertThat(LayoutChecker.check(b.build(), new long[] {0, 16}).valid()).isTrue();
    }
}
