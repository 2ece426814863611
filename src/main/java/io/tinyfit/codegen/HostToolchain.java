package io.tinyfit.codegen;

import io.tinyfit.model.TinyfitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host C toolchain (gcc and make) that builds and runs generated code on this machine. */
public final class HostToolchain {
    private HostToolchain() {}

    /** What a finished process printed. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() { return exitCode == 0; }
    }

    /** True when {@code gcc} and {@code make} can be run. */
    public static boolean available() {
        return runs("gcc", "--version") && runs("make", "--version");
    }

    /** {@code make} in a generated folder with the given CFLAGS; returns the host driver. */
    public static Path buildHostDriver(Path dir, String cflags) {
        Result r = run(dir, List.of("make", "-s", "CFLAGS=" + cflags, "model_host"), 600);
        if (!r.ok()) throw new TinyfitException(dir + ": make failed: " + firstLines(r.err() + r.out()));
        return dir.resolve("model_host");
    }

    /** Runs a command in {@code dir}, waiting at most {@code timeoutSeconds}. */
    public static Result run(Path dir, List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("tinyfit-cc", ".out");
            Path err = Files.createTempFile("tinyfit-cc", ".err");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new TinyfitException(String.join(" ", command) + ": did not finish within " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new TinyfitException(command.get(0) + ": cannot run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TinyfitException(command.get(0) + ": interrupted");
        }
    }

    /** The first lines of a tool's output, for a one-line error. */
    public static String firstLines(String text) {
        String t = text.strip().replace('\n', ' ');
        return t.length() > 400 ? t.substring(0, 400) + "..." : t;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
