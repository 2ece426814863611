package io.tinyfit.codegen;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C runtime's region views and step kinds, in C ({@code src/test/c/region_test.c}): kernels computing output
 * tiles from input tiles, CONV_2D and FULLY_CONNECTED split into accumulate steps over input-channel slices and a
 * finish step, and region copies, each byte-identical to the unsplit kernel on the whole tensor. Built with the
 * sanitizers and view bounds checks, so a tile that reads outside its view fails.
 */
class RegionKernelsTest {
    @Test
    void tilesSlicesAndCopiesEqualTheUnsplitKernels() throws IOException {
        CBuild.assumeToolchain();
        Path runtime = Files.createDirectories(Path.of("target", "c-runtime").toAbsolutePath());
        for (var e : RuntimeSources.files().entrySet()) Files.write(runtime.resolve(e.getKey()), e.getValue());
        Path exe = CBuild.program(Path.of("src", "test", "c", "region_test.c").toAbsolutePath(), runtime, CBuild.Profile.SANITIZE, List.of(),
                runtime.resolve("region_test"));
        HostToolchain.Result r = CBuild.run(runtime, List.of(exe.toString()));
        assertThat(r.out()).doesNotContain("FAIL");
        assertThat(r.ok()).as(r.out() + r.err()).isTrue();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("ok "));
        for (String kind : List.of("conv", "depthwise", "average pool", "max pool", "fully connected", "pad", "add", "copy region")) {
            assertThat(lines).as(kind).anyMatch(l -> l.startsWith("ok " + kind));
        }
        assertThat(lines).filteredOn(l -> l.contains("accumulate/finish")).hasSizeGreaterThanOrEqualTo(6);
    }
}
