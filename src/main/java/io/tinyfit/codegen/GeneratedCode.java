package io.tinyfit.codegen;

import io.tinyfit.tflite.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    public String text(String name) {
        byte[] b = files.get(name);
        if (b == null) throw new IllegalArgumentException("no generated file " + name);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The files as they would be written into {@code dir}, for writing them together with other outputs. */
    public Map<Path, byte[]> filesIn(Path dir) {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        files.forEach((name, bytes) -> out.put(dir.resolve(name), bytes.clone()));
        return out;
    }

    /**
     * Writes every file into {@code dir} (created if needed), all or nothing (see {@link AtomicFiles#writeAll}).
     * Everything was generated before the first byte is written, so a model or plan the generator refuses leaves
     * nothing behind; files of other tools in the folder are never touched.
     */
    public void writeTo(Path dir) { AtomicFiles.writeAll(filesIn(dir)); }
}
