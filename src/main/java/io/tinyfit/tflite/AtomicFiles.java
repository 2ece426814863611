package io.tinyfit.tflite;

import io.tinyfit.model.TinyfitException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files all or nothing: every file goes to a temporary file beside its target first, and only when all of
 * them were written are they renamed onto their targets, so a failure leaves no partial output behind (nor the
 * folders it created). A symlink is followed: the file it points to is replaced, the link stays. A new file gets
 * the mode the umask gives; a replaced file keeps its own.
 */
public final class AtomicFiles {
    /** Symlink chains longer than this are a loop (Linux's own limit is 40). */
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {}

    public static void write(Path file, byte[] bytes) { writeAll(Map.of(file, bytes)); }

    public static void writeString(Path file, String text) {
        write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes every file or, when any of them fails, none (see the class comment). */
    public static void writeAll(Map<Path, byte[]> files) {
        Map<Path, Path> targets = new LinkedHashMap<>();
        for (Path f : files.keySet()) targets.put(f, target(f));
        List<Path> createdDirs = new ArrayList<>();
        Map<Path, Path> temps = new LinkedHashMap<>();
        Path current = null;
        boolean done = false;
        try {
            for (var e : files.entrySet()) {
                current = e.getKey();
                Path target = targets.get(current);
                if (Files.isDirectory(target)) throw new IOException("is a directory");
                createDirectories(target.getParent(), createdDirs);
                temps.put(current, temporaryCopy(target, e.getValue()));
            }
            for (var e : temps.entrySet()) {
                current = e.getKey();
                move(e.getValue(), targets.get(current));
            }
            done = true;
        } catch (IOException e) {
            throw new TinyfitException(current + ": cannot write (" + message(e) + ")");
        } finally {
            // after a failure: the temporaries not yet renamed, then the folders this call made, deepest first
            if (!done) {
                for (Path tmp : temps.values()) deleteQuietly(tmp);
                for (int i = createdDirs.size() - 1; i >= 0; i--) deleteQuietly(createdDirs.get(i));
            }
        }
    }

    /**
     * The file a write to {@code path} replaces: the path itself, or the end of its symlink chain (a dangling link
     * names the file to create). A loop of links is an error naming the path.
     */
    public static Path target(Path path) {
        Path p = path.toAbsolutePath().normalize();
        try {
            for (int hops = 0; Files.isSymbolicLink(p); hops++) {
                if (hops == MAX_LINKS) throw new TinyfitException(path + ": too many levels of symbolic links");
                p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
            }
        } catch (IOException e) {
            throw new TinyfitException(path + ": cannot follow the symbolic link (" + message(e) + ")");
        }
        return p;
    }

    private static void createDirectories(Path dir, List<Path> created) throws IOException {
        if (dir == null || Files.isDirectory(dir)) return;
        createDirectories(dir.getParent(), created);
        Files.createDirectory(dir);
        created.add(dir);
    }

    /** A temporary file beside {@code target} holding {@code bytes}, with the mode the target will have. */
    private static Path temporaryCopy(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        // CREATE_NEW without attributes: the mode is 0666 less the umask, as for any file a program creates
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(bytes);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
        if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
        }
        return tmp;
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the failure that brought us here is what gets reported
        }
    }

    /** The reason of an I/O failure in words: NIO's exceptions carry only the path for the common cases. */
    private static String message(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return e.getMessage() + " is a file, not a directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage();
    }
}
