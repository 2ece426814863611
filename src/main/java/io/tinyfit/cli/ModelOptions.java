package io.tinyfit.cli;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.verify.FilePlan;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The options of every command that reads a model: how much memory it may ask for, and whether to trust its plan. */
final class ModelOptions {
    @Option(names = "--max-arena-bytes", paramLabel = "N", converter = ByteSize.class,
            description = "refuse models whose tensors and scratch buffers together (or any one tensor) need more than N bytes; suffixes K, M, G (default: 2G)")
    long maxArenaBytes = Limits.DEFAULT_MAX_ARENA_BYTES;

    @Option(names = "--trust-plan", description = "use the model's offline memory plan even when the static verifier finds it unsafe (prints a warning)")
    boolean trustPlan;

    Limits limits() { return new Limits(maxArenaBytes); }

    /** The MODEL argument, read and validated under these limits (the embedded default model when absent). */
    Graph load(Path model) {
        return model == null ? ModelReader.validate(DefaultModels.mobileNetV2Style(), limits()) : ModelReader.read(model, limits());
    }

    /** TFLM's load-time checks on the model file as it is (the embedded model: as the writer writes it). */
    TflmLint.Report lint(Path model, Graph g) {
        if (model == null) return TflmLint.check(g);
        try {
            return TflmLint.check(Files.readAllBytes(model), model.toString());
        } catch (IOException e) {
            throw new ModelFormatException(model + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** TFLM's plan of the model: its file plan only when that verified, or when --trust-plan says so (with a warning). */
    Plan baseline(Graph g, PrintWriter err) {
        return FilePlan.require(g, trustPlan, w -> {
            err.println("tinyfit: " + w);
            err.flush();
        });
    }

    /** Byte counts with an optional binary suffix: 512, 64K, 16M, 2G. */
    static final class ByteSize implements ITypeConverter<Long> {
        @Override public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            int shift = v.endsWith("K") ? 10 : v.endsWith("M") ? 20 : v.endsWith("G") ? 30 : 0;
            if (shift > 0) v = v.substring(0, v.length() - 1);
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a byte count (e.g. 65536, 64K, 16M, 2G)");
            }
            if (n <= 0 || n > Limits.MAX >> shift) throw new TypeConversionException("'" + value + "' is outside 1 byte to " + Limits.MAX + " bytes");
            return n << shift;
        }
    }
}
