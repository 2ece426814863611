package io.tinyfit.codegen;

import io.tinyfit.model.TinyfitException;
import io.tinyfit.tflite.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files of a generated C model, by name, held in memory until {@link #writeTo}. */
public final class GeneratedCode {
    private final Map<String, byte[]> files;

    GeneratedCode(Map<String, byte[]> files) {
        this.files = new LinkedHashMap<>();
        files.forEach((k, v) -> this.files.put(k, v.clone()));
    }

    public List<String> names() { return List.copyOf(files.keySet()); }

    /** Source files are for sharing: rw-r--r-- where the file system has POSIX permissions (temporary files start private). */
    private static void readableByAll(Path f) throws IOException {
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public String text(String name) {
        byte[] b = files.get(name);
        if (b == null) throw new IllegalArgumentException("no generated file " + name);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Writes every file into {@code dir} (created if needed), each atomically. Everything was generated before the
     * first byte is written, so a model or plan the generator refuses leaves nothing behind; should writing fail
     * part-way, the files (and the folder) this call created are removed again; files of other tools in the folder are
     * never touched.
     */
    public void writeTo(Path dir) {
        List<Path> created = new ArrayList<>();
        boolean newFolder = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
            for (var e : files.entrySet()) {
                Path f = dir.resolve(e.getKey());
                boolean existed = Files.exists(f);
                AtomicFiles.write(f, e.getValue());
                if (!existed) created.add(f);
                readableByAll(f);
            }
        } catch (IOException | TinyfitException e) {
            if (newFolder) created.add(dir);
            for (Path f : created) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort: the original failure is what gets reported
                }
            }
            throw e instanceof TinyfitException t ? t : new TinyfitException(dir + ": cannot write the generated code (" + e.getMessage() + ")");
        }
    }
}
