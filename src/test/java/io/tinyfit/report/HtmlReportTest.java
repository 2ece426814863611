package io.tinyfit.report;

import io.tinyfit.plan.OpCost;
import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Region;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML report as text: its sections, its charts, self-contained, the fit table and the arena map's rectangles. */
class HtmlReportTest {
    private static Optimizer.Result dmo;
    private static String page;

    @BeforeAll
    static void optimiseTheDefaultModel() {
        Graph g = ModelReader.validate(DefaultModels.mobileNetV2Style(), io.tinyfit.model.Limits.DEFAULT);
        dmo = Optimizer.optimize(g, OptimizeOptions.of("reorder", "layout", "dmo"));
        page = HtmlReport.of(dmo, List.of("reorder", "layout", "dmo"), FitTarget.genericSizes());
    }

    @Test
    void everySectionAndChartIsThere() {
        for (String id : List.of("summary", "model", "live", "arena", "steps", "methods", "fit")) assertThat(page).contains("<h2 id=\"" + id + "\"");
        for (String chart : List.of("chart-live", "chart-arena-baseline", "chart-arena-optimised")) assertThat(page).contains("<svg id='" + chart + "'");
        for (String table : List.of("io", "operators", "table-steps", "table-methods", "table-fit", "buffers")) assertThat(page).contains("<table id=\"" + table + "\"");
        // the per-step table carries DMO's own explanation of each step
        assertThat(page).contains("applied: output ");
    }

    @Test
    void thePageFetchesNothingAndRunsNoScript() {
        assertThat(page).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img");
        Matcher m = Pattern.compile("(?:src|href)\\s*=\\s*[\"']([^\"']*)[\"']").matcher(page);
        while (m.find()) assertThat(m.group(1)).as("a reference in the page").startsWith("#");
        // XML namespace names are identifiers, never fetched; any other URL would be
        Matcher urls = Pattern.compile("https?://[^\"' )]+").matcher(page.replaceAll("xmlns(:\\w+)?=['\"][^'\"]*['\"]", ""));
        assertThat(urls.find()).as("a URL in the page").isFalse();
    }

    @Test
    void chartDefinitionsAreNotSharedBetweenCharts() {
        Matcher ids = Pattern.compile(" id=[\"']([^\"']+)[\"']").matcher(page);
        List<String> seen = new ArrayList<>();
        while (ids.find()) seen.add(ids.group(1));
        assertThat(seen).doesNotHaveDuplicates();
    }

    @Test
    void eachBufferRectangleSaysWhatItIs() {
        assertThat(page).containsPattern("<title>tensor \\d+ [^<]*: bytes [\\d,]+ to [\\d,]+ \\([\\d,]+ B\\), steps? \\d+");
    }

    @Test
    void theFitTableTakesAnyTargetsAndShowsTheWholeArena() {
        long whole = dmo.arena().forPointerBytes(4).orElseThrow().predictedMinBytes();
        String fit = HtmlReport.of(dmo, List.of("dmo"), List.of(new FitTarget("Board A", whole), new FitTarget("Board B", whole - 1)));
        String table = fit.substring(fit.indexOf("<table id=\"table-fit\""));
        assertThat(table).contains(String.format("optimised, 32-bit (%,d B)", whole)).contains("64-bit");
        assertThat(table).containsPattern("Board A</td>.*?<span class=\"fits\">fits</span>, 0 B spare");
        assertThat(table).containsPattern("Board B</td>.*?<span class=\"short\">does not fit</span>, 1 B short");
        assertThat(page.substring(page.indexOf("<table id=\"table-fit\""))).contains("32 KiB SRAM").contains("2 MiB SRAM");
    }

    @Test
    void theReportOfAnalyzeShowsTheBaselineAlone() {
        String analysis = HtmlReport.of(Analysis.of(dmo.baseline().graph()), FitTarget.genericSizes());
        assertThat(analysis).contains("<svg id='chart-arena-baseline'").doesNotContain("chart-arena-optimised").doesNotContain("<h2 id=\"steps\"")
                .contains("<h2 id=\"fit\"");
    }

    @Test
    void overlapRectanglesAreExactlyTheBytesDmoShares() {
        Plan p = dmo.plan();
        assertThat(p.overlaps()).isNotEmpty();
        List<ArenaRect> shared = ArenaRect.of(p).stream().filter(r -> r.kind() == ArenaRect.Kind.OVERLAP).toList();
        long declared = 0;
        for (Overlap o : p.overlaps()) declared += p.tensorBuffers().get(o.inputTensor()).sharedBytes(p.tensorBuffers().get(o.outputTensor()));
        assertThat(shared.stream().mapToLong(ArenaRect::bytes).sum()).isEqualTo(declared);
        for (ArenaRect r : shared) assertThat(p.overlaps()).anySatisfy(o -> assertThat(o.step()).isEqualTo(r.firstStep()).isEqualTo(r.lastStep()));
    }

    @Test
    void aTileOfATensorIsDrawnWithItsRegion() {
        Plan p = dmo.baseline();
        Buffer b = p.buffers().stream().filter(x -> x.kind() == Buffer.Kind.TENSOR).findFirst().orElseThrow();
        Region rows = Region.of(new int[] {0, 0, 0, 0}, new int[] {1, 4, 8, 3});
        Buffer band = new Buffer(b.id(), b.tensor(), b.kind(), -1, -1, b.name(), b.rawBytes(), b.bytes(), b.offset(), b.firstStep(), b.lastStep(), rows, null);
        ArenaRect tile = ArenaRect.of(p.graph(), band);
        assertThat(tile.kind()).isEqualTo(ArenaRect.Kind.TILE);
        assertThat(tile.describe()).contains(rows.toString());
        String svg = ReportCharts.arenaMap("chart-tiles", "tiles", List.of(tile), p.arenaBytes());
        assertThat(svg).contains(ArenaRect.Kind.TILE.legend).contains("<title>" + Html.esc(tile.describe()));
    }

    @Test
    void macsAreCountedFromTheShapes() {
        Graph g = dmo.baseline().graph();
        long convs = g.ops().stream().filter(o -> o.kind().equals("CONV_2D")).mapToLong(o -> OpCost.of(g, o).macs()).sum();
        assertThat(convs).isPositive();
        // the first convolution: every output element sums kh * kw * input channels
        var first = g.ops().stream().filter(o -> o.kind().equals("CONV_2D")).findFirst().orElseThrow();
        var f = g.tensor(first.input(1)).shape();
        assertThat(OpCost.of(g, first).macs()).isEqualTo(g.tensor(first.output(0)).shape().numElements() * f.dim(1) * f.dim(2) * f.dim(3));
        assertThat(OpCost.of(g, first).weightBytes()).isEqualTo(g.tensor(first.input(1)).bytes() + g.tensor(first.input(2)).bytes());
    }
}
