package io.tinyfit.tflite;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata entry {@code tinyfit} that every model tinyfit writes carries: which tinyfit wrote it, the kernel
 * library its plan assumes, and the whole arena ({@code kTensorArenaSize}) it needs on 32- and 64-bit builds.
 * TFLM reads only the metadata names it knows ({@code OfflineMemoryAllocation}), so the entry costs a stock build
 * nothing. The bytes are UTF-8 {@code key=value} lines, readable with {@code strings}; the writer keeps every
 * buffer 16-byte aligned.
 *
 * @param arenaBytes32 the predicted minimum arena of a 32-bit build, -1 when not predicted
 * @param arenaBytes64 the same for a 64-bit build
 */
public record TinyfitMarker(String version, String kernels, long arenaBytes32, long arenaBytes64) {
    public static final String NAME = "tinyfit";
    /** The version this build of tinyfit writes (and prints for {@code --version}). */
    public static final String VERSION = "0.1.0";

    public TinyfitMarker {
        if (version == null || version.isBlank() || kernels == null || kernels.isBlank()) throw new IllegalArgumentException("marker needs a version and a kernel library");
    }

    public byte[] encode() {
        String text = "tinyfit=" + version + "\nkernels=" + kernels + "\narena_bytes_32bit=" + arenaBytes32 + "\narena_bytes_64bit=" + arenaBytes64 + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A copy of the model carrying this marker (an existing one is replaced). */
    public Graph attachTo(Graph g) { return g.withMetadata(NAME, encode()); }

    /** The marker of a model tinyfit wrote, if it has one. */
    public static Optional<TinyfitMarker> read(Graph g) {
        Optional<ConstData> data = g.metadataBytes(NAME);
        if (data.isEmpty()) return Optional.empty();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(data.get().toByteArray(), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!fields.containsKey("tinyfit") || !fields.containsKey("kernels")) {
            throw new ModelFormatException(g.source() + ": metadata '" + NAME + "' is not a tinyfit marker (no tinyfit= and kernels= lines)");
        }
        return Optional.of(new TinyfitMarker(fields.get("tinyfit"), fields.get("kernels"),
                number(g, fields, "arena_bytes_32bit"), number(g, fields, "arena_bytes_64bit")));
    }

    private static long number(Graph g, Map<String, String> fields, String key) {
        String v = fields.getOrDefault(key, "-1");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(g.source() + ": tinyfit marker field " + key + " is not a number: '" + v + "'");
        }
    }
}
