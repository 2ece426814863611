package io.tinyfit.codegen;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds generated C in the tests with gcc, warning-free ({@code -Wall -Wextra -Werror}). Objects are cached by the
 * content of their source, the headers it includes and the flags, so the runtime library is compiled once per build
 * profile and a model's constants once for all its plans.
 */
final class CBuild {
    private static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off");
    private static final Path CACHE = Path.of("target", "c-objects").toAbsolutePath();
    private static final Pattern INCLUDE = Pattern.compile("^#include \"([^\"]+)\"", Pattern.MULTILINE);
    private static Boolean available;

    /** How the generated code is built: flags for everything, and those only the plan's own model.c needs. */
    enum Profile {
        /** As a user builds it. */
        PLAIN(List.of("-O2"), List.of()),
        /** Dead buffers overwritten with garbage, the arena garbage before the first step (only model.c changes). */
        POISON(List.of("-O2"), List.of("-DTF_POISON")),
        /** AddressSanitizer and UndefinedBehaviorSanitizer, view bounds checked, dead buffers poisoned. */
        SANITIZE(List.of("-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-DTF_CHECK_VIEWS"),
                List.of("-DTF_POISON")),
        /** Every activation access logged (model_host --trace). */
        TRACE(List.of("-O0", "-DTF_TRACE"), List.of());

        final List<String> flags;
        final List<String> modelFlags;

        Profile(List<String> flags, List<String> modelFlags) {
            this.flags = flags;
            this.modelFlags = modelFlags;
        }
    }

    private CBuild() {}

    static void assumeToolchain() {
        if (available == null) available = HostToolchain.available();
        Assumptions.assumeTrue(available, "gcc and make not found on the PATH; skipping the C runtime tests (.ci/run installs them)");
    }

    /**
     * Builds the host driver {@code model_host-<profile>} of a generated folder: the runtime, the host driver and the
     * constants from the object cache, the plan's own {@code model.c} compiled in the same gcc run as the link.
     */
    static Path hostDriver(Path dir, Profile profile) {
        List<Path> objects = new ArrayList<>();
        objects.add(object(dir.resolve(CodeGenerator.PREFIX + "_constants.c"), profile, List.of()));
        objects.add(object(dir.resolve(RuntimeSources.HOST_DRIVER), profile, List.of()));
        for (String s : RuntimeSources.librarySources()) objects.add(object(dir.resolve(s), profile, List.of()));
        List<String> model = new ArrayList<>(STRICT);
        model.addAll(profile.modelFlags);
        model.addAll(List.of("-I", dir.toString(), dir.resolve(CodeGenerator.PREFIX + ".c").toString()));
        return link(model, objects, profile, dir.resolve("model_host-" + profile.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** A C program of its own (a test under src/test/c) linked with the runtime sources of {@code runtimeDir}. */
    static Path program(Path source, Path runtimeDir, Profile profile, List<String> extraFlags, Path exe) {
        List<Path> objects = new ArrayList<>();
        objects.add(object(source, profile, extraFlags, runtimeDir));
        for (String s : RuntimeSources.librarySources()) objects.add(object(runtimeDir.resolve(s), profile, extraFlags));
        return link(List.of(), objects, profile, exe);
    }

    static HostToolchain.Result run(Path dir, List<String> command) { return HostToolchain.run(dir, command, 600); }

    private static Path object(Path source, Profile profile, List<String> extraFlags) {
        return object(source, profile, extraFlags, source.getParent());
    }

    private static Path object(Path source, Profile profile, List<String> extraFlags, Path includeDir) {
        List<String> flags = new ArrayList<>(STRICT);
        flags.addAll(profile.flags);
        flags.addAll(extraFlags);
        Path out = CACHE.resolve(key(source, includeDir, flags) + ".o");
        if (Files.exists(out)) return out;
        try {
            Files.createDirectories(CACHE);
            Path tmp = Files.createTempFile(CACHE, "build", ".o");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-c", "-I", includeDir.toString()));
            cmd.addAll(flags);
            cmd.addAll(List.of("-o", tmp.toString(), source.toString()));
            HostToolchain.Result r = HostToolchain.run(source.getParent(), cmd, 900);
            assertThat(r.ok()).as("gcc %s %s:%n%s", profile, source.getFileName(), r.err()).isTrue();
            assertThat(r.err()).as("gcc output for %s", source.getFileName()).isBlank();
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links the objects, compiling {@code sources} (flags and files) in the same gcc run. */
    private static Path link(List<String> sources, List<Path> objects, Profile profile, Path exe) {
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(profile.flags);
        cmd.addAll(sources);
        cmd.addAll(List.of("-o", exe.toString()));
        for (Path o : objects) cmd.add(o.toString());
        HostToolchain.Result r = HostToolchain.run(exe.getParent(), cmd, 300);
        assertThat(r.ok()).as("gcc %s %s:%n%s", profile, exe.getFileName(), r.err()).isTrue();
        assertThat(r.err()).as("gcc output for %s", exe.getFileName()).isBlank();
        return exe;
    }

    /** Hash of the flags, the source and every header it includes (transitively, from its own folder). */
    private static String key(Path source, Path includeDir, List<String> flags) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            Set<Path> seen = new LinkedHashSet<>();
            digest(md, source, includeDir, seen);
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest md, Path file, Path includeDir, Set<Path> seen) {
        if (!seen.add(file) || !Files.exists(file)) return;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            md.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            md.update(text.getBytes(StandardCharsets.UTF_8));
            Matcher m = INCLUDE.matcher(text);
            while (m.find()) {
                Path local = file.getParent().resolve(m.group(1));
                digest(md, Files.exists(local) ? local : includeDir.resolve(m.group(1)), includeDir, seen);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
