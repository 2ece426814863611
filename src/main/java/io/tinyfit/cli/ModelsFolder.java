package io.tinyfit.cli;

import io.tinyfit.model.TinyfitException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code bench} finds the shared models when no folder is given: {@code -Dtinyfit.shared=DIR} (as the tests
 * set it), else the first {@code shared/models} beside an ancestor of tinyfit's own jar or classes folder (for a
 * checkout in {@code work/tinyfit}, {@code work/shared/models}), so the working directory does not matter.
 */
final class ModelsFolder {
    private ModelsFolder() {}

    static Path find() {
        String shared = System.getProperty("tinyfit.shared");
        if (shared != null) return Path.of(shared, "models");
        Path code = codeLocation().orElseThrow(() -> new TinyfitException("bench: cannot tell where tinyfit is installed; pass --models DIR"));
        for (Path p = code; p != null; p = p.getParent()) {
            Path models = p.resolve("shared").resolve("models");
            if (Files.isDirectory(models)) return models;
        }
        throw new TinyfitException("bench: no shared/models folder above " + code + "; pass --models DIR");
    }

    /** The jar (or classes folder) this class was loaded from. */
    private static Optional<Path> codeLocation() {
        try {
            var source = ModelsFolder.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
