package io.tinyfit.cli;

import java.nio.file.Path;

/**
 * What {@code optimize} writes when no output option is given: the model, the plan JSON and the report, named after
 * the model and put in the working directory, never beside the model (its folder may be read-only, and the input
 * is never replaced: the names differ from any {@code .tflite} input, and the output checks refuse an input anyway).
 * Existing files of these names are replaced, as an explicit {@code -o} replaces its file.
 *
 * @param model    {@code STEM.tinyfit.tflite}
 * @param planJson {@code STEM.plan.json}
 * @param report   {@code STEM.report.html}
 */
record DefaultOutputs(Path model, Path planJson, Path report) {
    /** The stem of the embedded model's files. */
    static final String EMBEDDED_STEM = "tinyfit-default";

    /** The three names in {@code dir} for {@code modelArg} (null: the embedded model). */
    static DefaultOutputs of(Path dir, Path modelArg) {
        String stem = modelArg == null || modelArg.getFileName() == null ? EMBEDDED_STEM : stem(modelArg.getFileName().toString());
        return new DefaultOutputs(dir.resolve(stem + ".tinyfit.tflite"), dir.resolve(stem + ".plan.json"), dir.resolve(stem + ".report.html"));
    }

    private static String stem(String file) {
        String s = file.endsWith(".tflite") ? file.substring(0, file.length() - ".tflite".length()) : file;
        return s.isEmpty() ? EMBEDDED_STEM : s;
    }
}
