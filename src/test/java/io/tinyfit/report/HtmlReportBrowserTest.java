package io.tinyfit.report;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report as a browser shows it: headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs)
 * opens the page from disk with the network off, logs no console message, and its DOM holds the three charts with
 * their drawn shapes; a screenshot is kept in {@code target/report-browser/} for people to look at. Skipped with a
 * message when no Chromium is installed ({@code -Dtinyfit.chromium=PATH} names one elsewhere).
 */
class HtmlReportBrowserTest {
    private static final Path OUT = Path.of("target", "report-browser");
    private static Path page;

    @TempDir
    Path profile;

    @BeforeAll
    static void writeTheReport() throws IOException {
        Graph g = ModelReader.validate(DefaultModels.mobileNetV2Style(), Limits.DEFAULT);
        Optimizer.Result r = Optimizer.optimize(g, OptimizeOptions.of("reorder", "layout", "dmo"));
        Files.createDirectories(OUT);
        page = Files.writeString(OUT.resolve("report.html"), HtmlReport.of(r, List.of("reorder", "layout", "dmo"), FitTarget.genericSizes()));
    }

    @Test
    void chromiumShowsTheChartsWithoutAConsoleMessage() throws Exception {
        Browser b = run("--dump-dom", "--enable-logging=stderr", "--v=0");
        assertThat(b.code()).as(b.err()).isZero();
        List<String> console = b.err().lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertThat(console).as("console messages").isEmpty();
        for (String chart : List.of("chart-live", "chart-arena-baseline", "chart-arena-optimised")) {
            int at = b.out().indexOf("<svg id=\"" + chart + "\"");
            assertThat(at).as(chart + " in the DOM").isNotNegative();
            String svg = b.out().substring(at, b.out().indexOf("</svg>", at));
            assertThat(svg).as(chart + " draws shapes").containsPattern("<(path|rect)[ >]");
        }
        assertThat(b.out()).contains("id=\"table-fit\"").contains("id=\"table-steps\"");
    }

    @Test
    void aScreenshotIsKeptForPeopleToLookAt() throws Exception {
        Path png = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Browser b = run("--window-size=1200,4200", "--hide-scrollbars", "--screenshot=" + png);
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(png).exists();
        // a PNG of a page with charts, not a blank one
        assertThat(Files.size(png)).isGreaterThan(50_000);
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    private record Browser(int code, String out, String err) {}

    private Browser run(String... args) throws Exception {
        Path chromium = chromium().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no chromium on the PATH (apt-get install chromium, or -Dtinyfit.chromium=PATH); skipping the browser test");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        cmd.add(page.toAbsolutePath().toUri().toString());
        Path out = profile.resolve("stdout"), err = profile.resolve("stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + cmd);
        }
        return new Browser(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Optional<Path> chromium() {
        String given = System.getProperty("tinyfit.chromium");
        if (given != null) return Optional.of(Path.of(given)).filter(Files::isExecutable);
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser", "google-chrome").map(n -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }
}
