package io.tinyfit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files commands write (issue 18, item 7): the umask's mode, no input overwritten without {@code --force},
 * symlinks followed, {@code -} for standard output, all outputs or none, output paths checked before the work.
 * Each test failed before the change.
 */
class OutputFilesTest {
    private static final String RESNET = "mlperf_ic_resnet8_int8.tflite";

    @TempDir
    Path tmp;

    private Path modelCopy() throws Exception {
        Shared.assume();
        return Files.copy(Shared.models().resolve(RESNET), tmp.resolve("model.tflite"));
    }

    @Test
    void newFilesGetTheModeTheUmaskGives() throws Exception {
        Path json = tmp.resolve("a.json");
        assertThat(AnalyzeCommandTest.cli("analyze", "--json", json.toString()).code()).isZero();
        // a file created the ordinary way gets 0666 less the umask
        Path reference = Files.createFile(tmp.resolve("reference"));
        assertThat(Files.getPosixFilePermissions(json)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void jsonOntoTheModelIsRefusedUnlessForced() throws Exception {
        Path model = modelCopy();
        byte[] before = Files.readAllBytes(model);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", model.toString(), "--json", model.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--json").contains("is the input").contains("--force");
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(model)).isEqualTo(before);

        AnalyzeCommandTest.Result forced = AnalyzeCommandTest.cli("analyze", model.toString(), "--json", model.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(new ObjectMapper().readTree(model.toFile()).path("schema").asText()).isEqualTo("tinyfit/1");
    }

    @Test
    void optimizeOntoTheModelThroughASymlinkIsRefused() throws Exception {
        Path model = modelCopy();
        Path link = Files.createSymbolicLink(tmp.resolve("link.tflite"), model.getFileName());
        byte[] before = Files.readAllBytes(model);
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", model.toString(), "-o", link.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("-o").contains("is the input");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }

    @Test
    void runOutputsIntoTheFolderOfItsInputsAreRefusedWhenTheyWouldReplaceOne() throws Exception {
        Path model = modelCopy();
        Path dir = Files.createDirectories(tmp.resolve("io"));
        Files.write(dir.resolve("0.bin"), new byte[32 * 32 * 3]);
        // the dump writes tensor 0 as 0.bin: the very file given as the input
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", model.toString(), "--inputs", dir.resolve("0.bin").toString(), "--dump", dir.toString());
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).contains("0.bin").contains("is the input");
    }

    @Test
    void aSymlinkedOutputIsFollowedAndTheLinkStays() throws Exception {
        Path real = Files.writeString(tmp.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), real.getFileName());
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--json", link.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(new ObjectMapper().readTree(real.toFile()).path("schema").asText()).isEqualTo("tinyfit/1");
    }

    @Test
    void dashSendsTheJsonToStandardOutputAndTheSummaryToStandardError() throws Exception {
        Path stray = Path.of("-");
        try {
            AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("analyze", "--json", "-");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).path("schema").asText()).isEqualTo("tinyfit/1");
            assertThat(r.err()).contains("<- peak");
            assertThat(stray).doesNotExist();

            AnalyzeCommandTest.Result plan = AnalyzeCommandTest.cli("optimize", "--plan-json", "-", "--exact-seconds", "0");
            assertThat(plan.code()).as(plan.err()).isZero();
            assertThat(new ObjectMapper().readTree(plan.out()).path("optimized").path("verified").asBoolean()).isTrue();
        } finally {
            Files.deleteIfExists(stray);
        }
    }

    @Test
    void twoOutputsCannotBothBeStandardOutputOrTheSameFile() {
        Path same = tmp.resolve("same.json");
        refusedBeforeTheWork(AnalyzeCommandTest.cli("optimize", "-o", same.toString(), "--plan-json", same.toString()), "--plan-json", "also the file of -o");
        assertThat(same).doesNotExist();
        refusedBeforeTheWork(AnalyzeCommandTest.cli("analyze", "--json", "-", "--report", "-"), "--report", "standard output is already taken by --json");
    }

    @Test
    void aFailingDumpLeavesNoOutputsOfRun() throws Exception {
        Path model = modelCopy();
        Path out = tmp.resolve("out");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("run", model.toString(), "--outputs", out.toString(), "--dump", fileInTheWay().resolve("dump").toString());
        refusedBeforeTheWork(r, "--dump", "is a file, not a directory");
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnwritablePlanJsonIsFoundBeforeOptimisingAndLeavesNoModel() throws Exception {
        Path model = modelCopy();
        Path written = tmp.resolve("opt.tflite");
        AnalyzeCommandTest.Result r = AnalyzeCommandTest.cli("optimize", model.toString(), "-o", written.toString(),
                "--plan-json", fileInTheWay().resolve("plan.json").toString());
        refusedBeforeTheWork(r, "--plan-json", "is a file, not a directory");
        assertThat(written).doesNotExist();
    }

    /** A regular file where a folder of an output path should be: refused even for root, whom permissions do not stop. */
    private Path fileInTheWay() throws Exception {
        return Files.writeString(tmp.resolve("file"), "x");
    }

    /** Exit code 2, one line naming the option and the reason, and nothing on standard output: the work never started. */
    private static void refusedBeforeTheWork(AnalyzeCommandTest.Result r, String option, String reason) {
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(option).contains(reason);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsRefusedBeforeTheWork() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        refusedBeforeTheWork(AnalyzeCommandTest.cli("optimize", "-o", dir.toString()), "-o", "is a directory");
    }
}
