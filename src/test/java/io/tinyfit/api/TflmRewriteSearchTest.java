package io.tinyfit.api;

import io.tinyfit.model.Graph;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.tiling.TflmRewrite;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TflmRewriteSearchTest {
    /**
     * VWW's peak (the 48x48 pointwise convolution) in row bands beats the same stock passes without the rewrite,
     * counting the whole TFLM arena (the added operators' tail included); the written file runs bit-exact.
     */
    @Test
    void theVwwRewriteBeatsTheStockPlanOnTheWholeArena() {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve("mlperf_vww_mobilenet_v1_int8.tflite"));
        TflmRewriteSearch.Result r = TflmRewriteSearch.search(g, OptimizeOptions.of("reorder", "layout"), 1, 2);
        assertThat(r.gains()).isTrue();
        assertThat(r.deployability()).isEqualTo(TflmRewriteSearch.TFLM_REWRITE);
        assertThat(r.rewriteWhole()).isLessThan(r.stockWhole()).isLessThan(r.originalWhole());
        assertThat(r.rewrite().verified()).isTrue();
        assertThat(r.lint()).isTrue();
        byte[] bytes = r.rewrite().modelBytes();
        assertThat(TflmLint.check(bytes, "vww rewrite").passed()).isTrue();
        Graph back = ModelReader.read(bytes, "vww rewrite");
        assertThat(new TflmRewrite.Reference(g).matches(back)).isTrue();
        assertThat(r.applied()).hasSize(1);
    }
}
