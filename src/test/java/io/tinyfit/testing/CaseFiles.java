package io.tinyfit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the files of a golden model folder or an opsuite case: meta.json, input_i.bin, output_i.bin. */
public final class CaseFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseFiles() {}

    public static JsonNode meta(Path dir) {
        try {
            return JSON.readTree(dir.resolve("meta.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<byte[]> numbered(Path dir, String prefix) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(prefix + i + ".bin")); i++) out.add(read(dir.resolve(prefix + i + ".bin")));
        return out;
    }

    public static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sub-folders of a folder, sorted by name. */
    public static List<Path> dirs(Path root) {
        try (var s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
