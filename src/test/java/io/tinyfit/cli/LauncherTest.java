package io.tinyfit.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./tinyfit} launcher (issue 18, item 7) in a temporary checkout: the real script beside a pom and a
 * source file, with stand-ins for {@code mvn} (it writes the jar, counts its builds and fails, as two real builds in
 * one target folder do, when another runs at the same time) and {@code java} (it prints its arguments) first on
 * the PATH, so no test builds tinyfit itself.
 */
class LauncherTest {
    private static final String FAKE_MVN = """
            #!/usr/bin/env bash
            [[ -f pom.xml ]] || { echo "[ERROR] there is no POM in this directory ($PWD)"; exit 1; }
            mkdir -p target
            mkdir target/.stub-running 2>/dev/null || { echo "[ERROR] another build is writing target/ at the same time"; exit 1; }
            echo "[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ tinyfit ---"
            echo "[INFO] Compiling 3 source files with javac [debug release 17] to target/classes"
            sleep 1
            echo "[INFO] --- maven-shade-plugin:3.6.0:shade (default) @ tinyfit ---"
            echo jar > target/tinyfit.jar
            echo build >> builds.count
            rmdir target/.stub-running
            """;
    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            echo "java $*"
            """;

    @TempDir
    Path tmp;
    private Path checkout;
    private Path bin;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void checkout() throws IOException {
        checkout = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Path.of("tinyfit"), checkout.resolve("tinyfit"));
        executable(checkout.resolve("tinyfit"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.writeString(Files.createDirectories(checkout.resolve("src/main/java")).resolve("A.java"), "class A {}\n");
        bin = Files.createDirectories(tmp.resolve("bin"));
        executable(Files.writeString(bin.resolve("mvn"), FAKE_MVN));
        executable(Files.writeString(bin.resolve("java"), FAKE_JAVA));
    }

    @Test
    void aSymlinkOnThePathFindsTheCheckout() throws Exception {
        // two links, the second relative: ~/bin/tinyfit -> ../links/tinyfit -> checkout/tinyfit
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("tinyfit"), checkout.resolve("tinyfit"));
        Path onPath = Files.createDirectories(tmp.resolve("home/bin"));
        Files.createSymbolicLink(onPath.resolve("tinyfit"), Path.of("../../links/tinyfit"));
        Run r = await(start(onPath.resolve("tinyfit"), "analyze"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("-jar " + checkout.toRealPath().resolve("target/tinyfit.jar") + " analyze");
    }

    @Test
    void twoCallsAtOnceBuildOnceAndBothRun() throws Exception {
        Process a = start(checkout.resolve("tinyfit"), "one");
        Process b = start(checkout.resolve("tinyfit"), "two");
        Run ra = await(a);
        Run rb = await(b);
        assertThat(ra.code()).as(ra.err()).isZero();
        assertThat(rb.code()).as(rb.err()).isZero();
        assertThat(ra.out()).endsWith(" one\n");
        assertThat(rb.out()).endsWith(" two\n");
        assertThat(Files.readAllLines(checkout.resolve("builds.count"))).hasSize(1);
        assertThat(ra.err() + rb.err()).contains("waiting for another tinyfit call to finish building");
    }

    @Test
    void aBuildSaysWhatItIsDoing() throws Exception {
        Run r = await(start(checkout.resolve("tinyfit"), "analyze"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("tinyfit: building").contains("tinyfit:   compiler compile")
                .contains("tinyfit:   Compiling 3 source files").contains("tinyfit:   shade shade").containsPattern("tinyfit: built in \\d+ s")
                .doesNotContain("[INFO]");
        assertThat(checkout.resolve("target/tinyfit-build.log")).content().contains("[INFO] --- maven-shade-plugin");
    }

    @Test
    void aFreshJarIsRunWithoutBuilding() throws Exception {
        assertThat(await(start(checkout.resolve("tinyfit"), "first")).code()).isZero();
        Run r = await(start(checkout.resolve("tinyfit"), "second"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readAllLines(checkout.resolve("builds.count"))).hasSize(1);
    }

    @Test
    void aFailedBuildShowsTheEndOfItsLog() throws Exception {
        Files.delete(checkout.resolve("pom.xml"));
        Run r = await(start(checkout.resolve("tinyfit"), "analyze"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("tinyfit: build failed").contains("there is no POM");
    }

    private Process start(Path launcher, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(tmp.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("TINYFIT_JAVA_OPTS");
        return pb.start();
    }

    private static Run await(Process p) throws Exception {
        p.getOutputStream().close();
        // the outputs are small (a few lines): reading one to the end before the other cannot block the script
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private static Path executable(Path f) throws IOException {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
