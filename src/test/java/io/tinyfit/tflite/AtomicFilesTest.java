package io.tinyfit.tflite;

import io.tinyfit.model.TinyfitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** All-or-nothing writes: a failing file leaves none of the others, nor the folders made for them, nor temporaries. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFailingFileLeavesNoneOfTheOthers() throws Exception {
        Path inTheWay = Files.writeString(tmp.resolve("file"), "x");
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(tmp.resolve("new/deeper/a.bin"), new byte[] {1});
        files.put(tmp.resolve("b.bin"), new byte[] {2});
        files.put(inTheWay.resolve("c.bin"), new byte[] {3});
        assertThatThrownBy(() -> AtomicFiles.writeAll(files)).isInstanceOf(TinyfitException.class).hasMessageContaining("c.bin");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("file");
        }
    }

    @Test
    void aReplacedFileKeepsItsModeAndASymlinkStays() throws Exception {
        Path real = Files.writeString(tmp.resolve("real"), "old");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        AtomicFiles.writeString(link, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
    }

    @Test
    void aDanglingSymlinkNamesTheFileToCreate() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("sub", "target"));
        AtomicFiles.writeString(link, "x");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(tmp.resolve("sub/target"))).isEqualTo("x");
    }

    @Test
    void aSymlinkLoopIsAnErrorNamingThePath() throws Exception {
        Path a = tmp.resolve("a");
        Files.createSymbolicLink(a, tmp.resolve("b"));
        Files.createSymbolicLink(tmp.resolve("b"), a);
        assertThatThrownBy(() -> AtomicFiles.writeString(a, "x")).isInstanceOf(TinyfitException.class)
                .hasMessageContaining(a.toString()).hasMessageContaining("symbolic links");
    }
}
