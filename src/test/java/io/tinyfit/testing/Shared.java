package io.tinyfit.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates {@code ../shared} (models, golden data, opsuite). Tests that need it call {@link #assume()}, which
 * skips them with a clear message when the folder is absent.
 */
public final class Shared {
    private Shared() {}

    public static Path root() {
        String p = System.getProperty("tinyfit.shared");
        Path root = p != null ? Path.of(p) : Path.of("..", "shared");
        return root.toAbsolutePath().normalize();
    }

    public static boolean present() { return Files.isDirectory(root().resolve("models")); }

    public static void assume() {
        Assumptions.assumeTrue(present(), "shared data not found at " + root() + " (set -Dtinyfit.shared=DIR); skipping");
    }

    public static Path models() { return root().resolve("models"); }
    public static Path golden() { return root().resolve("golden"); }
    public static Path opsuite() { return root().resolve("opsuite"); }

    /** Every shared .tflite model, sorted by name; empty when the shared folder is absent. */
    public static List<Path> modelFiles() {
        if (!present()) return List.of();
        try (Stream<Path> s = Files.list(models())) {
            return s.filter(f -> f.toString().endsWith(".tflite")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String stem(Path model) {
        String n = model.getFileName().toString();
        return n.endsWith(".tflite") ? n.substring(0, n.length() - 7) : n;
    }
}
