package io.tinyfit.cli;

import io.tinyfit.model.TinyfitException;
import io.tinyfit.tflite.AtomicFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files one command writes. Each output option is checked when the command starts, before the long work: its
 * folder must exist and be writable or be creatable, it must not be one of the command's inputs (unless
 * {@code --force}) nor the file of another output, and {@code -} (standard output) is allowed for text documents
 * only, once. The contents are collected while the command runs and {@link #commit} writes them together: into
 * temporary files first, renamed onto their targets only when all were written (see {@link AtomicFiles#writeAll}).
 */
final class Outputs {
    static final String STDOUT = "-";

    private final boolean force;
    private final List<Path> inputs = new ArrayList<>();
    /** Each claimed target (symlinks followed) and the option that claimed it. */
    private final Map<Path, String> claimed = new LinkedHashMap<>();
    private final Map<Path, byte[]> staged = new LinkedHashMap<>();
    private String stdoutOption;
    private byte[] stdoutBytes;

    /**
     * @param inputs the files the command reads (null entries, such as an absent MODEL, are skipped); a folder
     *               stands for the files in it
     */
    Outputs(boolean force, Path... inputs) {
        this.force = force;
        for (Path in : inputs) if (in != null) addInput(in);
    }

    private void addInput(Path in) {
        if (!Files.isDirectory(in)) {
            inputs.add(in);
            return;
        }
        try (Stream<Path> s = Files.list(in)) {
            s.filter(Files::isRegularFile).forEach(inputs::add);
        } catch (IOException e) {
            throw new TinyfitException(in + ": cannot list (" + e.getMessage() + ")");
        }
    }

    /** A text document (JSON, HTML): a file, or standard output for {@code -}. Null: the option was not given. */
    Outputs text(String option, Path path) {
        if (path == null) return this;
        if (isStdout(path)) {
            if (stdoutOption != null) throw new TinyfitException(option + " -: standard output is already taken by " + stdoutOption);
            stdoutOption = option;
            return this;
        }
        return file(option, path);
    }

    /** A file output; {@code -} is refused, as it would make a file of that name. Null: the option was not given. */
    Outputs file(String option, Path path) {
        if (path == null) return this;
        if (isStdout(path)) throw new TinyfitException(option + " -: standard output is only for JSON and report documents; name a file");
        Path target = AtomicFiles.target(path);
        if (Files.isDirectory(target)) throw new TinyfitException(option + " " + path + ": is a directory, not a file");
        requireCreatableIn(option, path, target.getParent());
        claim(option, path, target);
        return this;
    }

    /** A folder the command writes files into (created when missing). Null: the option was not given. */
    Outputs directory(String option, Path dir) {
        if (dir == null) return this;
        if (isStdout(dir)) throw new TinyfitException(option + " -: standard output is only for JSON and report documents; name a folder");
        Path target = AtomicFiles.target(dir);
        if (Files.exists(target) && !Files.isDirectory(target)) throw new TinyfitException(option + " " + dir + ": is a file, not a directory");
        requireCreatableIn(option, dir, target);
        for (Path in : inputs) {
            if (same(in, target)) throw new TinyfitException(option + " " + dir + ": is the input " + in + "; " + refusal());
        }
        return this;
    }

    /** True when a JSON or report document goes to standard output, so messages for people must go elsewhere. */
    boolean usesStdout() { return stdoutOption != null; }

    /** Where the summary for people goes: standard error when a document takes standard output, so it pipes cleanly. */
    PrintWriter console(picocli.CommandLine.Model.CommandSpec spec) {
        return usesStdout() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** The content of an output option's file, or of a file inside an output folder; written by {@link #commit}. */
    void put(Path path, byte[] bytes) {
        if (isStdout(path)) {
            stdoutBytes = bytes.clone();
            return;
        }
        Path target = AtomicFiles.target(path);
        // files inside a folder option are named only now: the same checks as for the options themselves
        if (!claimed.containsKey(target)) claim("output", path, target);
        staged.put(path, bytes.clone());
    }

    void put(Path path, String text) { put(path, text.getBytes(StandardCharsets.UTF_8)); }

    /** Writes every staged file, all or nothing, then the document for standard output. */
    void commit(PrintWriter stdout) {
        AtomicFiles.writeAll(staged);
        if (stdoutBytes != null) {
            stdout.print(new String(stdoutBytes, StandardCharsets.UTF_8));
            stdout.flush();
        }
    }

    private void claim(String option, Path path, Path target) {
        for (Path in : inputs) {
            if (same(in, target)) throw new TinyfitException(option + " " + path + ": is the input " + in + "; " + refusal());
        }
        String other = claimed.putIfAbsent(target, option);
        if (other != null && !other.equals(option)) throw new TinyfitException(option + " " + path + ": is also the file of " + other);
    }

    private String refusal() {
        return "refusing to overwrite an input (--force allows it)";
    }

    private boolean same(Path input, Path target) {
        if (force) return false;
        try {
            if (Files.exists(input) && Files.exists(target)) return Files.isSameFile(input, target);
        } catch (IOException e) {
            // unreadable: fall back to comparing the names
        }
        return AtomicFiles.target(input).equals(target);
    }

    /**
     * The nearest existing folder on the way to {@code dir} must be a writable folder: a file in the way, or a
     * read-only folder, is found now and not after the work.
     */
    private static void requireCreatableIn(String option, Path given, Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) return;
        if (!Files.isDirectory(p)) throw new TinyfitException(option + " " + given + ": " + p + " is a file, not a directory");
        if (!Files.isWritable(p)) throw new TinyfitException(option + " " + given + ": the folder " + p + " is not writable");
    }

    private static boolean isStdout(Path p) { return p.toString().equals(STDOUT); }
}
