package io.tinyfit.dmo;

import io.tinyfit.testing.RandomOps;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agreement table over a fixed-seed corpus covering every registered kind: every case satisfies the DMO
 * invariants, and the per-kind table is written to {@code target/dmo-agreement.md} (and printed).
 */
class MethodAgreementTest {
    private static final int SEEDS_PER_KIND = 10;
    /** The window operators have the most intricate closed form (padding, dilation, stride, groups): more cases. */
    private static final java.util.Set<String> WINDOW = java.util.Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D");
    private static final int SEEDS_PER_WINDOW_KIND = 40;

    @Test
    void corpusOfEveryKindAgreesAndIsTabulated() throws IOException {
        List<MethodAgreement.Sample> samples = new ArrayList<>();
        for (String kind : RandomOps.kinds()) {
            int seeds = WINDOW.contains(kind) ? SEEDS_PER_WINDOW_KIND : SEEDS_PER_KIND;
            for (long seed = 0; seed < seeds; seed++) {
                RandomOps.OpCase c = RandomOps.of(kind, 1000 * seed + kind.hashCode());
                for (int in : c.arenaInputs()) samples.add(DmoInvariants.check(c, in));
            }
        }
        List<MethodAgreement.Row> rows = MethodAgreement.aggregate(samples);
        assertThat(rows).extracting(MethodAgreement.Row::kind).containsExactlyElementsOf(RandomOps.kinds());
        String table = MethodAgreement.markdown(rows);
        Path out = Path.of("target", "dmo-agreement.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# DMO method agreement (" + samples.size() + " operand pairs; " + SEEDS_PER_KIND + " random models per kind, "
                + SEEDS_PER_WINDOW_KIND + " per window kind)\n\n" + table);
        System.out.println(table);
    }

    @Test
    void aggregateCountsSlackAndSearch() {
        List<MethodAgreement.Sample> s = List.of(
                new MethodAgreement.Sample("X", 100, 10, true, 10, 10),
                new MethodAgreement.Sample("X", 100, 30, true, 10, 5),
                new MethodAgreement.Sample("Y", 50, 50, false, 0, 0));
        List<MethodAgreement.Row> rows = MethodAgreement.aggregate(s);
        assertThat(rows).containsExactly(
                new MethodAgreement.Row("X", 2, 2, 2, 1, 20, 10.0, 20.0, 10.0, 1, 1),
                new MethodAgreement.Row("Y", 1, 0, 0, 0, 50, 50.0, 100.0, 100.0, 1, 0));
        assertThat(MethodAgreement.markdown(rows)).contains("| X | 2 | 2 | 2 | 1 | 20 | 10.0 | 20.0 | 10.0 | 1 | 1 |");
    }
}
