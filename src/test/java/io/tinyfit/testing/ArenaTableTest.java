package io.tinyfit.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table fails on growth, on an unrecorded shrink, and on a model it does not list. */
class ArenaTableTest {
    private static final Map<String, Map<String, Long>> PINNED = Map.of("m", Map.of("tflm_head", 100L, "reorder,layout", 80L));

    @Test
    void equalFiguresPass() {
        assertThatCode(() -> ArenaTable.assertMatches(PINNED, Map.of("m", Map.of("tflm_head", 100L, "reorder,layout", 80L)))).doesNotThrowAnyException();
    }

    @Test
    void aGrownFigureFails() {
        assertThatThrownBy(() -> ArenaTable.assertMatches(PINNED, Map.of("m", Map.of("tflm_head", 100L, "reorder,layout", 96L))))
                .hasMessageContaining("m reorder,layout: GREW from 80 to 96 bytes");
    }

    @Test
    void aShrinkWithoutATableUpdateFails() {
        assertThatThrownBy(() -> ArenaTable.assertMatches(PINNED, Map.of("m", Map.of("tflm_head", 100L, "reorder,layout", 64L))))
                .hasMessageContaining("shrank from 80 to 64 bytes; update");
    }

    @Test
    void aModelMissingFromEitherSideFails() {
        assertThatThrownBy(() -> ArenaTable.assertMatches(PINNED, Map.of())).hasMessageContaining("m: not measured");
        assertThatThrownBy(() -> ArenaTable.assertMatches(Map.of(), Map.of("n", Map.of("tflm_head", 1L)))).hasMessageContaining("n: missing from");
    }
}
